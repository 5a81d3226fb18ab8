"""Review screens through the test client: queue, review page, actions, timeline, audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from content import roles, workflow
from content.models import AuditEvent, Notification, Post, PostKind, Review
from content.revisions import create_post
from tests.support import content_of
from tests.workflow_helpers import edit, publish


@pytest.fixture
def in_review(post) -> Post:
    return workflow.submit_for_review(post=post, actor=post.created_by)


def review_url(post: Post) -> str:
    return reverse("content:review_post", args=[post.pk])


def action_url(post: Post, action: str) -> str:
    return reverse("content:post_action", args=[post.pk, action])


def test_the_queue_lists_alerts_first_then_oldest_and_skips_own_and_judged(
    client, author, reviewer, editor, english, make_user
):
    def submitted(title: str, kind: str, by) -> Post:
        post = create_post(author=by, language=english, kind=kind, content=content_of(title=title))
        return workflow.submit_for_review(post=post, actor=by)

    old_article = submitted("Old article", PostKind.ARTICLE, author)
    alert = submitted("New alert", PostKind.DRUG_ALERT, author)
    submitted("Editor's own", PostKind.ARTICLE, editor)
    judged = submitted("Already judged", PostKind.ARTICLE, author)
    workflow.approve(post=judged, actor=editor, revision_id=judged.latest_revision_id)
    client.force_login(editor)
    page = client.get(reverse("content:review_queue")).content.decode()
    assert page.index("New alert") < page.index("Old article")
    assert "Editor&#x27;s own" not in page and "Already judged" not in page
    assert f"r{alert.latest_revision.number} by author" in page
    assert old_article.title in page and "0 of 2" in page


def test_the_queue_runs_a_constant_number_of_queries(
    client, author, reviewer, english, assert_constant_queries
):
    def add_rows(n: int) -> None:
        for i in range(n):
            post = create_post(
                author=author,
                language=english,
                kind=PostKind.ARTICLE,
                content=content_of(title=f"T{i}"),
            )
            workflow.submit_for_review(post=post, actor=author)

    client.force_login(reviewer)
    response = assert_constant_queries(
        lambda: client.get(reverse("content:review_queue")), add_rows
    )
    assert response.content.count(b"0 of 1") == 12


def test_the_queue_is_for_reviewers_only(client, author):
    client.force_login(author)
    assert client.get(reverse("content:review_queue")).status_code == 403


def test_the_review_page_shows_the_text_the_diff_against_the_published_one_and_sources(
    client, post, reviewer, make_user
):
    post = publish(post, [make_user("r2", roles.REVIEWERS)])
    edit(post, post.created_by, body="Frequent use can **seriously** damage the bladder.")
    workflow.submit_for_review(post=post, actor=post.created_by)
    client.force_login(reviewer)
    page = client.get(review_url(post)).content.decode()
    assert "<strong>seriously</strong>" in page
    assert "Changes since revision 1" in page and "(published)" in page
    assert "<ins>**seriously**" in page
    assert "EUDA drug profile" in page and "consulted 2026-10-01" in page


def test_a_reviewer_approves_and_the_author_is_told(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(
        review_url(in_review),
        {"decision": "approve", "revision_id": in_review.latest_revision_id, "reason": ""},
        follow=True,
    )
    assert b"Your approval is recorded" in response.content
    assert Review.objects.get().reviewer == reviewer
    assert Notification.objects.filter(recipient=in_review.created_by, message__contains="approved")


def test_requesting_changes_without_a_reason_is_explained_and_records_nothing(
    client, in_review, reviewer
):
    client.force_login(reviewer)
    response = client.post(
        review_url(in_review),
        {"decision": "request_changes", "revision_id": in_review.latest_revision_id, "reason": ""},
    )
    assert response.status_code == 200
    assert "Say what must change" in response.content.decode().replace("&#x27;", "'")
    assert not Review.objects.exists()


def test_an_author_crafting_an_approval_of_their_own_post_is_refused(client, make_user, english):
    both = make_user("both", roles.AUTHORS)
    both.groups.add(*both.groups.model.objects.filter(name=roles.REVIEWERS))
    post = create_post(
        author=type(both).objects.get(pk=both.pk),
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(),
    )
    workflow.submit_for_review(post=post, actor=post.created_by)
    client.force_login(both)
    response = client.post(
        review_url(post),
        {"decision": "approve", "revision_id": post.latest_revision_id, "reason": ""},
        follow=True,
    )
    assert "You wrote part of this text" in response.content.decode()
    assert not Review.objects.exists()


def test_a_plain_author_cannot_reach_the_review_page(client, in_review, author):
    client.force_login(author)
    assert client.get(review_url(in_review)).status_code == 403
    response = client.post(
        review_url(in_review),
        {"decision": "approve", "revision_id": in_review.latest_revision_id},
    )
    assert response.status_code == 403 and not Review.objects.exists()


def test_approving_a_revision_that_was_replaced_meanwhile_is_refused(client, in_review, reviewer):
    seen = in_review.latest_revision_id
    edit(in_review, in_review.created_by, body="Changed while the reviewer read.")
    client.force_login(reviewer)
    response = client.post(
        review_url(in_review), {"decision": "approve", "revision_id": seen}, follow=True
    )
    assert "no longer the one under review" in response.content.decode()
    assert not Review.objects.exists()


def test_author_submits_and_publishes_through_the_post_page(author_client, post, reviewer):
    page = author_client.get(post.get_absolute_url()).content.decode()
    assert "Submit revision 1 for review" in page
    author_client.post(action_url(post, "submit"))
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    page = author_client.get(post.get_absolute_url()).content.decode()
    assert "in review: 1 of 1 approvals" in page and "Publish revision 1" in page
    response = author_client.post(
        action_url(post, "publish"), {"revision_id": post.latest_revision_id}, follow=True
    )
    assert b"Published." in response.content
    post.refresh_from_db()
    assert post.published_revision_id == post.latest_revision_id


def test_publishing_without_enough_approvals_is_explained(author_client, in_review):
    response = author_client.post(
        action_url(in_review, "publish"), {"revision_id": in_review.latest_revision_id}, follow=True
    )
    assert "has 0 of the 1 approvals" in response.content.decode()


def test_only_editors_withdraw_and_a_reason_is_required(client, post, reviewer, editor, author):
    post = publish(post, [reviewer])
    client.force_login(author)
    assert client.post(action_url(post, "withdraw"), {"reason": "x"}).status_code == 403
    client.force_login(editor)
    response = client.post(action_url(post, "withdraw"), {"reason": ""}, follow=True)
    assert b"Say why" in response.content
    client.post(action_url(post, "withdraw"), {"reason": "Dose wrong"})
    post.refresh_from_db()
    assert post.published_revision is None and post.state == "withdrawn"


def test_workflow_actions_need_post_csrf_and_a_known_action(client, post, author):
    from django.test import Client

    client.force_login(author)
    assert client.get(action_url(post, "submit")).status_code == 405
    assert client.post(action_url(post, "explode")).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    assert strict.post(action_url(post, "submit")).status_code == 403
    post.refresh_from_db()
    assert post.state == "draft"


def test_the_timeline_shows_every_event_of_the_post(client, post, reviewer):
    publish(post, [reviewer])
    client.force_login(reviewer)
    page = client.get(reverse("content:post_timeline", args=[post.pk])).content.decode()
    for label in (
        "Post created",
        "Revision saved",
        "Submitted for review",
        "Approved",
        "Published",
    ):
        assert label in page


def test_the_audit_log_is_for_editors_and_filters(client, post, reviewer, editor, author):
    publish(post, [reviewer])
    client.force_login(author)
    assert client.get(reverse("content:audit_log")).status_code == 403
    client.force_login(editor)
    url = reverse("content:audit_log")
    page = client.get(url, {"person": "reviewer"}).content.decode()
    assert "<td>Approved</td>" in page and "<td>Post created</td>" not in page
    page = client.get(url, {"action": "published", "post": post.slug}).content.decode()
    assert page.count("<td>Published</td>") == 1
    assert "No events match" in client.get(url, {"since": "2999-01-01"}).content.decode()
    bad = client.get(url, {"since": "not a date"})
    assert bad.status_code == 200 and b"Enter a valid date" in bad.content


def test_the_audit_log_runs_a_constant_number_of_queries(
    client, author, editor, english, assert_constant_queries
):
    def add_rows(n: int) -> None:
        for i in range(n):
            create_post(
                author=author,
                language=english,
                kind=PostKind.ARTICLE,
                content=content_of(title=f"b{i}"),
            )

    client.force_login(editor)
    response = assert_constant_queries(lambda: client.get(reverse("content:audit_log")), add_rows)
    assert response.content.decode().count("<td>Post created</td>") == 12


def test_the_audit_log_cannot_be_changed_through_the_admin(client, post, editor):
    event = AuditEvent.objects.filter(post=post).first()
    client.force_login(editor)
    change = reverse("admin:content_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200, "editors may read it"
    assert client.post(change, {"action": "x"}).status_code == 403
    delete = reverse("admin:content_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_reviews_cannot_be_added_through_the_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:content_review_add")).status_code == 403


def test_notifications_list_and_mark_read(client, reviewer, in_review):
    client.force_login(reviewer)
    page = client.get(reverse("content:notifications")).content.decode()
    assert "is waiting for your review" in page and 'class="badge"' in page
    client.post(reverse("content:notifications"))
    assert not Notification.objects.filter(recipient=reviewer).unread().exists()


def test_dashboard_shows_derived_statuses(author_client, post, reviewer):
    publish(post, [reviewer])
    edit(post, post.created_by, title="Newer")
    page = author_client.get(reverse("content:dashboard")).content.decode()
    assert "published, newer draft" in page


def test_a_damaged_review_form_says_so_and_records_nothing(client, reviewer, in_review):
    client.force_login(reviewer)
    response = client.post(review_url(in_review), {"decision": "approve", "revision_id": "x"})
    assert response.status_code == 200
    assert "damaged or is out of date" in response.content.decode()
    assert not Review.objects.exists()
