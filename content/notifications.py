"""Telling people about workflow events: an in-app notification and an e-mail.

The notification rows are written in the action's transaction. Each e-mail is a background
task (content/tasks.py, one per recipient so addresses are never shared), enqueued only after
the transaction commits: a rolled-back action mails nobody, and no request waits for the mail
server. A mail failure fails that task only: the action it reports has already happened.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from content.actors import Actor
from content.languages import recipient_languages
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


@dataclass(frozen=True)
class Message:
    """A notification's words, written in each recipient's studio language.

    `text` is a lazy translation with %(name)s placeholders; `params` fill them when the
    notification is written for one recipient: dates and times are then formatted in that
    language (and the site's time zone), lazy strings and nested messages translated."""

    text: str | Promise
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self) -> str:
        return str(self.text) % {name: _shown(value) for name, value in self.params.items()}

    def __str__(self) -> str:
        return self.render()


def _shown(value: object) -> object:
    if isinstance(value, Message):
        return value.render()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):  # in the site's zone, named
        shown = formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return f"{shown} ({timezone.get_current_timezone_name()})"
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


def in_language(language: str, message: str | Message) -> str:
    """`message` in `language` (a plain string is already words)."""
    if isinstance(message, str):
        return message
    with translation.override(language):
        return message.render()


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
    recipients: Iterable[User],
    *,
    post: Post | None,
    message: str | Message,
    exclude: Iterable[Actor] = (),
) -> list[Notification]:
    """Notify each recipient (once, active ones, not those in `exclude`) of `message`, written
    in their own studio language, and e-mail them after the commit."""
    skip = {user.pk for user in exclude}
    unique = {user.pk: user for user in recipients if user.pk not in skip and user.is_active}
    chosen = {} if isinstance(message, str) else recipient_languages(unique)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, post=post, message=in_language(chosen.get(pk, ""), message)[:500]
            )
            for pk, user in unique.items()
        ]
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
