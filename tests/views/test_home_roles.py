"""The studio's home by role: each person lands on their work (content.home)."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content import reposts, roles, states, workflow
from content.models import ExportProfile, Post, PostKind, SigningKey
from content.revisions import create_post
from tests.support import content_of
from tests.workflow_helpers import edit

HOME = reverse("content:dashboard")


def new_post(author: Any, language: Any, title: str, kind: str = PostKind.ARTICLE) -> Post:
    return create_post(author=author, language=language, kind=kind, content=content_of(title=title))


def in_state(post: Post, state: str, *, reviewer: Any, editor: Any) -> Post:
    return states.bring_to_state(
        post,
        state,
        author=post.created_by,
        reviewers=[reviewer],
        editor=editor,
        reason="Cite a source for the dose.",
        newer_text="\n\nA newer paragraph.",
    )


def section(page: str, key: str) -> str:
    """The HTML of one section of the home ("" if it is not there)."""
    found = re.search(rf'<section class="home-section" id="{key}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def home(client: Any, user: Any) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reviewer_lands_on_what_waits_for_their_review_then_their_decisions(
    client, author, reviewer, make_user, english
) -> None:
    other = make_user("other_reviewer", roles.REVIEWERS)
    waiting = workflow.submit_for_review(post=new_post(author, english, "Waiting"), actor=author)
    judged = workflow.submit_for_review(post=new_post(author, english, "Judged"), actor=author)
    workflow.request_changes(
        post=judged, actor=reviewer, revision_id=judged.latest_revision_id, reason="Cite it."
    )
    approved = workflow.submit_for_review(post=new_post(author, english, "Fine"), actor=author)
    workflow.approve(post=approved, actor=reviewer, revision_id=approved.latest_revision_id)
    workflow.approve(post=approved, actor=other, revision_id=approved.latest_revision_id)

    page = home(client, reviewer)
    assert "No posts yet" not in page and "My posts</h1>" not in page
    assert page.index('id="waiting"') < page.index('id="decisions"')
    queue = section(page, "waiting")
    assert reverse("content:review_post", args=[waiting.pk]) in queue
    assert "Judged" not in queue and "Fine" not in queue and "(1)" in queue
    decisions = section(page, "decisions")
    assert decisions.index("Fine") < decisions.index("Judged")  # newest first
    assert "Approved" in decisions and "Changes requested" in decisions


def test_an_authors_home_groups_their_posts_by_where_they_stand(
    client, author, other_author, reviewer, editor, english
) -> None:
    for state in ("draft", "changes_requested", "in_review", "published", states.OVERDUE):
        in_state(
            new_post(author, english, f"Post {state}"), state, reviewer=reviewer, editor=editor
        )
    new_post(other_author, english, "Someone else's")
    page = home(client, author)
    expected = {
        "draft": "Post draft",
        "changes_requested": "Post changes_requested",
        "in_review": "Post in_review",
        "published": "Post published",
        "overdue": f"Post {states.OVERDUE}",
    }
    for key, title in expected.items():
        shown = section(page, key)
        assert title in shown and "(1)" in shown, key
        others = set(expected.values()) - {title}
        assert not any(f">{other}<" in shown for other in others), key
    assert "Someone else's" not in page


def test_an_editors_home_shows_the_team_queue_overdue_posts_outdated_reposts_and_keys(
    client, author, reviewer, editor, english
) -> None:
    article = workflow.submit_for_review(post=new_post(author, english, "An article"), actor=author)
    alert = new_post(author, english, "Pills sold as MDMA", PostKind.DRUG_ALERT)
    workflow.submit_for_review(post=alert, actor=author)
    in_state(
        new_post(author, english, "Old advice"), states.OVERDUE, reviewer=reviewer, editor=editor
    )
    reposted = in_state(
        new_post(author, english, "Reposted"), "published", reviewer=reviewer, editor=editor
    )
    reposts.record_repost(
        post=reposted,
        profile=ExportProfile.objects.get(slug="phpbb"),
        actor=author,
        where="https://forum.example/t/1",
        posted_on=timezone.localdate(),
    )
    edit(reposted, author, body="A newer text.")
    workflow.withdraw(post=reposted, actor=editor, reason="Outdated advice.")
    now = timezone.now()
    for label, days in (("Expired", -2), ("Soon", 20), ("Later", 60)):
        SigningKey.objects.create(
            fingerprint=label.upper().ljust(40, "0"),
            label=f"{label} key",
            expires=now + datetime.timedelta(days=days),
        )
    SigningKey.objects.create(fingerprint="F" * 40, label="Never expires")

    page = home(client, editor)
    queue = section(page, "team_queue")
    assert queue.index("Pills sold as MDMA") < queue.index("An article")  # alerts first
    assert reverse("content:post_detail", args=[article.pk]) in queue
    assert "Old advice" in section(page, "team_overdue")
    assert "forum.example/t/1" in section(page, "outdated_reposts")
    keys = section(page, "keys")
    assert "Expired key" in keys and "expired" in keys and "Soon key" in keys
    assert "Later key" not in keys and "Never expires" not in keys


def test_someone_with_several_roles_sees_each_roles_sections(
    client, make_user, author, english
) -> None:
    both = make_user("both", roles.AUTHORS)
    both.groups.add(*both.groups.model.objects.filter(name=roles.REVIEWERS))
    new_post(type(both).objects.get(pk=both.pk), english, "My own draft")
    workflow.submit_for_review(post=new_post(author, english, "To review"), actor=author)
    page = home(client, type(both).objects.get(pk=both.pk))
    assert "To review" in section(page, "waiting") and "My own draft" in section(page, "draft")
    assert not section(page, "team_queue")


def test_my_posts_and_all_posts_stay_one_click_away_and_filter_by_group(
    client, author, other_author, reviewer, editor, english
) -> None:
    in_state(new_post(author, english, "Sent in"), "in_review", reviewer=reviewer, editor=editor)
    new_post(author, english, "Still a draft")
    new_post(other_author, english, "Theirs")
    page = home(client, author)
    assert 'href="?show=mine"' in page and 'href="?show=all"' in page
    mine = client.get(HOME, {"show": "mine"}).content.decode()
    assert "Sent in" in mine and "Still a draft" in mine and "Theirs" not in mine
    drafts = client.get(HOME, {"show": "mine", "state": "draft"}).content.decode()
    assert "Still a draft" in drafts and "Sent in" not in drafts
    assert "Theirs" in client.get(HOME, {"show": "all"}).content.decode()


def test_a_section_shows_a_few_rows_and_links_to_all_of_them(
    client, author, english, settings
) -> None:
    settings.STUDIO_PAGE_SIZE = 3
    for n in range(5):
        new_post(author, english, f"Draft {n}")
    drafts = section(home(client, author), "draft")
    assert drafts.count("<tr>") == 1 + 3  # the header and a page's worth
    assert 'href="/studio/?show=mine&amp;state=draft">All 5</a>' in drafts


def test_the_navigation_counts_the_reviews_waiting_and_unread_notifications_per_person(
    client, author, reviewer, make_user, english
) -> None:
    second = make_user("second", roles.REVIEWERS)
    for n in range(3):
        workflow.submit_for_review(post=new_post(author, english, f"P{n}"), actor=author)
    judged = Post.objects.filter(state="in_review").first()
    workflow.approve(post=judged, actor=second, revision_id=judged.latest_revision_id)
    badge = r'Reviews <span class="badge"[^>]*>{}</span>'
    assert re.search(badge.format(3), home(client, reviewer))
    assert re.search(badge.format(2), home(client, second))  # not the first person's count
    assert "Reviews" not in home(client, author)
    assert re.search(r'Notifications <span class="badge">3</span>', home(client, reviewer))


@pytest.mark.parametrize("username", ["rik", "sofie"])
def test_the_demo_reviewers_land_on_their_reviews_not_on_an_empty_list(
    client, db, username
) -> None:
    call_command("seed_demo", stdout=StringIO())
    user = type(Post.objects.first().created_by).objects.get(username=username)
    page = home(client, user)
    assert "No posts yet" not in page and 'id="waiting"' in page and 'id="decisions"' in page
