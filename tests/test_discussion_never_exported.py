"""Review comments stay in the studio: no export format, public page, feed, API answer, reader's
signed copy or /verify/ shows them, on the very revision they are about."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from content import discussion, exports, workflow
from content.models import ExportProfile, Post

pytestmark = pytest.mark.usefixtures("export_settings")

MARKER = "Zq7-internal-remark"
QUOTE = "the bladder"


@pytest.fixture
def discussed(published: Post, author: Any, reviewer: Any, signed_profile: ExportProfile) -> Post:
    revision = published.published_revision
    thread = discussion.add_comment(
        post=published, revision=revision, actor=reviewer, body=f"{MARKER} thread", quote=QUOTE
    )
    discussion.add_comment(
        post=published, revision=revision, actor=author, body=f"{MARKER} reply", parent=thread
    )
    discussion.resolve(comment=thread, actor=author)
    return Post.objects.select_related("language").get(pk=published.pk)


def test_no_export_profile_or_format_shows_a_comment(discussed: Post, author: Any) -> None:
    profiles = list(ExportProfile.objects.all())
    formats = {profile.format for profile in profiles}
    assert len(profiles) >= 7 and len(formats) >= 3  # every seeded target, each format
    for profile in profiles:
        for final in (True, False):
            outcome = exports.export_post(
                post=discussed, profile=profile, actor=author, final=final
            )
            assert outcome.parts, profile.slug
            assert all(MARKER not in part for part in outcome.parts), profile.slug
            name, data, _ = outcome.download()
            assert MARKER.encode() not in data, name


def test_no_public_page_feed_api_answer_or_signed_copy_shows_a_comment(discussed: Post) -> None:
    reader = Client()
    lang, slug = discussed.language.code, discussed.slug
    addresses = [
        discussed.get_public_url(),
        reverse("public:index"),
        reverse("public:language", args=[lang]),
        reverse("public:feed", args=[lang]),
        reverse("public:json_feed", args=[lang]),
        reverse("public:sitemap"),
        reverse("public:verify"),
        f"/api/v1/posts/{lang}/{slug}/",
        "/api/v1/posts/",
    ]
    addresses += [
        reverse("public:signed", args=[lang, slug, profile.slug])
        for profile in exports.reader_profiles(discussed)
    ]
    assert len(addresses) > 9  # a signed copy is among them
    for address in addresses:
        answer = reader.get(address)
        assert answer.status_code == 200, address
        body = b"".join(answer) if answer.streaming else answer.content
        assert MARKER.encode() not in body, address
        assert discussed.published_revision.title.encode() in body or address.endswith(
            ("/verify/", "/sitemap.xml")
        ), address


def test_the_text_approved_is_the_text_published_after_a_discussion(
    discussed: Post, author: Any, reviewer: Any
) -> None:
    revision = discussed.published_revision
    assert discussed.revisions.count() == 1
    assert discussed.latest_revision_id == revision.pk
    # A re-review of the same text still counts: its hash is the one approved before.
    workflow.re_approve(post=discussed, actor=reviewer, revision_id=revision.pk)
    assert Post.objects.get(pk=discussed.pk).published_revision.content_hash == (
        revision.content_hash
    )
