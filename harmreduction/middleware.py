"""What every page of the studio, the admin and the sign-in pages sends, and how long a session
lasts without use.

The private prefixes are where a page can show drafts, unreviewed dosage text, team names or a
password form. Browsers and proxies must keep none of it: the header is set here, on every
response under those prefixes (redirects, 403, 404 and 500 pages, the admin's own views and the
lock-out page included), instead of on each view, where one forgotten view would leak.

A session ends after SESSION_IDLE_MINUTES without a studio request: the cookie and the stored
session live that long (SESSION_COOKIE_AGE), and each studio request pushes the end back. To
push it back the session row must be written, so it is written at most once a RENEW_SECONDS
(the editor's live preview asks several times a second); the idle limit is therefore kept to
within that minute. Public pages never touch the session, so a reader gets no cookie and a
team member reading the public site neither renews nor writes anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_cache_control

from content import languages

PRIVATE_PREFIXES = ("/studio/", "/admin/", "/accounts/")
# When the session's end was last pushed back (seconds since the epoch).
RENEWED_KEY = "idle_renewed_at"
RENEW_SECONDS = 60

Handler = Callable[[HttpRequest], HttpResponseBase]


def is_private(request: HttpRequest) -> bool:
    return request.path_info.startswith(PRIVATE_PREFIXES)


def on_onion(request: HttpRequest) -> bool:
    # The raw Host header: get_host() raises for a host that is not allowed, and the 400 page
    # answering that passes through here too.
    host = str(request.META.get("HTTP_HOST", ""))
    return host.lower().split(":")[0].endswith(".onion")


class PrivatePagesMiddleware:
    """First in MIDDLEWARE, so it sees every response, the security middleware's too.

    Private pages: `Cache-Control: private, no-store` (added to what a view set, so the
    admin's stricter never_cache header stays). Any page on an onion address: no HSTS. The
    onion proxy tells Django the request is secure (Tor encrypts it end to end), so Django would
    send HSTS; an onion address has no certificate, and a browser that obeyed HSTS there would
    try https:// on it and fail."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_private(request):
            patch_cache_control(response, private=True, no_store=True)
        if on_onion(request):
            del response.headers["Strict-Transport-Security"]
        return response


def stamp_session(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """user_logged_in: a new session starts its idle time now (logging in saves it anyway)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[RENEWED_KEY] = int(time.time())


class IdleSessionMiddleware:
    """After AuthenticationMiddleware: a signed-in person's studio request renews the session."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # Only private pages, and only someone signed in (after logout request.user is
        # anonymous): an empty or expired session is not brought back to life.
        if is_private(request) and request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            renewed = session.get(RENEWED_KEY)
            if session.modified or not isinstance(renewed, int) or now - renewed >= RENEW_SECONDS:
                session[RENEWED_KEY] = now  # marks it modified: SessionMiddleware saves it
        return response


class StudioLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in person's private pages (studio, admin,
    accounts) speak the studio language they chose. Without a choice, and for everybody signed
    out (login, password reset, invitation), LocaleMiddleware's Accept-Language stays."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_private(request) and request.user.is_authenticated:
            chosen = languages.session_language(request)
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
