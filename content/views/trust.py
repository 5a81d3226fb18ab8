"""The public key, the signed canary and the signed mirror list, for readers.

Plain text where readers feed files to gpg; one HTML page that explains them. Nothing here shows
an unsigned text as if it were signed: a missing or stale statement says so in words.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from content import trust
from content.models import SignedStatement

TEXT = "text/plain; charset=utf-8"

NO_CANARY = gettext_lazy(
    "No signed canary has been published here yet. Treat any canary you are shown elsewhere "
    "as unverified.\n"
)
NO_MIRRORS = gettext_lazy(
    "No signed list of our addresses has been published here yet. Check an address against "
    "the links in texts signed with our key (/pgp.txt).\n"
)
STALE_CANARY = gettext_lazy(
    "WARNING: this canary expired on {date:%Y-%m-%d} and has not been renewed.\n"
    "Assume something is wrong until a fresh, signed canary appears here.\n"
    "(These lines are not part of the signed text; the last signed canary follows.)\n\n"
)
KEY_STORE_BROKEN = gettext_lazy("Our public key cannot be read right now; try again later.\n")


def _text(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, content_type=TEXT, status=status)
    # Readers compare files over time; a cache must not hand out yesterday's canary as today's.
    response["Cache-Control"] = "no-cache"
    return response


def pgp_txt(request: HttpRequest) -> HttpResponse:
    try:
        armored = trust.public_keys_armored()
    except (OSError, ValueError):  # a broken key store: say so, do not crash
        return _text(str(KEY_STORE_BROKEN), status=503)
    return _text(armored) if armored else _text(str(trust.ERROR_NO_PUBLIC_KEY), status=404)


def pgp_page(request: HttpRequest) -> HttpResponse:
    try:
        keys, store_error = trust.published_keys(), False
    except (OSError, ValueError):
        keys, store_error = [], True
    canary = trust.newest_statement(SignedStatement.Kind.CANARY)
    return render(
        request,
        "content/public/pgp.html",
        {"keys": keys, "store_error": store_error, "canary": canary},
        status=503 if store_error else 200,
    )


def canary_txt(request: HttpRequest) -> HttpResponse:
    canary = trust.newest_statement(SignedStatement.Kind.CANARY)
    if canary is None:
        return _text(str(NO_CANARY), status=404)
    if canary.is_expired:
        return _text(STALE_CANARY.format(date=canary.valid_until) + canary.text)
    return _text(canary.text)


def mirrors_txt(request: HttpRequest) -> HttpResponse:
    mirrors = trust.newest_statement(SignedStatement.Kind.MIRRORS)
    if mirrors is None:
        return _text(str(NO_MIRRORS), status=404)
    return _text(mirrors.text)
