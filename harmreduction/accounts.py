"""Signing in: django-axes' login throttle as configured in settings, and password reset mail.

django-axes counts failed logins in the database (so every worker sees the same counts) per
account and per client address, and refuses a login, even with the right password, once either
has LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT_MINUTES. The pieces it leaves to the
project are here: which address a client has, what a locked-out person is told, and a backend
that lets a login with no web request through (see LoginThrottleBackend).
"""

from __future__ import annotations

import datetime
import ipaddress
import math
from collections.abc import Iterator
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from content.languages import studio_language

LOCKED_OUT_TEMPLATE = "registration/locked_out.html"


# axes ships no type hints (mypy sees AxesStandaloneBackend as Any).
class LoginThrottleBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """axes' backend, except for a call without a request.

    axes refuses to run without the request (it needs the client's address) and raises. Every
    login page passes it (Django's LoginView and the admin's; tests/test_accounts.py locks both
    out), so a call without one comes from code that has no client to throttle, such as a
    management command checking a password. Such a call goes on to the next backend."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)  # type: ignore[no-any-return]


def client_ip(request: HttpRequest) -> str | None:
    """The address failed logins are counted against.

    REMOTE_ADDR, unless LOGIN_CLIENT_IP_HEADER names the header the reverse proxy sets to the
    client's address. Only then is a header believed: anyone can send one. For
    X-Forwarded-For the last entry is taken, the one our proxy added; entries before it were
    sent by the client. A value that is no IP address is ignored."""
    header = settings.LOGIN_CLIENT_IP_HEADER
    if header:
        candidate = request.headers.get(header, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def lock_ends(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime.datetime | None:
    """When the lock on this account or address ends: LOGIN_LOCKOUT_MINUTES after the latest
    counted failure (attempts refused during the lock are not counted, so it does not move).
    None when locks last until an editor lifts them."""
    cool_off: datetime.timedelta | None = get_cool_off(request)
    if not cool_off:
        return None
    handler = AxesProxyHandler.get_implementation()
    latest = [
        attempts.aggregate(latest=Max("attempt_time"))["latest"]
        for attempts in handler.get_user_attempts(request, credentials)
    ]
    last: datetime.datetime = max((t for t in latest if t is not None), default=timezone.now())
    return last + cool_off


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 Too Many Requests, with the time to try again in the page and
    in Retry-After. It says the same whether the account or the address is locked, and whether
    or not the account exists."""
    until = lock_ends(request, credentials)
    response = render(
        request,
        LOCKED_OUT_TEMPLATE,
        {"until": until, "limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if until is not None:
        wait = (until - timezone.now()).total_seconds()
        response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


class StudioPasswordResetForm(PasswordResetForm):
    """Django's reset form (the same answer whether or not the address has an account), with
    the link built on STUDIO_BASE_URL, never on the Host header a request came with, and at
    most one mail per account every PASSWORD_RESET_MAIL_MINUTES, so the form cannot be used to
    flood a team member's mailbox. The limit lives in Django's cache: per process with the
    in-memory cache, shared by all workers with a shared cache."""

    def get_users(self, email: str) -> Iterator[Any]:
        interval = settings.PASSWORD_RESET_MAIL_MINUTES * 60
        for user in super().get_users(email):
            # add() stores only when the key is absent: the first request in the interval wins.
            if cache.add(f"password-reset-mail:{user.pk}", True, timeout=interval):
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        context = context | {"studio_base_url": settings.STUDIO_BASE_URL}
        # In the studio language the person chose, else the language of the page they asked
        # from (their browser's): the asker is usually the account's owner.
        language = studio_language(context["user"]) or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
