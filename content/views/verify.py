"""The public verify page: a reader pastes a text from a forum and learns whether it is ours.

Readers are anonymous, often in Tor Browser with JavaScript off, and the public site sets no
cookie. So this form does not use Django's cookie-based CSRF token; it is exempt from the
middleware and checked here instead: the browser's Origin and Sec-Fetch-Site headers must not
name another site. The form also carries a signed, dated token from our own page, which only
keeps out posts made without loading the page first: it is tied to no one, and anyone can
fetch a fresh one. That is enough here, because the page changes nothing and knows nobody: a
forged post could only spend the rate limit.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from content import verification

ERROR_TOO_LARGE = gettext_lazy(
    "That text is too long to check here (more than {limit} KB). Paste only the signed block, "
    "from “-----BEGIN PGP SIGNED MESSAGE-----” to “-----END PGP SIGNATURE-----”."
)
ERROR_FORM = gettext_lazy(
    "This form has expired or was not sent from this page. Nothing was checked: paste the "
    "text again and press “Check”."
)
ERROR_EMPTY = gettext_lazy("Paste the text you want to check first.")
ERROR_RATE = gettext_lazy(
    "Too many checks were asked for in the last minute. Nothing was checked: wait a minute "
    "and press “Check” again."
)

TEMPLATE = "content/public/verify.html"
FORM_SALT = "content.verify.form"
FORM_MAX_AGE_SECONDS = 24 * 3600
RATE_WINDOW_SECONDS = 60
# A url-encoded form spells a byte as up to 3 characters ("%0A"); a body beyond that (and the
# token) is refused before Django reads it.
ENCODING_OVERHEAD, FORM_OVERHEAD_BYTES = 3, 4096


def form_token() -> str:
    return signing.TimestampSigner(salt=FORM_SALT).sign("verify")


def _token_ok(token: str) -> bool:
    try:
        signing.TimestampSigner(salt=FORM_SALT).unsign(token, max_age=FORM_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return True


def _same_origin(request: HttpRequest) -> bool:
    """Not sent from another site: what Django's CSRF middleware checks before the cookie."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        scheme, _, host = trusted.partition("://")
        if origin == trusted or (
            host.startswith("*.")
            and origin.startswith(f"{scheme}://")
            and origin.partition("://")[2].endswith(host[1:])
        ):
            return True
    return False


def over_rate_limit(request: HttpRequest, *, limit: int, now: float | None = None) -> bool:
    """Count one check in this minute for the site address the reader came through; True once
    over `limit`. Over Tor every reader arrives from the same address, and behind the reverse
    proxy so does everyone else, so a per-address key would be one global counter anyway, and
    keeping addresses would be keeping data about readers. The key is therefore the site
    (onion or clear net, so a flood over Tor leaves the clear site usable) and the minute; the
    cache holds one number per key and nothing about any reader. Per-client flood protection
    belongs in front of the application: Tor's onion-service PoW defence, the reverse proxy."""
    site = "onion" if request.get_host().partition(":")[0].endswith(".onion") else "web"
    window = int((time.time() if now is None else now) // RATE_WINDOW_SECONDS)
    key = f"verify-rate:{site}:{window}"
    cache.add(key, 0, timeout=2 * RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=2 * RATE_WINDOW_SECONDS)
        count = 1
    return count > limit


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    # Every name the template looks up is given: a missing one makes Django log (at DEBUG) a
    # traceback whose message holds the whole context, the paste with it.
    context = {"text": "", "error": "", "result": None} | context
    context |= {"token": form_token(), "max_kb": settings.VERIFY_MAX_BYTES // 1000}
    return render(request, TEMPLATE, context, status=status)


@never_cache
@csrf_exempt  # checked by _same_origin() and the form token: no cookie needed (see above)
@require_http_methods(["GET", "HEAD", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    limit = settings.VERIFY_MAX_BYTES
    too_large = ERROR_TOO_LARGE.format(limit=limit // 1000)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > limit * ENCODING_OVERHEAD + FORM_OVERHEAD_BYTES:
        return _page(request, 413, error=too_large)
    text = request.POST.get("text", "")
    if not _same_origin(request) or not _token_ok(request.POST.get("token", "")):
        return _page(request, 403, error=ERROR_FORM, text=text)
    if len(text.encode()) > limit:
        return _page(request, 413, error=too_large)
    if not text.strip():
        return _page(request, 400, error=ERROR_EMPTY)
    if over_rate_limit(request, limit=settings.VERIFY_RATE_LIMIT):
        return _page(request, 429, error=ERROR_RATE, text=text)
    return _page(request, result=verification.check_text(text), text=text)
