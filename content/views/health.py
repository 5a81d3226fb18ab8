"""`/healthz`: 200 when the application can serve and sign, 503 otherwise (content.health)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from content import health


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    result = health.check()
    return JsonResponse(result.as_dict(), status=200 if result.healthy else 503)
