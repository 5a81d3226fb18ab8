"""Re-review reminders: tell reviewers when a published post is past its review date.

Sent as a background task (content.tasks.send_overdue_reminders) that manage.py run_scheduler
enqueues once a day, or at once by hand with manage.py review_overdue --notify; either way at
most once a day per post.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content import approval_rules, notifications, workflow
from content.actors import SCHEDULER, Actor, audit_fields, is_system
from content.models import AuditEvent, Post, record_event


def overdue_posts(today: datetime.date | None = None) -> list[Post]:
    return list(
        Post.objects.overdue(today)
        .select_related("language", "published_revision")
        .order_by("review_due", "pk")
    )


ERROR_REMINDER_PERMISSION = (
    "Overdue reminders are sent by the scheduler (manage.py run_scheduler) or by "
    "manage.py review_overdue --notify; "
    "re-approve the post or request changes instead."
)


def notify_overdue(*, actor: Actor = SCHEDULER, today: datetime.date | None = None) -> list[Post]:
    """Tell reviewers about overdue posts, at most once a day per post (safe to run repeatedly).
    The audit events name `actor`: the scheduler, or the command that was run.

    Returns the posts whose reviewers were told this time.
    """
    if not is_system(actor):
        raise workflow.NotPermitted(ERROR_REMINDER_PERMISSION)
    today = today or timezone.localdate()
    told = []
    for post in overdue_posts(today):
        with transaction.atomic():
            post = workflow.lock_post(post)
            if AuditEvent.objects.filter(
                post=post, action=AuditEvent.Action.OVERDUE_NOTIFIED, details__on=today.isoformat()
            ).exists():
                continue
            revision = post.expect_published_revision()  # overdue posts are published
            writers = approval_rules.writers_between(
                post, post.published_base_number, revision.number
            )
            notifications.notify(
                notifications.reviewers_for(post, exclude=writers),
                post=post,
                message=notifications.Message(
                    gettext_lazy(
                        "The review of “%(title)s” was due on %(due)s: "
                        "re-approve it or request changes."
                    ),
                    {"title": revision.title, "due": post.review_due},
                ),
            )
            record_event(
                action=AuditEvent.Action.OVERDUE_NOTIFIED,
                post=post,
                **audit_fields(actor),
                revision=revision,
                on=today.isoformat(),
            )
            told.append(post)
    return told
