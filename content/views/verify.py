"""The public verify page (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def verify_page(request: HttpRequest) -> HttpResponse:
    raise Http404
