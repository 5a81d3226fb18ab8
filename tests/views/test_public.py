"""The public site: only published text, no staff identities, nothing loaded from elsewhere."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from content import roles, workflow
from content.models import Post, PostKind
from content.revisions import create_post
from tests.support import content_of
from tests.workflow_helpers import approve_all, edit, publish

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def second_reviewer(make_user):
    return make_user("second_reviewer", roles.REVIEWERS)


@pytest.fixture
def live(post, reviewer) -> Post:
    return publish(post, [reviewer])


def test_a_published_post_shows_its_published_revision_not_a_newer_draft(client, live):
    edit(live, live.created_by, title="Unreviewed new title", body="Unreviewed **draft**.")
    page = client.get(live.get_public_url()).content.decode()
    assert "Ketamine and your bladder" in page and "<strong>damage</strong>" in page
    assert "Unreviewed" not in page
    assert "version 1" in page and "reviewed by 1 professional" in page
    assert live.published_revision.content_hash in page
    assert "EUDA drug profile" in page and "consulted 2026-10-01" in page


def test_no_staff_identity_reaches_the_public_site(client, live):
    for url in (
        reverse("public:index"),
        live.get_public_url(),
        reverse("public:feed", args=["en"]),
    ):
        text = client.get(url).content.decode()
        for name in ("author", "reviewer", "editor"):
            assert not re.search(rf"\b{name}\b", text), (url, name)


def test_the_public_site_loads_nothing_from_elsewhere(client, live):
    response = client.get(live.get_public_url())
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(
        r'(src|href)="(https?:)?//(?!www\.euda\.europa\.eu)', response.content.decode()
    )


def test_drafts_are_not_found_and_withdrawn_posts_say_they_are_gone(
    client, post, live, editor, english
):
    draft = create_post(
        author=post.created_by,
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(title="Secret draft"),
    )
    assert client.get(draft.get_public_url()).status_code == 404
    workflow.withdraw(post=live, actor=editor, reason="Dosage wrong")
    response = client.get(live.get_public_url())
    assert response.status_code == 410
    text = response.content.decode()
    assert "withdrew" in text and "Dosage wrong" not in text and "damage" not in text
    assert "Ketamine" not in client.get(reverse("public:index")).content.decode()


def test_an_overdue_post_carries_a_warning(client, post, reviewer):
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, reviewer)
    workflow.publish(
        post=post,
        actor=post.created_by,
        revision_id=post.latest_revision_id,
        at=timezone.now() - datetime.timedelta(days=400),
    )
    assert "Review overdue" in client.get(post.get_public_url()).content.decode()
    assert "review overdue" in client.get(reverse("public:index")).content.decode()


def test_the_language_page_lists_one_language_and_posts_link_translations(
    client, live, languages, reviewer
):
    dutch = create_post(
        author=live.created_by,
        language=languages["nl"],
        kind=PostKind.ARTICLE,
        content=content_of(title="Ketamine en je blaas"),
        translation_of=live,
    )
    publish(dutch, [reviewer])
    nl_only = client.get(reverse("public:language", args=["nl"])).content.decode()
    assert "Ketamine en je blaas" in nl_only and "Ketamine and your bladder" not in nl_only
    assert 'href="/nl/ketamine-en-je-blaas/"' in client.get(live.get_public_url()).content.decode()


def test_the_index_runs_a_constant_number_of_queries(
    client, author, reviewer, english, assert_constant_queries
):
    def add_rows(n: int) -> None:
        for i in range(n):
            post = create_post(
                author=author,
                language=english,
                kind=PostKind.ARTICLE,
                content=content_of(title=f"Post {i}"),
            )
            publish(post, [reviewer])

    response = assert_constant_queries(lambda: client.get(reverse("public:index")), add_rows)
    assert response.content.decode().count('<li lang="en">') == 12


def test_the_feed_is_atom_with_the_published_html_of_one_language(
    client, live, languages, reviewer
):
    feed = client.get(reverse("public:feed", args=["en"]))
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Ketamine and your bladder"]
    assert "<strong>damage</strong>" in entries[0].find(f"{ATOM}summary").text
    assert client.get(reverse("public:feed", args=["xx"])).status_code == 404
    empty = ET.fromstring(client.get(reverse("public:feed", args=["nl"])).content)
    assert empty.findall(f"{ATOM}entry") == []
