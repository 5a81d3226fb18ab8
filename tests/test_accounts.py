"""Signing in: the login throttle, password reset by e-mail, idle sessions, private pages' headers
and the production settings (check --deploy), through the real pages and the real database."""

from __future__ import annotations

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone

from content import urls as studio_urls
from content.models import Post
from harmreduction.accounts import client_ip
from harmreduction.middleware import RENEWED_KEY
from tests.support import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
WRONG = "not the password"


def log_in(client: Any, username: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail(client: Any, username: str, times: int, path: str = LOGIN, **extra: Any) -> list[Any]:
    return [
        client.post(path, {"username": username, "password": WRONG}, **extra) for _ in range(times)
    ]


def logged_in(response: Any) -> bool:
    return response.status_code == 302 and "sessionid" in response.cookies


def limit() -> int:
    return int(django_settings.LOGIN_FAILURE_LIMIT)


def minutes() -> int:
    return int(django_settings.LOGIN_LOCKOUT_MINUTES)


def move_attempts_back(delta: datetime.timedelta) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)


# --- The login throttle ----------------------------------------------------------------------


def test_the_documented_limits_are_in_force() -> None:
    assert limit() == 10 and minutes() == 30
    first_backend = django_settings.AUTHENTICATION_BACKENDS[0]
    assert first_backend == "harmreduction.accounts.LoginThrottleBackend"


def test_ten_wrong_passwords_lock_the_account_and_the_right_one_is_refused_with_a_time(
    client: Any, author: Any
) -> None:
    answers = fail(client, "author", limit())
    assert [a.status_code for a in answers[:-1]] == [200] * (limit() - 1)
    assert "correct username and password" in answers[0].content.decode()
    assert answers[-1].status_code == 429

    refused = log_in(client, "author", PASSWORD)
    assert refused.status_code == 429 and "sessionid" not in refused.cookies
    page = refused.content.decode()
    assert "Logging in is blocked for now" in page and "even with the right password" in page
    until = timezone.localtime(AccessAttempt.objects.latest("attempt_time").attempt_time)
    until += datetime.timedelta(minutes=minutes())
    assert f'Try again after <strong><time datetime="{until.isoformat()}">' in page
    assert (minutes() - 1) * 60 < int(refused["Retry-After"]) <= minutes() * 60
    assert client.get(reverse("content:dashboard")).status_code == 302  # not signed in


def test_the_lock_lasts_the_configured_minutes_and_refusals_do_not_extend_it(
    client: Any, author: Any
) -> None:
    fail(client, "author", limit())
    move_attempts_back(datetime.timedelta(minutes=minutes() - 1))
    assert log_in(client, "author", PASSWORD).status_code == 429
    assert log_in(client, "author", WRONG).status_code == 429  # refused, not counted
    move_attempts_back(datetime.timedelta(minutes=1, seconds=1))
    assert logged_in(log_in(client, "author", PASSWORD))


def test_with_no_lockout_time_a_lock_lasts_until_it_is_lifted(
    client: Any, author: Any, settings: Any
) -> None:
    settings.AXES_COOLOFF_TIME = None  # what LOGIN_LOCKOUT_MINUTES=0 sets
    fail(client, "author", limit())
    move_attempts_back(datetime.timedelta(days=30))
    refused = log_in(client, "author", PASSWORD)
    assert refused.status_code == 429 and "Retry-After" not in refused
    assert "stays until an editor lifts it" in refused.content.decode()


def test_an_editor_unlocks_an_account_with_axes_reset_username(client: Any, author: Any) -> None:
    fail(client, "author", limit())
    assert log_in(client, "author", PASSWORD).status_code == 429
    call_command("axes_reset_username", "author")
    assert logged_in(log_in(client, "author", PASSWORD))


def test_an_admin_unlocks_by_deleting_the_attempts_in_the_admin(
    client: Any, admin_client: Any, author: Any
) -> None:
    fail(client, "author", limit())
    attempts = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "author" in attempts.content.decode()
    for attempt in AccessAttempt.objects.filter(username="author"):
        url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert logged_in(log_in(client, "author", PASSWORD))


def test_an_editor_unlocks_an_account_in_the_admin(client: Any, editor: Any, author: Any) -> None:
    fail(client, "author", limit())
    assert log_in(client, "author", PASSWORD).status_code == 429
    editor_client = Client()
    editor_client.force_login(editor)
    attempts = editor_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "author" in attempts.content.decode()
    for attempt in AccessAttempt.objects.filter(username="author"):
        url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert logged_in(log_in(client, "author", PASSWORD))


def test_the_admin_login_is_throttled_too_and_counts_with_the_studio_login(
    client: Any, editor: Any
) -> None:
    fail(client, "editor", limit() // 2)
    answers = fail(client, "editor", limit() - limit() // 2, path=ADMIN_LOGIN)
    assert answers[-1].status_code == 429
    refused = client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD})
    assert refused.status_code == 429 and "Try again after" in refused.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # not signed in


def test_a_lock_holds_for_the_account_from_any_address_and_for_the_address_on_any_account(
    client: Any, author: Any, reviewer: Any
) -> None:
    fail(client, "author", limit(), REMOTE_ADDR="192.0.2.1")
    # The account, from another address.
    assert log_in(client, "author", PASSWORD, REMOTE_ADDR="192.0.2.2").status_code == 429
    # The address, on another account.
    assert log_in(client, "reviewer", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429
    # Neither: another account from another address.
    assert logged_in(log_in(client, "reviewer", PASSWORD, REMOTE_ADDR="192.0.2.2"))


def test_failures_spread_over_many_accounts_lock_the_address_with_the_same_page(
    client: Any, author: Any
) -> None:
    answers = [
        client.post(LOGIN, {"username": f"nobody{n}", "password": WRONG}, REMOTE_ADDR="192.0.2.3")
        for n in range(limit())
    ]
    assert answers[-1].status_code == 429
    refused = log_in(client, "author", PASSWORD, REMOTE_ADDR="192.0.2.3")
    # An account that does not exist is told exactly what one that exists is.
    assert refused.status_code == 429 and refused.content == answers[-1].content
    assert logged_in(log_in(client, "author", PASSWORD, REMOTE_ADDR="192.0.2.4"))


def test_a_client_address_header_is_believed_only_when_configured(
    client: Any, author: Any, settings: Any
) -> None:
    def from_proxy(username: str, password: str, client_address: str) -> Any:
        return log_in(
            client, username, password, REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=client_address
        )

    for n in range(limit()):
        from_proxy(f"nobody{n}", WRONG, "203.0.113.5")
    # Not configured: the header is anyone's to send; the proxy's address is what counts.
    assert from_proxy("author", PASSWORD, "203.0.113.6").status_code == 429

    AccessAttempt.objects.all().delete()
    settings.LOGIN_CLIENT_IP_HEADER = "X-Real-IP"
    for n in range(limit()):
        from_proxy(f"nobody{n}", WRONG, "203.0.113.5")
    assert from_proxy("author", PASSWORD, "203.0.113.5").status_code == 429
    assert logged_in(from_proxy("author", PASSWORD, "203.0.113.6"))


def test_the_client_address_is_the_entry_our_proxy_added(settings: Any) -> None:
    factory = RequestFactory()
    settings.LOGIN_CLIENT_IP_HEADER = "X-Forwarded-For"
    chain = "198.51.100.9, 203.0.113.7"
    forwarded = factory.get("/", HTTP_X_FORWARDED_FOR=chain, REMOTE_ADDR="10.0.0.1")
    assert client_ip(forwarded) == "203.0.113.7"
    garbage = factory.get("/", HTTP_X_FORWARDED_FOR="<script>", REMOTE_ADDR="10.0.0.1")
    assert client_ip(garbage) == "10.0.0.1"
    settings.LOGIN_CLIENT_IP_HEADER = ""
    assert client_ip(forwarded) == "10.0.0.1"


def test_only_a_check_without_a_web_request_passes_a_lock(client: Any, author: Any) -> None:
    """A management command has no client to count (harmreduction.accounts.LoginThrottleBackend);
    a login page always passes its request, and is refused."""
    fail(client, "author", limit())
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="127.0.0.1")
    assert authenticate(request, username="author", password=PASSWORD) is None
    assert authenticate(username="author", password=PASSWORD) == author


# --- Password reset ----------------------------------------------------------------------


@pytest.fixture
def member(make_user: Any) -> Any:
    return make_user("anna", email="anna@example.org")


def reset_link(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/reset/\S+/", message.body)
    assert found, message.body
    return found.group(0)


def test_the_login_page_links_to_the_reset_page(client: Any, db: Any) -> None:
    page = client.get(LOGIN).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Forgot your password?" in page
    assert client.get("/accounts/password_reset/").status_code == 200


def test_a_reset_mails_one_link_on_the_studio_address_that_sets_a_new_password_once(
    client: Any, member: Any, settings: Any
) -> None:
    settings.STUDIO_BASE_URL = "https://studio.example.org"
    # The Host header the request came with plays no part in the link.
    answer = client.post(reverse("password_reset"), {"email": "anna@example.org"},
                         HTTP_HOST="localhost")  # fmt: skip
    assert answer.status_code == 302 and answer["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@example.org"]
    link = reset_link(mail.outbox[0])
    assert link.startswith("https://studio.example.org/accounts/reset/")
    assert "anna" in mail.outbox[0].body and "localhost" not in mail.outbox[0].body

    path = link.removeprefix("https://studio.example.org")
    form = client.get(path, follow=True)
    assert "new_password1" in form.content.decode()
    new = "a brand new long passphrase"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert log_in(client, "anna", PASSWORD).status_code == 200  # the old one is gone
    assert logged_in(log_in(client, "anna", new))
    client.logout()
    again = client.get(path, follow=True).content.decode()
    assert "This link does not work" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Any, member: Any) -> None:
    known = client.post(reverse("password_reset"), {"email": "anna@example.org"}, follow=True)
    mail.outbox.clear()
    unknown = client.post(reverse("password_reset"), {"email": "who@example.org"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert mail.outbox == []


def test_repeated_requests_send_one_mail_per_account_in_the_interval(
    client: Any, member: Any
) -> None:
    answers = [
        client.post(reverse("password_reset"), {"email": "anna@example.org"}) for _ in range(5)
    ]
    assert {a["Location"] for a in answers} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 1
    page = client.get(reverse("password_reset_done")).content.decode()
    assert f"every {django_settings.PASSWORD_RESET_MAIL_MINUTES} minutes" in page


# --- Idle sessions -------------------------------------------------------------------------


def idle_seconds() -> int:
    return int(django_settings.SESSION_IDLE_MINUTES) * 60


def session_row(client: Any) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_a_session_cookie_lasts_the_idle_time(client: Any, author: Any) -> None:
    assert idle_seconds() == 480 * 60
    answer = log_in(client, "author", PASSWORD)
    assert int(answer.cookies["sessionid"]["max-age"]) == idle_seconds()
    left = session_row(client).expire_date - timezone.now()
    assert idle_seconds() - 60 < left.total_seconds() <= idle_seconds()


def test_a_studio_request_pushes_the_end_back_at_most_once_a_minute(
    client: Any, author: Any
) -> None:
    log_in(client, "author", PASSWORD)
    assert "sessionid" not in client.get(reverse("content:dashboard")).cookies  # just renewed

    # Ten minutes later, as the database sees it.
    session = client.session
    session[RENEWED_KEY] -= 600
    session.save()
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.filter(session_key=session.session_key).update(expire_date=soon)

    renewed = client.get(reverse("content:dashboard"))
    assert renewed.status_code == 200
    assert int(renewed.cookies["sessionid"]["max-age"]) == idle_seconds()
    left = session_row(client).expire_date - timezone.now()
    assert left.total_seconds() > idle_seconds() - 60


def test_a_session_idle_past_its_end_is_signed_out(client: Any, author: Any) -> None:
    log_in(client, "author", PASSWORD)
    past = timezone.now() - datetime.timedelta(seconds=1)
    Session.objects.update(expire_date=past)
    answer = client.get(reverse("content:dashboard"))
    assert answer.status_code == 302 and answer["Location"].startswith(LOGIN)


def test_public_pages_neither_read_nor_renew_a_signed_in_members_session(
    client: Any, author: Any, published: Post
) -> None:
    log_in(client, "author", PASSWORD)
    session = client.session
    session[RENEWED_KEY] -= 600
    session.save()
    before = session_row(client).expire_date
    for url in public_urls(published):
        answer = client.get(url)
        assert answer.status_code in (200, 404), url  # /pgp.txt: 404 with no key on record
        assert not answer.cookies, url
        assert "Cookie" not in answer.get("Vary", ""), url
    assert session_row(client).expire_date == before


# --- Private pages are not stored ---------------------------------------------------------


def public_urls(post: Post) -> list[str]:
    return [
        "/",
        post.get_public_url(),
        reverse("public:feed", args=["en"]),
        "/pgp.txt",
        "/pgp/",
        "/verify/",
        "/canary.txt",
        "/mirrors.txt",
    ]


def studio_urls_for(post: Post) -> list[str]:
    samples = {
        "pk": post.pk,
        "number": 1,
        "comment_pk": 1,
        "action": "submit",
        "uidb64": "MQ",  # the invitation link's parts
        "token": "not-a-token",
    }
    urls = []
    for pattern in studio_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        urls.append(reverse(f"content:{pattern.name}", kwargs={n: samples[n] for n in names}))
    return urls


def assert_private(answer: Any, url: str) -> None:
    directives = {d.strip() for d in answer.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, (url, answer.status_code, directives)


@pytest.mark.parametrize("who", ["anonymous", "author", "reviewer", "editor"])
def test_every_studio_page_says_private_no_store_whatever_the_answer(
    client: Any, published: Post, request: Any, who: str
) -> None:
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    statuses = set()
    for url in [
        *studio_urls_for(published),
        "/studio/no-such-page/",
        "/admin/",
        "/admin/content/post/",
        "/admin/no-such-page/",
        LOGIN,
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/not-a-token/",
    ]:
        answer = client.get(url)
        statuses.add(answer.status_code)
        assert_private(answer, url)
    # Pages, redirects, refusals and errors alike.
    assert {200, 302, 404} <= statuses if who == "anonymous" else {200, 404, 405} <= statuses
    assert (403 in statuses) == (who in ("author", "reviewer"))


def test_a_refused_login_and_the_lock_out_page_are_private(client: Any, author: Any) -> None:
    for answer in fail(client, "author", limit()):
        assert_private(answer, LOGIN)
    assert_private(log_in(client, "author", PASSWORD), LOGIN)


def test_public_pages_keep_their_own_cache_control(client: Any, published: Post) -> None:
    for url in public_urls(published)[:3]:
        answer = client.get(url)
        assert answer["Cache-Control"] == "no-cache" and "ETag" in answer, url


# --- HTTPS, the onion service and check --deploy -----------------------------------------

ONION_HOST = "hrexamplexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


@pytest.fixture
def production_https(settings: Any) -> Any:
    settings.ALLOWED_HOSTS = ["example.org", ONION_HOST]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def test_plain_http_is_redirected_and_https_gets_hsts(
    client: Any, published: Post, production_https: Any
) -> None:
    plain = client.get("/", HTTP_HOST="example.org")
    assert plain.status_code == 301 and plain["Location"] == "https://example.org/"
    secure = client.get("/", HTTP_HOST="example.org", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    # Monitors may ask over plain HTTP.
    assert client.get("/healthz", HTTP_HOST="example.org").status_code != 301


def test_the_onion_service_behind_its_proxy_is_not_redirected_and_gets_no_hsts(
    client: Any, published: Post, production_https: Any
) -> None:
    onion = {"HTTP_HOST": ONION_HOST, "HTTP_X_FORWARDED_PROTO": "https"}
    for url in ("/", published.get_public_url(), LOGIN):
        answer = client.get(url, **onion)
        assert answer.status_code == 200, url
        assert "Strict-Transport-Security" not in answer, url


def deploy_check(**extra: str) -> subprocess.CompletedProcess[str]:
    """manage.py check --deploy in a fresh process, with the README's production environment."""
    ours = ("SECURE_", "LOGIN_", "SESSION_", "PASSWORD_", "PUBLIC_", "STUDIO_", "DJANGO_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.pop("DATABASE_URL", None)
    env |= {
        "DJANGO_SETTINGS_MODULE": "harmreduction.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "STUDIO_BASE_URL": "https://example.org",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    } | extra
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_passes_with_the_production_environment() -> None:
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_COOKIES": "0"}, "security.W012"),
    ],
)
def test_check_deploy_fails_without_each_protection(change: dict[str, str], warning: str) -> None:
    result = deploy_check(**change)
    assert result.returncode != 0 and warning in result.stdout + result.stderr
