"""Telling people about workflow events: an in-app notification and an e-mail.

The notification rows are written in the action's transaction. Each e-mail is a background
task (content/tasks.py, one per recipient so addresses are never shared), enqueued only after
the transaction commits: a rolled-back action mails nobody, and no request waits for the mail
server. A mail failure fails that task only: the action it reports has already happened.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q

from content.actors import Actor
from content.models import Notification, Post

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_email_muted: ContextVar[bool] = ContextVar("email_muted", default=False)


@contextlib.contextmanager
def email_muted() -> Iterator[None]:
    """In-app notifications only (e.g. while seeding demo content): nobody is e-mailed."""
    token = _email_muted.set(True)
    try:
        yield
    finally:
        _email_muted.reset(token)


def reviewers_for(post: Post, *, exclude: Iterable[int] = ()) -> list[User]:
    """Active users who may review, minus the given user ids (the post's writers)."""
    permission = Permission.objects.get(content_type__app_label="content", codename="review_post")
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__permissions=permission)
            | Q(user_permissions=permission)
            | Q(is_superuser=True)
        )
        .exclude(pk__in=list(exclude))
        .distinct()
    )
    return list(users)


def notify(
    recipients: Iterable[User], *, post: Post | None, message: str, exclude: Iterable[Actor] = ()
) -> list[Notification]:
    skip = {user.pk for user in exclude}
    unique = {user.pk: user for user in recipients if user.pk not in skip and user.is_active}
    created = Notification.objects.bulk_create(
        [Notification(recipient=user, post=post, message=message[:500]) for user in unique.values()]
    )
    mailed = [row.pk for row in created if row.recipient.email]
    if mailed and not _email_muted.get():
        # Imported here: the tasks import the workflow and exports, which import this module.
        from content import tasks

        # After the commit: the mail tasks then read committed rows, and a rollback sends none.
        # (A crash between the commit and the enqueue loses these mails, not the notifications.)
        # Robust: the action has committed, so a queue that cannot take the mail is logged,
        # never answered with an error page that invites the person to do it again.
        transaction.on_commit(lambda: tasks.enqueue_notification_mails(mailed), robust=True)
    return created
