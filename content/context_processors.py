from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import IntegerField, QuerySet, Subquery, Value
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from content.models import Notification, Post


class _Count(Subquery):
    """COUNT(*) of a queryset, as a scalar subquery of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _counts(user: User) -> dict[str, int]:
    """The navigation's counts in one query: unread notifications and, for a reviewer, the
    posts waiting for their review."""
    # No ORDER BY: the notifications' default order would make the count sort them all.
    unread: QuerySet[Any] = (
        Notification.objects.filter(recipient=user).unread().order_by().values("pk")
    )
    waiting: _Count | Value = Value(0)
    if user.has_perm("content.review_post"):
        waiting = _Count(Post.objects.awaiting_review_by(user).order_by().values("pk"))
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(unread=_Count(unread), waiting=waiting)
        .values_list("unread", "waiting")
        .first()
    )
    unread_count, waiting_count = row or (0, 0)
    return {"unread": int(unread_count), "waiting": int(waiting_count)}


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The counts in the studio's navigation: unread notifications, and "Reviews (3)" for a
    reviewer. One small query, made only where a template shows them, for the person of this
    request (nothing is kept between requests or people).

    A public page never asks who is signed in, so it reads no session and varies on no cookie.
    """

    def counts() -> dict[str, int]:
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated:
            return {"unread": 0, "waiting": 0}
        return _counts(user)

    studio_counts = SimpleLazyObject(counts)
    return {
        "studio_counts": studio_counts,
        "unread_notifications": SimpleLazyObject(lambda: studio_counts["unread"]),
    }
