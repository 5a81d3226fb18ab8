"""The export page answers as the workflow's pages do: 403 for who the person is, 409 with the
reason on the page for where the post, its profile or key stands, 400 for a malformed form; and
nothing is exported or audited by any refusal."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from content import roles
from content.models import AuditEvent, ExportProfile, Post, PostKind
from content.revisions import create_post
from tests.support import content_of, key_record, publish_latest

pytestmark = pytest.mark.usefixtures("export_settings")


def export(client: Any, post: Post, **data: str) -> Any:
    fields = {"profile": "phpbb", "version": "final"} | data
    return client.post(reverse("content:post_export", args=[post.pk]), fields)


def exported() -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).count()


def test_a_reviewer_asking_for_a_final_export_is_forbidden(client, reviewer, published) -> None:
    client.force_login(reviewer)
    assert export(client, published).status_code == 403
    assert exported() == 0


def test_a_post_that_is_not_approved_and_published_is_a_conflict(author_client, post) -> None:
    response = export(author_client, post)
    assert response.status_code == 409
    assert "no published text yet" in html.unescape(response.content.decode())
    assert exported() == 0


def test_an_expired_key_is_a_conflict_with_the_reason(
    author_client, published, signed_profile, gpg_keys
) -> None:
    signed_profile.signing_key = key_record(gpg_keys.home, gpg_keys.expired, "Old key")
    signed_profile.save()
    response = export(author_client, published, download="1")
    assert response.status_code == 409 and "Content-Disposition" not in response
    assert "expired" in response.content.decode()
    assert exported() == 0


def test_a_missing_onion_address_is_a_conflict_naming_the_setting(
    author_client, published, settings
) -> None:
    settings.PUBLIC_ONION_URL = ""
    response = export(author_client, published, profile="dread")
    assert response.status_code == 409
    assert "PUBLIC_ONION_URL" in response.content.decode()
    assert exported() == 0


def test_opsec_findings_are_a_conflict_with_the_reason(
    author_client, author, reviewer, english, make_user
) -> None:
    make_user("jdoe", roles.EDITORS, first_name="Jane", last_name="Doe")
    body = "Frequent use hurts.\nInternal note: ask Jane Doe first."
    post = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(body=body)
    )
    publish_latest(post, author=author, reviewer=reviewer)
    response = export(author_client, post)
    assert response.status_code == 409
    assert "the opsec check found" in html.unescape(response.content.decode())
    assert exported() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"profile": "no-such-forum"},
        {"version": "signed"},
        {"profile": ""},
    ],
)
def test_a_malformed_request_is_a_bad_request(author_client, published, data) -> None:
    response = export(author_client, published, **data)
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode() or "errorlist" in response.content.decode()
    assert exported() == 0


def test_a_refused_replacement_is_a_conflict(author_client, author, published) -> None:
    from content import reposts

    repost = reposts.record_repost(
        post=published,
        profile=ExportProfile.objects.get(slug="phpbb"),
        actor=author,
        where="Forum thread",
        posted_on=published.published_at.date(),
    )
    response = author_client.post(reverse("content:repost_replacement", args=[repost.pk]))
    assert response.status_code == 409 and "up to date" in response.content.decode()
