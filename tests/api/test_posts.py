"""The partner API's posts: published text only, its filters, pages, ETags, 410s and redirects."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import addresses, workflow
from content.models import Post, PostKind, PublicVersion
from content.revisions import create_post
from tests.support import content_of
from tests.workflow_helpers import edit, publish

POSTS = "/api/v1/posts/"


def detail_path(post: Post) -> str:
    return f"/api/v1/posts/{post.language.code}/{post.slug}/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_the_list_shows_published_posts_with_their_published_revision_only(
    client, publish_post, post, author
):
    live = publish_post("Alert: strong pills")
    edit(live, author, title="Unreviewed new title")
    workflow.submit_for_review(post=Post.objects.get(pk=live.pk), actor=author)
    answer = client.get(POSTS).json()
    assert answer["count"] == 1 and answer["next"] is None and answer["previous"] is None
    [item] = answer["results"]
    assert item["title"] == "Alert: strong pills" and item["revision"] == 1
    assert item["content_hash"] == live.published_revision.content_hash
    assert item["tags"] == {
        "substances": [{"slug": "ketamine", "name": "ketamine"}],
        "topics": [{"slug": "safer-use", "name": "safer use"}],
    }
    assert item["api_url"] == detail_path(live) and item["public_url"] == f"/en/{live.slug}/"
    assert "body" not in item and "body_html" not in item  # the list does not carry the text
    assert post.slug not in str(answer)  # the draft


def test_the_list_filters_by_language_kind_substance_and_topic(client, publish_post, languages):
    publish_post("English article")
    publish_post("Dutch alert", language=languages["nl"], kind=PostKind.DRUG_ALERT)
    publish_post("MDMA sheet", kind=PostKind.FACT_SHEET, substances=("MDMA",), topics=("dosing",))
    assert titles(client.get(POSTS, {"language": "nl"})) == ["Dutch alert"]
    assert titles(client.get(POSTS, {"kind": "drug_alert"})) == ["Dutch alert"]
    assert titles(client.get(POSTS, {"substance": "mdma"})) == ["MDMA sheet"]
    assert titles(client.get(POSTS, {"topic": "safer-use"})) == ["Dutch alert", "English article"]
    assert titles(client.get(POSTS, {"topic": "dosing", "language": "en"})) == ["MDMA sheet"]
    assert titles(client.get(POSTS, {"language": "de"})) == []
    assert titles(client.get(POSTS, {"substance": "ketamine", "kind": "fact_sheet"})) == []


def test_tag_filters_read_the_published_revision_not_a_newer_draft(client, publish_post, author):
    live = publish_post("Ketamine text")
    edit(live, author, substances=("cocaine",), public_change_note="Now about cocaine.")
    assert titles(client.get(POSTS, {"substance": "cocaine"})) == []
    assert titles(client.get(POSTS, {"substance": "ketamine"})) == ["Ketamine text"]


def test_updated_since_keeps_posts_published_or_reviewed_again_since(
    client, publish_post, reviewer
):
    old = publish_post("Old text")
    Post.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=30), last_reviewed_at=None
    )
    publish_post("New text")
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert titles(client.get(POSTS, {"updated_since": since})) == ["New text"]
    # Reviewed again (a re-approval starts a new review cycle): updated.
    Post.objects.filter(pk=old.pk).update(last_reviewed_at=timezone.now())
    assert titles(client.get(POSTS, {"updated_since": since})) == ["Old text", "New text"]
    item = client.get(POSTS).json()["results"][0]
    assert item["updated_at"] == item["last_reviewed_at"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "poem"}, "kind"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"language": "n l"}, "language"),
        ({"substance": "a/b"}, "substance"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
def test_an_invalid_filter_is_refused_with_its_name(client, db, query, field):
    response = client.get(POSTS, query)
    assert response.status_code == 400 and field in response.json()


def test_the_list_is_paginated_with_a_bounded_page_size_and_links_as_paths(client, publish_post):
    for number in range(5):
        publish_post(f"Post {number}")
    first = client.get(POSTS, {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["next"] == "/api/v1/posts/?page=2&page_size=2" and first["previous"] is None
    last = client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get(POSTS, {"page": 4, "page_size": 2}).status_code == 404
    assert client.get(POSTS, {"page_size": 100}).status_code == 200


def test_a_list_answer_has_an_etag_and_a_304_until_something_public_changes(
    client, publish_post, editor
):
    live = publish_post("Alert")
    first = client.get(POSTS, {"kind": "article"})
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache" and etag.startswith('"')
    again = client.get(POSTS, {"kind": "article"}, headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert again["Cache-Control"] == "no-cache"
    # Another query is another answer.
    other = client.get(POSTS, {"kind": "drug_alert"}, headers={"if-none-match": etag})
    assert other.status_code == 200
    workflow.withdraw(post=live, actor=editor, reason="Wrong")
    changed = client.get(POSTS, {"kind": "article"}, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.json()["count"] == 0
    assert changed["ETag"] != etag


def test_a_304_costs_one_query(client, publish_post, django_assert_num_queries):
    live = publish_post("Alert")
    for path in (POSTS, detail_path(live)):
        etag = client.get(path)["ETag"]
        with django_assert_num_queries(1):  # the public version
            assert client.get(path, headers={"if-none-match": etag}).status_code == 304


def test_the_detail_shows_the_published_revision_in_full(client, publish_post, author, languages):
    live = publish_post("Alert: strong pills", body="Pills with **280 mg**.")
    edit(live, author, title="Draft title", body="Draft body", public_change_note="No dose.")
    translation = publish_post(
        "Alerte", language=languages["fr"], translation_of=live, body="Comprimés."
    )
    response = client.get(detail_path(live))
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    assert response["ETag"]
    data = response.json()
    revision = live.published_revision
    assert data["title"] == "Alert: strong pills" and data["summary"] == "Why frequent use hurts."
    assert data["body"] == "Pills with **280 mg**."
    assert (
        data["body_html"] == revision.rendered_html
        and "<strong>280 mg</strong>" in data["body_html"]
    )
    assert data["revision"] == 1 and data["content_hash"] == revision.content_hash
    assert data["sources"] == [
        {
            "title": "EUDA drug profile",
            "url": "https://www.euda.europa.eu/",
            "consulted": "2026-10-01",
        }
    ]
    assert data["kind"] == "article" and data["language"] == "en" and data["slug"] == live.slug
    assert data["published_at"] and data["review_due"] and data["overdue"] is False
    assert data["translations"] == [
        {
            "language": "fr",
            "api_url": f"/api/v1/posts/fr/{translation.slug}/",
            "public_url": f"/fr/{translation.slug}/",
        }
    ]
    assert data["public_url"] == f"/en/{live.slug}/" and data["signed"] == []
    assert "Draft" not in response.content.decode()


def test_an_overdue_post_says_so(client, publish_post):
    live = publish_post("Alert")
    Post.objects.filter(pk=live.pk).update(review_due=timezone.localdate() - datetime.timedelta(1))
    PublicVersion.bump()
    assert client.get(detail_path(live)).json()["overdue"] is True
    assert client.get(POSTS).json()["results"][0]["overdue"] is True


def test_a_withdrawn_post_answers_410_with_the_public_reason_only(client, publish_post, editor):
    live = publish_post("Alert")
    workflow.withdraw(
        post=live,
        actor=editor,
        reason="Internal: the lab mixed up samples",
        public_reason="Wrong dose.",
    )
    response = client.get(detail_path(live))
    assert response.status_code == 410
    withdrawn = Post.objects.get(pk=live.pk).withdrawn_at
    assert response.json() == {
        "withdrawn_at": withdrawn.astimezone(timezone.get_current_timezone()).isoformat(),
        "reason": "Wrong dose.",
    }


def test_an_archived_post_answers_410(client, publish_post, editor):
    live = publish_post("Alert")
    workflow.archive(post=live, actor=editor, note="Internal note")
    response = client.get(detail_path(live))
    assert response.status_code == 410 and response.json() == {"withdrawn_at": None, "reason": ""}


def test_a_draft_or_unknown_address_is_not_found(client, post):
    assert client.get(detail_path(post)).status_code == 404
    response = client.get("/api/v1/posts/en/no-such-post/")
    assert response.status_code == 404 and response.json() == {
        "detail": "No published post at this address."
    }
    elsewhere = client.get("/api/v1/nothing/here")
    assert elsewhere.status_code == 404 and elsewhere["Content-Type"] == "application/json"


def test_an_old_address_redirects_to_the_new_api_address(client, publish_post, editor):
    live = publish_post("Alert")
    old = live.slug
    addresses.change_slug(post=live, actor=editor, slug="new-alert", keep_old_address=True)
    response = client.get(f"/api/v1/posts/en/{old}/")
    assert response.status_code == 301 and response["Location"] == "/api/v1/posts/en/new-alert/"


def test_an_address_that_had_to_disappear_is_gone_and_names_nothing(
    client, author, reviewer, english, editor
):
    named = create_post(
        author=author,
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(title="Ketamine and Anna Janssens test"),
    )
    publish(named, [reviewer])
    old = Post.objects.get(pk=named.pk).slug
    addresses.change_slug(post=named, actor=editor, slug="ketamine", keep_old_address=False)
    response = client.get(f"/api/v1/posts/en/{old}/")
    assert response.status_code == 410 and response.json() == {"withdrawn_at": None, "reason": ""}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(publish_post, method):
    live = publish_post("Alert")
    # With CSRF checks on, as a browser meets them: still 405, never 403 (there is no CSRF
    # check to fail, as nothing is authenticated).
    client = Client(enforce_csrf_checks=True)
    for path in (POSTS, detail_path(live), "/api/v1/schema/"):
        response = getattr(client, method)(path, data="{}", content_type="application/json")
        assert response.status_code == 405, (method, path)
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    assert Post.objects.get(pk=live.pk).published_revision_id == live.published_revision_id


def test_head_and_options_answer(client, publish_post):
    live = publish_post("Alert")
    head = client.head(detail_path(live))
    assert head.status_code == 200 and head["ETag"] and head.content == b""
    assert client.options(POSTS).status_code == 200


def test_the_api_reads_no_session_and_sets_no_cookie(client, publish_post, author):
    live = publish_post("Alert")
    client.force_login(author)  # a team member reading the API: still anonymous there
    for path in (
        POSTS,
        detail_path(live),
        "/api/v1/schema/",
        "/api/v1/docs/",
        "/api/v1/docs/?script=",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, path
        assert "Cookie" not in response.get("Vary", ""), path


def test_paths_not_absolute_urls_so_the_onion_service_serves_the_same_answer(
    client, publish_post, settings
):
    settings.ALLOWED_HOSTS = ["hr.example.org", "hrexample.onion"]
    live = publish_post("Alert")
    for path in (POSTS + "?page_size=1", detail_path(live)):
        clear = client.get(path, headers={"host": "hr.example.org"})
        onion = client.get(path, headers={"host": "hrexample.onion"})
        assert clear.content == onion.content and clear["ETag"] == onion["ETag"]
        assert "example" not in clear.content.decode()


def test_the_api_is_routed_before_the_public_posts_pattern(db):
    assert reverse("api:posts") == POSTS
