"""Public pages come from the cache, answer 304 to readers who have them, and change at once.

A post page is keyed by the public version (raised in the transaction of every publication,
withdrawal, review date, address or shown name), so a cached page can never show a draft or
outlive a withdrawal; these tests read the pages a reader gets, through the test client.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content import addresses, workflow
from content.models import Language, Post, PublicVersion, Tag
from content.revisions import create_post, save_revision
from tests.support import content_of, new_version, publish_latest


@pytest.fixture
def live(post, author, reviewer) -> Post:
    return publish_latest(post, author=author, reviewer=reviewer)


def _publish_many(count: int, *, author, reviewer, language) -> None:
    for number in range(count):
        post = create_post(
            author=author,
            language=language,
            kind="article",
            content=content_of(title=f"Post number {number}", body=f"Body {number}."),
        )
        publish_latest(post, author=author, reviewer=reviewer)


def _titles(response) -> list[str]:
    return re.findall(r'<li lang="\w+">\s*<a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_a_cached_post_page_costs_one_query(client, live, django_assert_num_queries):
    first = client.get(live.get_public_url())
    with django_assert_num_queries(1):
        again = client.get(live.get_public_url())
    assert again.status_code == 200
    assert again.content == first.content
    assert "Ketamine and your bladder" in again.content.decode()


def test_a_cached_page_shows_a_newer_published_revision_at_once(client, live, author, reviewer):
    assert "Ketamine and your bladder" in client.get(live.get_public_url()).content.decode()
    new_version(live, author, reviewer, title="Ketamine and your kidneys")
    page = client.get(live.get_public_url()).content.decode()
    assert "Ketamine and your kidneys" in page and "version 2" in page
    assert "Ketamine and your bladder" not in page


def test_a_cached_page_never_shows_a_draft_or_a_text_in_review(client, live, author):
    cached = client.get(live.get_public_url()).content
    save_revision(
        post=live,
        author=author,
        content=content_of(title="Unreviewed draft title"),
        base_revision_id=live.latest_revision_id,
    )
    workflow.submit_for_review(post=Post.objects.get(pk=live.pk), actor=author)
    page = client.get(live.get_public_url()).content
    assert b"Unreviewed draft title" not in page
    assert b"Ketamine and your bladder" in page
    assert page == cached


def test_a_withdrawn_post_answers_410_at_once_though_its_page_was_cached(client, live, editor):
    assert client.get(live.get_public_url()).status_code == 200
    workflow.withdraw(
        post=live, actor=editor, reason="wrong dose", public_reason="A dose was wrong."
    )
    gone = client.get(live.get_public_url())
    assert gone.status_code == 410
    assert "A dose was wrong." in gone.content.decode()
    assert "ETag" not in gone  # an error is never served from, or as, a cached page
    index = client.get(reverse("public:index")).content.decode()
    assert "Ketamine and your bladder" not in index


def test_the_post_page_answers_304_to_a_matching_etag_and_200_after_a_change(
    client, live, author, reviewer
):
    first = client.get(live.get_public_url())
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache"
    not_modified = client.get(live.get_public_url(), headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    new_version(live, author, reviewer, title="Ketamine and your kidneys")
    changed = client.get(live.get_public_url(), headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Ketamine and your kidneys" in changed.content.decode()


def test_the_post_page_answers_304_to_if_modified_since_its_last_modified(client, live):
    first = client.get(live.get_public_url())
    since = first["Last-Modified"]
    assert (
        client.get(live.get_public_url(), headers={"if-modified-since": since}).status_code == 304
    )


def test_public_pages_set_no_cookie_and_do_not_vary_on_one(client, live):
    for url in (
        reverse("public:index"),
        live.get_public_url(),
        reverse("public:feed", args=["en"]),
    ):
        for _ in range(2):  # rendered, then from the cache
            response = client.get(url)
            assert response.status_code == 200
            assert not response.cookies, url
            assert "Cookie" not in response.get("Vary", ""), url


def test_a_post_page_warns_once_its_review_falls_due_though_it_was_cached(
    client, live, monkeypatch
):
    assert "Review overdue" not in client.get(live.get_public_url()).content.decode()
    later = Post.objects.get(pk=live.pk).review_due + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert "Review overdue" in client.get(live.get_public_url()).content.decode()
    assert "review overdue" in client.get(reverse("public:index")).content.decode()


def test_a_tag_renamed_in_the_admin_shows_on_the_cached_page(client, live, editor):
    assert "Ketamine" in client.get(live.get_public_url()).content.decode()
    tag = Tag.objects.get(kind=Tag.Kind.SUBSTANCE, name="ketamine")
    tag.name = "Ketamine (racemic)"
    request = RequestFactory().post("/")
    request.user = editor
    admin_site._registry[Tag].save_model(request, tag, form=None, change=True)
    assert "Ketamine (racemic)" in client.get(live.get_public_url()).content.decode()


def test_a_language_renamed_in_the_admin_shows_on_the_cached_index(client, live, editor):
    assert "English" in client.get(reverse("public:index")).content.decode()
    language = Language.objects.get(code="en")
    language.name = "English (Belgium)"
    request = RequestFactory().post("/")
    request.user = editor
    admin_site._registry[Language].save_model(request, language, form=None, change=True)
    assert "English (Belgium)" in client.get(reverse("public:index")).content.decode()


def test_a_translation_published_later_is_linked_from_the_cached_page(
    client, live, author, reviewer, languages
):
    assert "Also in" not in client.get(live.get_public_url()).content.decode()
    dutch = create_post(
        author=author,
        language=languages["nl"],
        kind="article",
        content=content_of(title="Ketamine en je blaas"),
        translation_of=live,
    )
    publish_latest(dutch, author=author, reviewer=reviewer)
    page = client.get(live.get_public_url()).content.decode()
    assert "Also in" in page and dutch.get_public_url() in page


def test_a_changed_address_redirects_and_the_cached_links_follow(client, live, editor, languages):
    client.get(reverse("public:index"))
    old_url = live.get_public_url()
    addresses.change_slug(post=live, actor=editor, slug="ketamine-bladder", keep_old_address=True)
    fresh = Post.objects.get(pk=live.pk)
    assert client.get(old_url).status_code == 301
    assert fresh.get_public_url() in client.get(reverse("public:index")).content.decode()


def test_every_public_change_raises_the_public_version(live, author, reviewer, editor):
    seen = [PublicVersion.current().number]

    def changed() -> bool:
        seen.append(PublicVersion.current().number)
        return seen[-1] > seen[-2]

    new_version(live, author, reviewer, title="Ketamine and your kidneys")
    assert changed()
    workflow.re_approve(
        post=Post.objects.get(pk=live.pk),
        actor=editor,
        revision_id=Post.objects.get(pk=live.pk).published_revision_id,
    )
    assert changed()
    workflow.withdraw(post=Post.objects.get(pk=live.pk), actor=editor, reason="old")
    assert changed()


# The index: paginated, cached, constant queries.


def test_the_index_is_paginated_by_the_setting(client, settings, author, reviewer, english):
    settings.PUBLIC_PAGE_SIZE = 4
    _publish_many(10, author=author, reviewer=reviewer, language=english)
    first = client.get(reverse("public:index"))
    assert len(_titles(first)) == 4
    assert 'href="?page=2"' in first.content.decode()
    last = client.get(reverse("public:index"), {"page": "3"})
    assert len(_titles(last)) == 2
    shown = _titles(first) + _titles(client.get(reverse("public:index"), {"page": "2"}))
    assert len(set(shown + _titles(last))) == 10


def test_an_old_index_link_with_a_language_redirects_to_the_language_page(
    client, settings, author, reviewer, english
):
    settings.PUBLIC_PAGE_SIZE = 2
    _publish_many(3, author=author, reviewer=reviewer, language=english)
    old = client.get(reverse("public:index"), {"lang": "en", "page": "2"})
    assert old.status_code == 301 and old["Location"] == "/en/?page=2"
    assert client.get(reverse("public:index"), {"lang": "en"})["Location"] == "/en/"
    assert len(_titles(client.get(old["Location"]))) == 1


@pytest.mark.parametrize("page", ["0", "abc", "02", "999", "-1"])
def test_an_index_page_that_does_not_exist_is_404_and_never_cached(client, live, page):
    assert client.get(reverse("public:index"), {"page": page}).status_code == 404


def test_an_unknown_language_is_404_also_through_an_old_index_link(client, live):
    assert client.get(reverse("public:index"), {"lang": "xx"}, follow=True).status_code == 404
    assert client.get(reverse("public:language", args=["xx"])).status_code == 404
    assert client.get(reverse("public:index"), {"lang": "en"}, follow=True).status_code == 200


@pytest.mark.parametrize("rows", [10, 200])
def test_the_index_runs_the_same_queries_at_10_and_200_posts(
    client, settings, author, reviewer, english, rows, django_assert_num_queries
):
    settings.PUBLIC_PAGE_SIZE = 30
    _publish_many(rows, author=author, reviewer=reviewer, language=english)
    cache.clear()
    # version, languages, active alerts, count, the page's rows, their substances
    with django_assert_num_queries(6):
        rendered = client.get(reverse("public:index"))
    assert len(_titles(rendered)) == min(rows, 30)
    with django_assert_num_queries(1):  # the version only
        client.get(reverse("public:index"))
    with django_assert_num_queries(4):  # version, language, the feed's posts, their tags
        assert client.get(reverse("public:feed", args=["en"])).status_code == 200
    with django_assert_num_queries(1):
        client.get(reverse("public:feed", args=["en"]))


def test_the_index_lists_select_no_body_and_no_html(client, live):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("public:index"))
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "rendered_html" not in sql and '"body"' not in sql


def test_the_index_changes_at_once_when_a_post_is_published(client, live, author, reviewer):
    assert "Ketamine and your bladder" in client.get(reverse("public:index")).content.decode()
    other = create_post(
        author=author,
        language=live.language,
        kind="article",
        content=content_of(title="GHB and alcohol"),
    )
    assert "GHB and alcohol" not in client.get(reverse("public:index")).content.decode()
    publish_latest(other, author=author, reviewer=reviewer)
    assert "GHB and alcohol" in client.get(reverse("public:index")).content.decode()


def test_the_feed_changes_at_once_and_answers_304(client, live, author, reviewer):
    feed_url = reverse("public:feed", args=["en"])
    first = client.get(feed_url)
    assert first["Content-Type"].startswith("application/atom+xml")
    assert client.get(feed_url, headers={"if-none-match": first["ETag"]}).status_code == 304
    new_version(live, author, reviewer, title="Ketamine and your kidneys")
    assert "Ketamine and your kidneys" in client.get(feed_url).content.decode()


def test_an_unknown_feed_is_404(client, db):
    assert client.get(reverse("public:feed", args=["xx"])).status_code == 404


def test_the_studio_still_shows_the_unread_badge(client, author, reviewer, post):
    workflow.submit_for_review(post=post, actor=author)
    client.force_login(reviewer)
    page = client.get(reverse("content:dashboard")).content.decode()
    assert re.search(r'Notifications <span class="badge">1</span>', page)


def test_a_deployment_that_changes_the_templates_gets_new_keys(client, live, monkeypatch):
    from content import public_cache

    before = client.get(live.get_public_url())["ETag"]
    monkeypatch.setattr(public_cache, "RELEASE", "a-new-release")
    assert client.get(live.get_public_url())["ETag"] != before


def test_cached_public_pages_and_304s_keep_the_security_headers(client, live):
    feed = reverse("public:feed", args=["en"])
    for url in (reverse("public:index"), live.get_public_url(), feed):
        for response in (client.get(url), client.get(url)):  # rendered, then cached
            assert response["X-Frame-Options"] == "DENY", url
            assert "default-src 'self'" in response["Content-Security-Policy"], url
            assert response["X-Content-Type-Options"] == "nosniff", url
        again = client.get(url, headers={"if-none-match": response["ETag"]})
        assert again.status_code == 304
        assert again["X-Frame-Options"] == "DENY"


def test_the_public_version_read_in_sql_equals_the_stored_row(live):
    stored = PublicVersion.objects.get(pk=1)
    current = PublicVersion.current()
    assert (current.number, current.changed_at) == (stored.number, stored.changed_at)
    assert current.changed_at.tzinfo is not None


def test_public_pages_are_answered_before_sessions_users_and_messages(client, live, author):
    client.force_login(author)  # a team member reading the public site
    feed = reverse("public:feed", args=["en"])
    for url in (reverse("public:index"), live.get_public_url(), feed):
        request = client.get(url).wsgi_request
        assert not hasattr(request, "session"), url
        assert not hasattr(request, "user"), url
        assert not hasattr(request, "_messages"), url
    studio = client.get(reverse("content:dashboard")).wsgi_request
    assert hasattr(studio, "session") and studio.user == author


def test_a_re_approval_below_the_threshold_updates_the_reviewer_count(
    client, live, editor, settings
):
    from content.models import ReviewPolicy

    assert "reviewed by 1 professional" in client.get(live.get_public_url()).content.decode()
    ReviewPolicy.objects.filter(kind=live.kind).update(required_approvals=2)
    fresh = Post.objects.get(pk=live.pk)
    workflow.re_approve(post=fresh, actor=editor, revision_id=fresh.published_revision_id)
    assert "reviewed by 2 professionals" in client.get(live.get_public_url()).content.decode()
