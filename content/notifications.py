"""Telling people about workflow events: an in-app notification and an e-mail.

E-mail goes out only after the transaction commits (a rolled-back action mails nobody), one
message per recipient so addresses are never shared. A mail failure is logged, never raised:
the action it reports has already happened.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q

from content.actors import Actor
from content.models import Notification, Post

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Harm reduction] "

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
    addresses = [user.email for user in unique.values() if user.email]
    if addresses and not _email_muted.get():
        link = f"{settings.STUDIO_BASE_URL}{post.get_absolute_url()}" if post else ""
        transaction.on_commit(lambda: _send(addresses, message, link))
    return created


def _send(addresses: list[str], message: str, link: str) -> None:
    subject = SUBJECT_PREFIX + (message if len(message) < 90 else message[:87] + "...")
    body = f"{message}\n\n{link}\n" if link else f"{message}\n"
    for address in addresses:
        try:
            EmailMessage(subject, body, to=[address]).send()
        except Exception:  # a mail server problem must not undo the action it reports
            logger.exception("Could not e-mail %s about a workflow event", address)
