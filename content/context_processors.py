from __future__ import annotations

from django.http import HttpRequest

from content.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    """The unread badge in the studio's navigation (one small indexed query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(recipient=user).unread().count()}
