"""Rendered exports come from Django's cache, keyed by every input of the rendering.

Renders are counted by wrapping the renderer entry point (content.export_cache.export): a
second export of the same inputs must not render, and each input that changes (the profile's
header saved in the admin, a new published revision, another signing key, PUBLIC_SITE_URL,
preview or final, a re-approval, a linked post being published) must give a fresh render.
The Redis tests use database 15 of the Redis at 127.0.0.1:6379 and skip when none answers.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from content import export_cache, exports, roles, workflow
from content.exporters import ExportDocument, ExportSettings, ExportSource, Signer
from content.models import AuditEvent, ExportProfile, Post, PostKind
from content.revisions import create_post
from tests.support import (
    PASSPHRASE,
    SITE,
    Keys,
    content_of,
    key_record,
    new_version,
    profile,
    profile_admin_data,
    publish_latest,
)

pytestmark = pytest.mark.usefixtures("export_settings")

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/15"
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[ExportDocument]:
    """The documents the renderer was called with, one per render (instrumentation only)."""
    calls: list[ExportDocument] = []
    real = export_cache.export

    def counting(document: ExportDocument, *args: Any, **kwargs: Any) -> Any:
        calls.append(document)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(export_cache, "export", counting)
    return calls


def final(post: Post, profile_: ExportProfile, actor: Any) -> exports.Outcome:
    return exports.export_post(post=post, profile=profile_, actor=actor, final=True)


def preview(post: Post, profile_: ExportProfile, actor: Any) -> exports.Outcome:
    return exports.export_post(post=post, profile=profile_, actor=actor, final=False)


def exported_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).order_by("pk"))


# --- A second export is not rendered again, and is still audited ------------------------------


def test_a_second_export_of_the_same_revision_and_profile_is_not_rendered_again(
    published, author, renders
) -> None:
    first = final(published, profile("phpbb"), author)
    second = final(published, profile("phpbb"), author)
    assert len(renders) == 1
    assert second.parts == first.parts and second.result == first.result
    assert second.final and second.revision == published.published_revision


def test_a_cache_hit_still_writes_its_exported_audit_event(
    published, author, editor, renders
) -> None:
    # Another person, so that the second export is not the same day's repeat (recorded once).
    first = final(published, profile("phpbb"), author)
    second = final(published, profile("phpbb"), editor)
    assert len(renders) == 1
    events = exported_events()
    assert len(events) == 2, "the audit log records every export handed out, hit or not"
    for event, outcome, actor in zip(events, (first, second), (author, editor), strict=True):
        assert (event.actor, event.post, event.revision) == (actor, published, outcome.revision)
        assert event.details["part_hashes"] == outcome.part_hashes
        assert event.details["profile"] == "phpbb"


def test_a_signed_export_is_cached_with_its_signature_and_stays_verifiable(
    published, author, signed_profile, gpg_keys, renders
) -> None:
    first = final(published, signed_profile, author)
    second = final(published, signed_profile, author)
    assert len(renders) == 1
    assert second.result.signed and second.parts == first.parts  # the same signature
    assert all(gpg_verify(gpg_keys.home, part).returncode == 0 for part in second.parts)
    assert len(exported_events()) == 1  # the same text, person and day: recorded once


def test_a_switched_off_key_stops_the_export_even_when_it_is_cached(
    published, author, signed_profile, renders
) -> None:
    final(published, signed_profile, author)
    key = signed_profile.signing_key
    key.active = False
    key.save()
    with pytest.raises(exports.SigningError, match="switched off"):
        final(published, ExportProfile.objects.get(pk=signed_profile.pk), author)
    assert len(exported_events()) == 1


# --- Each input gives a fresh render ------------------------------------------------------------


def admin_change(client: Any, profile_: ExportProfile, **changes: Any) -> None:
    """Save the profile through its admin change form, as an editor does."""
    values = profile_admin_data(profile_)
    url = reverse("admin:content_exportprofile_change", args=[profile_.pk])
    response = client.post(url, values | changes)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_saving_the_profiles_header_in_the_admin_gives_a_fresh_render(
    published, author, editor, client, renders
) -> None:
    before = final(published, profile("phpbb"), author)
    client.force_login(editor)
    admin_change(client, profile("phpbb"), header_template="Checked by {reviewers}: {url}")
    after = final(published, profile("phpbb"), author)
    assert len(renders) == 2
    assert after.parts != before.parts and "Checked by" in after.parts[0]
    final(published, profile("phpbb"), author)
    assert len(renders) == 2, "the saved profile is cached in turn"


def test_a_new_published_revision_gives_a_fresh_render(
    published, author, reviewer, renders
) -> None:
    before = final(published, profile("phpbb"), author)
    newer = new_version(published, author, reviewer, title="Ketamine and your kidneys")
    after = final(newer, profile("phpbb"), author)
    assert len(renders) == 2
    assert after.revision.number == before.revision.number + 1
    assert "Ketamine and your kidneys" in after.parts[0]


def test_another_signing_key_gives_a_fresh_render(
    published, author, signed_profile, gpg_keys, export_settings, renders
) -> None:
    export_settings.GNUPG_PASSPHRASE = PASSPHRASE  # the other key is protected
    before = final(published, signed_profile, author)
    signed_profile.signing_key = key_record(gpg_keys.home, gpg_keys.protected, "Other key")
    signed_profile.full_clean()
    signed_profile.save()
    after = final(published, signed_profile, author)
    assert len(renders) == 2
    assert after.parts != before.parts
    assert gpg_keys.protected.encode() in signed_by(gpg_keys, after.parts[0])
    assert gpg_keys.team.encode() in signed_by(gpg_keys, before.parts[0])


def test_a_changed_public_site_url_gives_a_fresh_render(
    published, author, export_settings, renders
) -> None:
    before = final(published, profile("phpbb"), author)
    export_settings.PUBLIC_SITE_URL = "https://mirror.example.net"
    after = final(published, profile("phpbb"), author)
    assert len(renders) == 2
    assert SITE in before.parts[0] and SITE not in after.parts[0]
    assert "https://mirror.example.net" in after.parts[0]


def test_a_preview_and_a_final_export_are_never_served_for_each_other(
    published, author, renders
) -> None:
    # The published revision is also the latest, so both show the same text.
    draft = preview(published, profile("phpbb"), author)
    real = final(published, profile("phpbb"), author)
    assert len(renders) == 2
    assert "DRAFT - NOT REVIEWED" in draft.parts[0]
    assert "DRAFT - NOT REVIEWED" not in real.parts[0]
    again_draft, again_real = (
        preview(published, profile("phpbb"), author),
        final(published, profile("phpbb"), author),
    )
    assert len(renders) == 2
    assert (again_draft.parts, again_real.parts) == (draft.parts, real.parts)
    assert not again_draft.final and again_real.final


def test_a_re_approval_gives_a_fresh_render(post, author, reviewer, make_user, renders) -> None:
    workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    back = timezone.now() - datetime.timedelta(days=100)
    workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id, at=back)
    post = Post.objects.get(pk=post.pk)
    due_before = post.review_due
    header = profile("phpbb")
    header.header_template = "Reviewed by {reviewers}. Next review {review_due}."
    header.save()
    before = final(post, header, author)
    second = make_user("second_reviewer", roles.REVIEWERS)
    workflow.re_approve(post=post, actor=second, revision_id=post.published_revision_id)
    post = Post.objects.get(pk=post.pk)
    assert post.review_due != due_before
    after = final(post, header, author)
    assert len(renders) == 2
    assert due_before.isoformat() in before.parts[0]
    assert post.review_due.isoformat() in after.parts[0] and "2 professionals" in after.parts[0]


def test_publishing_a_linked_post_gives_a_fresh_render(author, reviewer, english, renders) -> None:
    """Whether a link to our own site stays depends on the linked post being public; the
    cache asks again on every hit and renders anew when the answer changed."""
    linked = create_post(
        author=author,
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(title="Testing your pills"),
    )
    text = f"Test first: [how to]({SITE}{linked.get_public_url()})."
    post = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(body=text)
    )
    post = publish_latest(post, author=author, reviewer=reviewer)
    before = final(post, profile("discourse"), author)
    final(post, profile("discourse"), author)
    assert len(renders) == 1
    assert linked.get_public_url() not in before.parts[0], "a draft's address is left out"
    publish_latest(linked, author=author, reviewer=reviewer)
    after = final(post, profile("discourse"), author)
    assert len(renders) == 2
    assert f"{SITE}{linked.get_public_url()}" in after.parts[0]


# --- The key holds every input ------------------------------------------------------------------

DOCUMENT = ExportDocument(
    title="Title",
    summary="Summary",
    body="Body",
    sources=(ExportSource("Source", "https://example.org/", datetime.date(2026, 1, 1)),),
    version=3,
    content_hash="a" * 64,
    language="en",
    kind="article",
    published_on=datetime.date(2026, 2, 1),
    review_due=datetime.date(2027, 2, 1),
    approvals=2,
    canonical_url=f"{SITE}/en/title/",
    onion_url="http://example.onion/en/title/",
    is_final=True,
    slug="title",
    verify_path="/verify/",
    key_path="/pgp.txt",
    status="",
)
SETTINGS = ExportSettings(format="bbcode", dialect="phpbb3", sign=True)
SIGNER = Signer(gnupghome="unused", fingerprint="F" * 40)

# Another value for every field; a field missing here fails the test below, so a new input
# of the exporters must be thought about (and the digest takes it in by itself).
OTHER_DOCUMENT_VALUES: dict[str, Any] = {
    "title": "Other title",
    "summary": "Other summary",
    "body": "Other body",
    "sources": (ExportSource("Source", "https://example.org/", datetime.date(2026, 1, 2)),),
    "version": 4,
    "content_hash": "b" * 64,
    "language": "nl",
    "kind": "drug_alert",
    "published_on": datetime.date(2026, 2, 2),
    "review_due": datetime.date(2027, 2, 2),
    "approvals": 3,
    "canonical_url": "https://mirror.example.net/en/title/",
    "onion_url": "http://other.onion/en/title/",
    "is_final": False,
    "slug": "other-title",
    "verify_path": "/en/verify/",
    "key_path": "/key.txt",
    "status": "withdrawn",
    "public_path": lambda path: True,  # asking at all changes what a link to us becomes
}
OTHER_SETTINGS_VALUES: dict[str, Any] = {
    "format": "plaintext",  # a format without dialects keeps the dialect field as it is
    "dialect": "smf21",
    "max_length": 5000,
    "link_policy": "references",
    "image_policy": "drop",
    "tor": True,
    "header_template": "{title}",
    "footer_template": "{url}",
    "sign": False,
}


def test_every_field_of_the_document_and_the_settings_is_listed_here() -> None:
    assert set(OTHER_DOCUMENT_VALUES) == {f.name for f in dataclasses.fields(ExportDocument)}
    assert set(OTHER_SETTINGS_VALUES) == {f.name for f in dataclasses.fields(ExportSettings)}


@pytest.mark.parametrize("name", sorted(OTHER_DOCUMENT_VALUES))
def test_changing_any_field_of_the_document_changes_the_key(name: str) -> None:
    changed = dataclasses.replace(DOCUMENT, **{name: OTHER_DOCUMENT_VALUES[name]})
    assert export_cache.key_for(changed, SETTINGS, SIGNER) != export_cache.key_for(
        DOCUMENT, SETTINGS, SIGNER
    )


@pytest.mark.parametrize("name", sorted(OTHER_SETTINGS_VALUES))
def test_changing_any_field_of_the_settings_changes_the_key(name: str) -> None:
    changed = dataclasses.replace(SETTINGS, **{name: OTHER_SETTINGS_VALUES[name]})
    assert export_cache.key_for(DOCUMENT, changed, SIGNER) != export_cache.key_for(
        DOCUMENT, SETTINGS, SIGNER
    )


def test_the_signing_key_and_the_exporters_code_are_in_the_key(monkeypatch) -> None:
    key = export_cache.key_for(DOCUMENT, SETTINGS, SIGNER)
    other_signer = dataclasses.replace(SIGNER, fingerprint="E" * 40)
    assert export_cache.key_for(DOCUMENT, SETTINGS, other_signer) != key
    monkeypatch.setattr(export_cache, "CODE_VERSION", "another-release")
    assert export_cache.key_for(DOCUMENT, SETTINGS, SIGNER) != key


def test_an_unsigned_export_does_not_depend_on_a_signer() -> None:
    unsigned = dataclasses.replace(SETTINGS, sign=False)
    other_signer = dataclasses.replace(SIGNER, fingerprint="E" * 40)
    assert export_cache.key_for(DOCUMENT, unsigned, SIGNER) == export_cache.key_for(
        DOCUMENT, unsigned, other_signer
    )


def test_the_code_version_covers_every_exporter_module_and_the_markdown_pipeline() -> None:
    app = ROOT / "content"
    covered = {path.resolve() for path in export_cache._CODE_FILES}
    assert {path.resolve() for path in (app / "exporters").glob("*.py")} <= covered
    assert (app / "markdown.py").resolve() in covered


def test_an_entry_that_is_not_an_export_is_rendered_again(published, author, renders) -> None:
    first = final(published, profile("phpbb"), author)
    for key in list(locmem_keys()):
        cache.set(key, b"not an export", timeout=None)
    again = final(published, profile("phpbb"), author)
    assert len(renders) == 2 and again.parts == first.parts


def locmem_keys() -> Iterator[str]:
    """The export keys in the in-memory test cache (as stored, without Django's prefix)."""
    stored = getattr(cache, "_cache", {})
    for full in stored:
        key = full.split(":", 2)[-1]
        if key.startswith("export:"):
            yield key


# --- Redis ----------------------------------------------------------------------------------


def gpg_verify(home: str, signed: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--verify"],
        input=signed.encode(),
        capture_output=True,
        check=False,
    )


def signed_by(keys: Keys, signed: str) -> bytes:
    """gpg's VALIDSIG status line for `signed` (it names the signing key's fingerprint)."""
    status = subprocess.run(
        ["gpg", "--homedir", keys.home, "--batch", "--status-fd", "1", "--verify"],
        input=signed.encode(),
        capture_output=True,
        check=False,
    ).stdout
    return b"".join(line for line in status.splitlines() if line.startswith(b"[GNUPG:] VALIDSIG"))


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def cache_settings(redis_url: str) -> dict[str, Any]:
    """CACHES and the django-redis logging switch exactly as harmreduction/settings.py makes
    them from REDIS_URL (read in a fresh interpreter, as a deployment would)."""
    code = (
        "import json, harmreduction.settings as s; "
        "print(json.dumps({'CACHES': s.CACHES, "
        "'LOG': getattr(s, 'DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS', None)}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"DEBUG": "1", "REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@pytest.fixture
def use_redis(settings: Any) -> Iterator[Callable[[str], None]]:
    """Switch Django's cache to the REDIS_URL configuration; what it stored goes afterwards."""
    switched: list[str] = []

    def switch(url: str) -> None:
        made = cache_settings(url)
        settings.CACHES = made["CACHES"]
        settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = made["LOG"]
        switched.append(url)

    yield switch
    if switched:
        cache.clear()  # database 15 is the tests' own; unreachable: nothing to clear


def test_redis_url_selects_django_redis_and_degrades_instead_of_failing() -> None:
    made = cache_settings(REDIS_URL)
    default = made["CACHES"]["default"]
    assert default["BACKEND"] == "content.export_cache.RedisCache"
    assert default["LOCATION"] == REDIS_URL and default["KEY_PREFIX"]
    assert default["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert 0 < default["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    assert 0 < default["OPTIONS"]["SOCKET_TIMEOUT"] <= 1
    assert made["LOG"] is True, "an outage must show in the logs, not only in latency"


needs_redis = pytest.mark.skipif(
    not redis_answers(), reason="no Redis answers at 127.0.0.1:6379 (CI starts one)"
)


@needs_redis
def test_an_export_round_trips_through_redis(published, author, use_redis, renders) -> None:
    import redis  # only here: the client is there whenever django-redis is

    use_redis(REDIS_URL)
    cache.clear()
    first = final(published, profile("phpbb"), author)
    second = final(published, profile("phpbb"), author)
    assert len(renders) == 1 and second.parts == first.parts
    stored = redis.Redis.from_url(REDIS_URL).keys("harmreduction:*export:*")
    assert len(stored) == 1
    assert len(exported_events()) == 1  # the same text, person and day: recorded once


@needs_redis
def test_a_public_page_round_trips_through_redis(
    client, published, use_redis, django_assert_num_queries
) -> None:
    import redis

    use_redis(REDIS_URL)
    cache.clear()
    first = client.get(published.get_public_url())
    assert first.status_code == 200
    assert redis.Redis.from_url(REDIS_URL).keys("harmreduction:*public:*")
    with django_assert_num_queries(1):  # the public version; the page comes from Redis
        again = client.get(published.get_public_url())
    assert again.status_code == 200 and again.content == first.content


def test_with_redis_unreachable_exports_and_pages_still_work(
    client, published, author, use_redis, renders, caplog
) -> None:
    use_redis(UNREACHABLE_REDIS_URL)
    first = final(published, profile("phpbb"), author)
    second = final(published, profile("phpbb"), author)
    assert second.parts == first.parts
    assert len(renders) == 2, "nothing could be stored, so each export is rendered"
    assert len(exported_events()) == 1  # the same text, person and day: recorded once
    for _ in range(2):
        page = client.get(published.get_public_url())
        assert page.status_code == 200 and "Ketamine and your bladder" in page.content.decode()
    assert client.get("/").status_code == 200
    assert "Exception ignored" in caplog.text, "the outage is logged"


def test_with_redis_unreachable_the_verify_page_checks_without_its_rate_limit(
    client, published, use_redis
) -> None:
    use_redis(UNREACHABLE_REDIS_URL)
    form = client.get(reverse("public:verify"))
    token = form.content.decode().split('name="token" value="', 1)[1].split('"', 1)[0]
    response = client.post(reverse("public:verify"), {"text": "not signed", "token": token})
    assert response.status_code == 200
