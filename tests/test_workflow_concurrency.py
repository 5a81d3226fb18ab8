"""Races in the review workflow, with real concurrent transactions (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from content import roles, workflow
from content.models import AuditEvent, Post, PostKind, PostState, Review
from content.revisions import create_post, save_revision
from tests.support import content_of
from tests.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alert(author, languages) -> Post:
    post = create_post(
        author=author, language=languages["en"], kind=PostKind.DRUG_ALERT, content=content_of()
    )
    return workflow.submit_for_review(post=post, actor=author)


def fresh(post: Post) -> Post:
    return Post.objects.get(pk=post.pk)


def test_two_reviewers_approving_at_once_both_count_on_the_same_revision(
    alert, reviewer, make_user
):
    other = make_user("other_reviewer", roles.REVIEWERS)
    revision_id = alert.latest_revision_id
    outcomes = run_together(
        lambda: workflow.approve(post=fresh(alert), actor=reviewer, revision_id=revision_id),
        lambda: workflow.approve(post=fresh(alert), actor=other, revision_id=revision_id),
    )
    assert all(isinstance(o, Review) for o in outcomes), outcomes
    assert workflow.approvals(fresh(alert).latest_revision) == 2


def test_one_reviewer_approving_twice_at_once_counts_once(alert, reviewer):
    revision_id = alert.latest_revision_id
    approve = lambda: workflow.approve(post=fresh(alert), actor=reviewer, revision_id=revision_id)  # noqa: E731
    outcomes = run_together(approve, approve)
    assert sorted(type(o).__name__ for o in outcomes) == ["Review", "TransitionNotAllowed"]
    assert Review.objects.filter(reviewer=reviewer).count() == 1


def test_two_publishes_at_once_publish_once(alert, reviewer, editor, make_user):
    for who in (reviewer, make_user("other_reviewer", roles.REVIEWERS)):
        workflow.approve(post=fresh(alert), actor=who, revision_id=alert.latest_revision_id)
    revision_id = alert.latest_revision_id
    outcomes = run_together(
        lambda: workflow.publish(
            post=fresh(alert), actor=alert.created_by, revision_id=revision_id
        ),
        lambda: workflow.publish(post=fresh(alert), actor=editor, revision_id=revision_id),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Post", "TransitionNotAllowed"]
    assert AuditEvent.objects.filter(post=alert, action="published").count() == 1


def test_a_publish_racing_an_edit_never_publishes_unapproved_text(alert, reviewer, make_user):
    for who in (reviewer, make_user("other_reviewer", roles.REVIEWERS)):
        workflow.approve(post=fresh(alert), actor=who, revision_id=alert.latest_revision_id)
    approved_id = alert.latest_revision_id
    outcomes = run_together(
        lambda: workflow.publish(
            post=fresh(alert), actor=alert.created_by, revision_id=approved_id
        ),
        lambda: save_revision(
            post=fresh(alert),
            author=alert.created_by,
            content=content_of(body="A last-minute change nobody reviewed."),
            base_revision_id=approved_id,
        ),
    )
    published, edited = outcomes
    post = fresh(alert)
    assert not isinstance(edited, Exception), edited
    if isinstance(published, Exception):
        # The edit came first: the approved revision is no longer the latest.
        assert isinstance(published, workflow.TransitionNotAllowed)
        assert post.published_revision_id is None
    else:
        # The publish came first: the edit is a newer draft on top of the published text.
        assert post.published_revision_id == approved_id
        assert post.state == PostState.DRAFT
    assert post.latest_revision_id == edited.pk
    if post.published_revision_id:
        assert workflow.approvals(post.published_revision) == 2
