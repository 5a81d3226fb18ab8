from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from content.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """The unread badge in the studio's navigation (one small indexed query).

    Counted once, and only where a template shows the badge: a public page never asks who is
    signed in, so it reads no session and varies on no cookie.
    """

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(recipient=user).unread().count()

    return {"unread_notifications": SimpleLazyObject(count)}
