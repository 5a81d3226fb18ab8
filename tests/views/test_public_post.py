"""A post's public page: what it says about the text (version, dates, review, sources, tags,
translations), its signed copies for forums, and the Content-Language of every public page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.models import ExportProfile, Language, Post, PostKind, PublicVersion
from content.revisions import create_post
from tests.readers import gpg_verify
from tests.support import content_of, publish_latest
from tests.views.test_public_lists import copies_with_tags

pytestmark = pytest.mark.usefixtures("export_settings")


def signed_url(post: Post, profile: str) -> str:
    return reverse("public:signed", args=[post.language.code, post.slug, profile])


def test_a_post_page_shows_version_publication_and_last_review_dates(
    client: Any, published: Post
) -> None:
    published.refresh_from_db()
    html = client.get(published.get_public_url()).content.decode()
    assert "version 1" in html
    assert f"published {timezone.localtime(published.published_at):%Y-%m-%d}" in html
    assert published.last_reviewed_at is not None
    assert f"last reviewed {timezone.localtime(published.last_reviewed_at):%Y-%m-%d}" in html
    assert published.review_due is not None
    assert f"next review {published.review_due:%Y-%m-%d}" in html
    assert "EUDA drug profile" in html and "consulted 2026-10-01" in html


def test_a_post_page_links_its_substance_and_topic_tags(client: Any, published: Post) -> None:
    html = client.get(published.get_public_url()).content.decode()
    assert '<a class="tag substance" href="/en/substances/ketamine/">ketamine</a>' in html
    assert '<a class="tag topic" href="/en/?topic=safer-use">safer use</a>' in html
    assert client.get("/en/substances/ketamine/").status_code == 200
    topic = client.get("/en/", {"topic": "safer-use"})
    assert topic.status_code == 200 and "Ketamine and your bladder" in topic.content.decode()


def test_translations_link_each_other_with_their_language(
    client: Any, published: Post, author: Any, reviewer: Any, languages: dict[str, Language]
) -> None:
    dutch = create_post(
        author=author,
        language=languages["nl"],
        kind=PostKind.ARTICLE,
        content=content_of(title="Ketamine en je blaas"),
        translation_of=published,
    )
    publish_latest(dutch, author=author, reviewer=reviewer)
    english = client.get(published.get_public_url()).content.decode()
    assert re.search(r'<a href="/nl/ketamine-en-je-blaas/" lang="nl" hreflang="nl">', english)
    dutch_page = client.get("/nl/ketamine-en-je-blaas/").content.decode()
    assert re.search(
        r'<a href="/en/ketamine-and-your-bladder/" lang="en" hreflang="en">', dutch_page
    )


def test_an_overdue_post_says_so_and_offers_no_signed_copy(
    client: Any, post: Post, author: Any, reviewer: Any, signed_profile: ExportProfile
) -> None:
    workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    workflow.publish(
        post=post,
        actor=author,
        revision_id=post.latest_revision_id,
        at=timezone.now() - datetime.timedelta(days=400),
    )
    html = client.get(post.get_public_url()).content.decode()
    assert "Review overdue" in html and "Signed copies" not in html
    assert client.get(signed_url(post, "phpbb")).status_code == 404


# --- Signed copies -----------------------------------------------------------------------------


def test_a_post_page_links_a_signed_copy_per_signing_profile(
    client: Any, published: Post, signed_profile: ExportProfile
) -> None:
    html = client.get(published.get_public_url()).content.decode()
    assert "<h2>Signed copies</h2>" in html
    links = re.findall(r'href="(/en/[^"]+/signed/[^"]+/)" download', html)
    assert links == [signed_url(published, "phpbb")]


def test_no_signing_profile_means_no_signed_copies_section(client: Any, published: Post) -> None:
    assert "Signed copies" not in client.get(published.get_public_url()).content.decode()


def test_a_signed_copy_downloads_as_an_attachment_that_gpg_verifies(
    client: Any, published: Post, signed_profile: ExportProfile, gpg_keys: Any
) -> None:
    response = client.get(signed_url(published, "phpbb"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="ketamine-and-your-bladder-v1-phpbb\.txt"',
        response["Content-Disposition"],
    )
    assert response["Content-Language"] == "en"
    assert not response.cookies
    assert gpg_verify(gpg_keys.home, response.content).returncode == 0
    assert published.published_revision.content_hash in response.content.decode()


@pytest.mark.parametrize("profile", ["reddit", "no-such-forum"])
def test_a_profile_that_does_not_sign_has_no_signed_copy(
    client: Any, published: Post, signed_profile: ExportProfile, profile: str
) -> None:
    assert client.get(signed_url(published, profile)).status_code == 404


def test_a_withdrawn_post_or_a_draft_has_no_signed_copy(
    client: Any,
    published: Post,
    signed_profile: ExportProfile,
    editor: Any,
    author: Any,
    english: Language,
) -> None:
    draft = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(title="Draft")
    )
    assert client.get(signed_url(draft, "phpbb")).status_code == 404
    workflow.withdraw(post=published, actor=editor, reason="Wrong.")
    assert client.get(signed_url(published, "phpbb")).status_code == 404
    assert client.get("/en/no-such-post/signed/phpbb/").status_code == 404


def test_a_cached_post_page_with_signed_copies_costs_one_query(
    client: Any, published: Post, signed_profile: ExportProfile, django_assert_num_queries: Any
) -> None:
    first = client.get(published.get_public_url())
    with django_assert_num_queries(1):
        again = client.get(published.get_public_url())
    assert again.content == first.content and "Signed copies" in again.content.decode()


@pytest.mark.parametrize("rows", [10, 200])
def test_a_post_page_runs_the_same_queries_at_10_and_200_posts(
    client: Any, published: Post, rows: int, django_assert_num_queries: Any
) -> None:
    copies_with_tags(published, rows - 1)
    cache.clear()
    # version, post, approvals, translations, tags, signing profiles
    with django_assert_num_queries(6):
        assert client.get(published.get_public_url()).status_code == 200


# --- Content-Language and <html lang> on every public page ----------------------------------


@pytest.fixture
def bilingual(published: Post, author: Any, reviewer: Any, languages: dict[str, Language]) -> Post:
    dutch = create_post(
        author=author,
        language=languages["nl"],
        kind=PostKind.ARTICLE,
        content=content_of(title="Ketamine en je blaas"),
        translation_of=published,
    )
    publish_latest(dutch, author=author, reviewer=reviewer)
    PublicVersion.bump()
    return Post.objects.select_related("language").get(pk=dutch.pk)


@pytest.mark.parametrize(
    ("url", "language"),
    [
        ("/", "en, nl"),
        ("/nl/", "nl"),
        ("/nl/?kind=article", "nl"),
        ("/nl/?q=ketamine", "nl"),
        ("/nl/substances/", "nl"),
        ("/nl/substances/ketamine/", "nl"),
        ("/nl/ketamine-en-je-blaas/", "nl"),
        ("/en/ketamine-and-your-bladder/", "en"),
        ("/nl/feed/", "nl"),
        ("/nl/feed/articles/", "nl"),
        ("/nl/feed.json", "nl"),
        ("/nl/feed/articles.json", "nl"),
    ],
)
def test_every_public_page_sends_its_content_language_and_html_lang(
    client: Any, bilingual: Post, url: str, language: str
) -> None:
    for attempt in ("rendered", "cached"):
        response = client.get(url)
        assert response.status_code == 200, (url, attempt)
        assert response["Content-Language"] == language, (url, attempt)
        if response["Content-Type"].startswith("text/html"):
            html_lang = re.search(r'<html lang="([^"]+)">', response.content.decode())
            assert html_lang is not None
            assert html_lang.group(1) == language.split(",")[0], url
    etag = response.get("ETag")
    if etag:
        not_modified = client.get(url, headers={"if-none-match": etag})
        assert not_modified.status_code == 304
        assert not_modified["Content-Language"] == language


def test_an_error_page_sends_no_content_language(client: Any, bilingual: Post) -> None:
    assert "Content-Language" not in client.get("/nl/no-such-post/")
    assert "Content-Language" not in client.get("/xx/")
