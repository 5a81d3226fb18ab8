"""Lookups the studio's view modules share; no views here, so no view module imports another.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from content.models import Post


def visible_post(request: HttpRequest, pk: int) -> Post:
    """The post `pk` with its derived status, or 404 if the signed-in user may not read it."""
    return get_object_or_404(Post.objects.visible_to(request.user).with_revisions(), pk=pk)
