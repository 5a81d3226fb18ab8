"""The public verify page, as an anonymous reader uses it: no cookie, CSRF checks on."""

from __future__ import annotations

import html
import io
import logging
import re
import time
import uuid
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import exports, signing_keys, verification, workflow
from content.addresses import change_slug
from content.exporters.signing import generate_key
from content.models import AuditEvent, Notification, Post, SigningKey
from content.views import verify as verify_view
from tests import test_verification
from tests.support import Keys, key_record, new_version, profile, signed_attestation

pytestmark = pytest.mark.usefixtures("export_settings")

foreign_keys = test_verification.foreign_keys

URL = reverse("public:verify")


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> None:
    cache.clear()


@pytest.fixture
def reader() -> Client:
    return Client(enforce_csrf_checks=True)


def token_of(response: Any) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def check(reader: Client, text: str, **headers: Any) -> Any:
    token = token_of(reader.get(URL))
    return reader.post(URL, {"text": text, "token": token}, headers=headers)


def result_of(response: Any) -> str:
    """The result section alone, without the form that repeats the paste."""
    page = response.content.decode()
    return page[page.index('<section class="verify-result"') : page.index("</section>")]


def test_the_form_works_without_cookies_or_javascript(reader, published, team_key, gpg_keys):
    form = reader.get(URL)
    assert form.status_code == 200 and not form.cookies
    page = form.content.decode()
    assert 'method="post"' in page and "<script" not in page and 'name="text"' in page
    assert not re.search(r'(src|href|action)="(https?:)?//', page)  # relative links only
    assert "no-store" in form["Cache-Control"]
    # A second reader, who never saw that page's cookies (there are none), posts the form.
    response = Client(enforce_csrf_checks=True).post(
        URL, {"text": signed_attestation(gpg_keys, published), "token": token_of(form)}
    )
    assert response.status_code == 200 and not response.cookies
    assert "Good signature" in result_of(response)


def test_a_post_without_the_form_token_or_from_another_site_is_refused(reader, published):
    assert reader.post(URL, {"text": "hello"}).status_code == 403
    assert reader.post(URL, {"text": "hello", "token": "forged"}).status_code == 403
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = check(reader, "hello", **headers)
        assert response.status_code == 403
        assert str(verify_view.ERROR_FORM) in response.content.decode()
    assert check(reader, "some words", Origin="http://testserver").status_code == 200


def test_a_good_signature_on_the_current_revision(reader, published, team_key, gpg_keys):
    result = result_of(check(reader, signed_attestation(gpg_keys, published)))
    assert f"Good signature by our key {team_key.grouped_fingerprint}." in result
    assert "Team &lt;team@example.org&gt;" in result and "current" in result
    assert "Team key" not in result  # the team's own label for the key is not for readers
    assert "This is the current published version" in result
    assert f'href="{published.get_public_url()}"' in result
    assert "ignored" not in result


def test_a_text_naming_an_old_address_links_to_the_post_at_its_new_address(
    reader, published, team_key, gpg_keys, editor
):
    signed = test_verification.signed_without_hash(gpg_keys, published)
    old_url = published.get_public_url()
    moved = change_slug(post=published, actor=editor, slug="bladder-damage", keep_old_address=True)
    result = result_of(check(reader, signed))
    assert "Good signature" in result and "This is the current published version" in result
    assert "“Ketamine and your bladder”, version 1" in result
    assert f'href="{moved.get_public_url()}"' in result and f'href="{old_url}"' not in result


def test_a_text_naming_an_address_made_to_disappear_names_no_post(
    reader, published, team_key, gpg_keys, editor
):
    signed = test_verification.signed_without_hash(gpg_keys, published)
    change_slug(post=published, actor=editor, slug="bladder-damage", keep_old_address=False)
    result = result_of(check(reader, signed))
    assert "Good signature" in result and "we cannot tell which version of which post" in result
    assert "Ketamine and your bladder" not in result and "bladder-damage" not in result


def test_a_good_signature_on_an_older_revision_shows_what_changed(
    reader, published, team_key, gpg_keys, author, reviewer
):
    old = signed_attestation(gpg_keys, published)
    new_version(published, author, reviewer, body="Frequent use can badly damage the bladder.")
    result = result_of(check(reader, old))
    assert "Good signature" in result and "This is an older version" in result
    assert "The current version is version 2" in result
    assert "<ins>badly damage</ins>" in result and "<del>" in result


def test_a_withdrawn_post_gives_the_date_and_public_reason_never_the_internal_one(
    reader, published, team_key, gpg_keys, editor
):
    signed = signed_attestation(gpg_keys, published)
    workflow.withdraw(
        post=published,
        actor=editor,
        reason="Internal: Rik found the dose wrong",
        public_reason="The dose advice was wrong.",
    )
    post = Post.objects.get(pk=published.pk)
    when = getattr(post, "withdrawn_at", None) or post.audit_events.first().created_at
    result = result_of(check(reader, signed))
    assert f"This post was withdrawn on {timezone.localtime(when):%Y-%m-%d}" in result
    assert "The dose advice was wrong." in result
    assert "Rik" not in result and "Internal" not in result
    assert f'href="{published.get_public_url()}"' not in result


def test_one_character_changed_inside_the_armor_is_a_bad_signature(
    reader, published, team_key, gpg_keys
):
    signed = signed_attestation(gpg_keys, published)
    assert "damage" in signed
    result = result_of(check(reader, signed.replace("damage", "damagE", 1)))
    assert "Bad signature" in result and "current published version" not in result


def test_of_two_signed_blocks_the_page_checks_only_the_first(
    reader, published, team_key, gpg_keys, author, reviewer
):
    older = signed_attestation(gpg_keys, published)
    post = new_version(published, author, reviewer, body="Frequent use can badly damage it.")
    result = result_of(check(reader, f"{older}\n{signed_attestation(gpg_keys, post)}"))
    assert "Good signature" in result and "version 1" in result
    assert "This is an older version" in result and "not covered by the signature" in result


REVOKED = "which is revoked: this signature proves nothing"


def test_a_key_recorded_as_revoked_proves_nothing_on_the_page(
    reader, published, team_key, gpg_keys
):
    signed = signed_attestation(gpg_keys, published)
    SigningKey.objects.filter(pk=team_key.pk).update(
        status=SigningKey.Status.REVOKED, status_reason="Laptop stolen"
    )
    result = result_of(check(reader, signed))
    assert f"Signed by our key {team_key.grouped_fingerprint}, {REVOKED}" in result
    assert "Good signature" not in result and "Laptop stolen" in result
    assert "Matching text" in result and "Signed text" not in result  # by its words only


def test_a_key_revoked_in_our_key_store_proves_nothing_on_the_page(
    reader, published, editor, own_store
):
    own = Keys(own_store, generate_key(own_store, name="Own", email="own@example.org"), "")
    key = key_record(own_store, own.team, "Own key")
    signed = signed_attestation(own, published)  # signed while the key was still good
    good = f"Good signature by our key {key.grouped_fingerprint}."
    assert good in result_of(check(reader, signed))
    signing_keys.revoke_signing_key(key=key, actor=editor, reason="Laptop stolen")
    result = result_of(check(reader, signed))
    assert f"Signed by our key {key.grouped_fingerprint}, {REVOKED}" in result
    assert "Good signature" not in result and "Laptop stolen" in result


def test_a_signature_by_a_key_that_is_not_ours_says_so(reader, published, team_key, foreign_keys):
    result = result_of(check(reader, signed_attestation(foreign_keys, published)))
    assert "Not signed by us" in result and "Good signature" not in result
    assert "current published version" not in result


def test_text_outside_the_armor_is_ignored_and_said_so(reader, published, team_key, gpg_keys):
    signed = signed_attestation(gpg_keys, published)
    paste = f"Update: take 5 g at once!\n\n{signed}\nAlso trusted: double the dose.\n"
    result = result_of(check(reader, paste))
    assert "Good signature" in result
    assert "text outside the signed block was ignored: it is not covered by the signature" in (
        result.lower()
    )
    assert "5 g" not in result and "double the dose" not in result


def test_a_whole_signed_forum_post_verifies_and_its_frame_is_ignored(
    reader, published, author, signed_profile
):
    outcome = exports.export_post(post=published, profile=signed_profile, actor=author, final=True)
    assert outcome.result.signed
    result = result_of(check(reader, outcome.parts[0]))
    assert "Good signature by our key" in result and "current published version" in result
    assert "not covered by the signature" in result  # the BBCode post around the [code] block


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s.replace("\n", "\r\n"),
        lambda s: "\n".join(line.rstrip() for line in s.split("\n")),
        lambda s: s.rstrip("\n"),
        lambda s: s + "\n",
        lambda s: "\n\n  \n" + s.replace("\n", " \r\n").rstrip() + "\r\n\r\n",
    ],
    ids=["crlf", "trailing-blanks-stripped", "final-newline-dropped", "newline-added", "all"],
)
def test_what_forums_do_to_pasted_text_still_verifies(
    reader, published, team_key, gpg_keys, damage
):
    result = result_of(check(reader, damage(signed_attestation(gpg_keys, published))))
    assert "Good signature" in result and "current published version" in result


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: "> " + s.replace("\n", "\n> "),
        lambda s: "    " + s.replace("\n", "\n    "),
        lambda s: s.replace("\n", "\r"),
        lambda s: "> " + s.replace("\n", "\r> "),
    ],
    ids=["quoted", "indented-4-spaces", "old-mac-cr", "quoted-with-cr"],
)
def test_quoted_indented_or_cr_only_pastes_still_verify_on_the_page(
    reader, published, team_key, gpg_keys, damage
):
    result = result_of(check(reader, damage(signed_attestation(gpg_keys, published))))
    assert "Good signature" in result and "current published version" in result


def test_a_malformed_block_is_not_valid_and_never_a_server_error(reader, published, team_key):
    paste = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nHello\n"
        "-----BEGIN PGP SIGNATURE-----\n\nnot base64 at all!!\n-----END PGP SIGNATURE-----\n"
    )
    for text in (paste, paste.split("-----END")[0]):
        response = check(reader, text)
        assert response.status_code == 200
        assert "This is not a valid signed block" in result_of(response)


def test_a_huge_paste_is_refused_without_running_gpg(reader, settings, monkeypatch):
    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("gpg ran")

    monkeypatch.setattr(verification, "run_gpg", never)
    settings.VERIFY_MAX_BYTES = 1000
    block = "-----BEGIN PGP SIGNED MESSAGE-----\n" + "x" * 1001
    for text in (block, block * 10):  # checked as read, and refused before it is read
        response = check(reader, text)
        assert response.status_code == 413
        assert "too long to check here (more than 1 KB)" in response.content.decode()


@pytest.mark.parametrize("slug", ["phpbb", "reddit"], ids=["bbcode", "forum-markdown"])
def test_an_unsigned_copy_of_a_post_finds_its_revision_and_says_it_is_unsigned(
    reader, published, author, slug
):
    outcome = exports.export_post(post=published, profile=profile(slug), actor=author, final=True)
    assert not outcome.result.signed
    result = result_of(check(reader, outcome.parts[0]))
    assert "This text is unsigned, so it proves nothing by itself" in result
    assert "“Ketamine and your bladder”, version 1" in result
    assert "This is the current published version" in result


def test_an_unsigned_copy_of_an_older_version_shows_the_diff(reader, published, author, reviewer):
    text = exports.export_post(
        post=published, profile=profile("phpbb"), actor=author, final=True
    ).parts[0]
    new_version(published, author, reviewer, body="Frequent use can badly damage the bladder.")
    result = result_of(check(reader, text))
    assert "unsigned" in result and "This is an older version" in result
    assert "<ins>badly damage</ins>" in result


def test_garbage_finds_nothing_and_says_so(reader, published):
    response = check(reader, "lorem ipsum dolor sit amet <script>alert(1)</script> " * 5)
    result = result_of(response)
    assert response.status_code == 200 and "unsigned" in result
    assert "It does not match any text we have published" in result
    assert "<script>" not in response.content.decode()


def test_a_form_token_older_than_a_day_is_refused_and_the_text_kept(reader, published, monkeypatch):
    def token_made(seconds_ago: int) -> str:
        then = time.time() - seconds_ago
        with monkeypatch.context() as patched:
            patched.setattr(signing.time, "time", lambda: then)
            return verify_view.form_token()

    text = "Ketamine and your bladder: my own notes"
    day = verify_view.FORM_MAX_AGE_SECONDS
    assert day == 24 * 3600
    stale = reader.post(URL, {"text": text, "token": token_made(day + 60)})
    page = stale.content.decode()
    assert stale.status_code == 403 and str(verify_view.ERROR_FORM) in html.unescape(page)
    assert f">\n{text}</textarea>" in page and 'class="verify-result"' not in page
    fresh = reader.post(URL, {"text": text, "token": token_made(day - 3600)})
    assert fresh.status_code == 200 and 'class="verify-result"' in fresh.content.decode()


def test_nothing_pasted_is_stored_or_logged(
    reader, published, team_key, gpg_keys, caplog, monkeypatch
):
    marker = f"pastemarker{uuid.uuid4().hex}"
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):  # every logger, even one that does not propagate
            caplog.set_level(logging.DEBUG, logger=name)
            monkeypatch.setattr(logger, "propagate", True)
            monkeypatch.setattr(logger, "disabled", False)
    events, notifications = AuditEvent.objects.count(), Notification.objects.count()
    signed = signed_attestation(gpg_keys, published)
    pastes = [
        f"{marker}\n{signed}",  # good, with text outside the block
        signed.replace("damage", marker),  # bad
        f"Ketamine and your bladder. Why frequent use hurts. {marker} Take breaks, see a doctor.",
    ]
    for paste in pastes:
        response = check(reader, paste)
        assert response.status_code == 200 and marker in response.content.decode()
    refused = reader.post(URL, {"text": pastes[2], "token": "forged"})  # kept for the reader
    assert refused.status_code == 403 and marker in refused.content.decode()
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, notifications)
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert "Ketamine and your bladder" in dump.getvalue()  # the dump holds the content app
    assert marker not in dump.getvalue()
    logging.getLogger(verify_view.__name__).debug("canary")
    assert "canary" in caplog.messages  # the loggers were listening, at DEBUG
    assert not [r for r in caplog.records if marker in r.getMessage() or marker in str(r.args)]
    assert marker not in caplog.text  # nor in a traceback logged with a record (exc_info)


def test_too_many_checks_in_a_minute_are_refused_for_a_while(reader, settings, published):
    settings.VERIFY_RATE_LIMIT = 2
    assert [check(reader, "some words").status_code for _ in range(3)] == [200, 200, 429]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "hrexamplexxx.onion"]
    response = check(reader, "some words", HOST="hrexamplexxx.onion")
    assert response.status_code == 200  # the onion site counts on its own


def test_the_rate_limit_counts_per_site_address_and_minute(rf, settings) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "hrexamplexxx.onion"]
    web, onion = rf.post(URL), rf.post(URL, HTTP_HOST="hrexamplexxx.onion")
    now = 1_000_000 * verify_view.RATE_WINDOW_SECONDS
    assert not any(verify_view.over_rate_limit(web, limit=2, now=now) for _ in range(2))
    assert verify_view.over_rate_limit(web, limit=2, now=now)
    assert not verify_view.over_rate_limit(onion, limit=2, now=now)
    assert not verify_view.over_rate_limit(web, limit=2, now=now + 60)
