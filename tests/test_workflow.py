"""The review workflow's rules: four eyes, approvals bound to content, policies, re-review."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from content import roles, workflow
from content.models import AuditEvent, Notification, Post, PostKind, PostState, Review, ReviewPolicy
from content.revisions import create_post
from tests.support import content_of
from tests.workflow_helpers import approve_all, edit, publish


@pytest.fixture
def second_reviewer(make_user):
    return make_user("second_reviewer", roles.REVIEWERS)


@pytest.fixture
def alert(author, english) -> Post:
    return create_post(
        author=author, language=english, kind=PostKind.DRUG_ALERT, content=content_of()
    )


def test_an_author_who_is_also_a_reviewer_cannot_approve_their_own_text(make_user, english):
    both = make_user("both", roles.AUTHORS)
    both.groups.add(*both.groups.model.objects.filter(name=roles.REVIEWERS))
    both = type(both).objects.get(pk=both.pk)
    post = create_post(author=both, language=english, kind=PostKind.ARTICLE, content=content_of())
    workflow.submit_for_review(post=post, actor=both)
    with pytest.raises(workflow.NotPermitted, match="You wrote part of this text"):
        workflow.approve(post=post, actor=both, revision_id=post.latest_revision_id)
    assert not Review.objects.exists()


def test_a_reviewer_who_edited_since_publication_cannot_approve(post, reviewer, editor, make_user):
    publish(post, [make_user("r2", roles.REVIEWERS)])
    edit(post, editor, title="Editor's fix")
    workflow.submit_for_review(post=post, actor=post.created_by)
    with pytest.raises(workflow.NotPermitted, match="revision 2"):
        workflow.approve(post=post, actor=editor, revision_id=post.latest_revision_id)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)


def test_editing_before_a_publication_no_longer_blocks_approving_later_text(
    post, editor, reviewer, second_reviewer
):
    edit(post, editor, title="Editor's early fix")
    publish(post, [reviewer])
    edit(post, post.created_by, title="Author's new text")
    workflow.submit_for_review(post=post, actor=post.created_by)
    workflow.approve(post=post, actor=editor, revision_id=post.latest_revision_id)
    assert workflow.approvals(post.latest_revision) == 1


def test_a_drug_alert_needs_two_approvals_before_it_can_be_published(
    alert, reviewer, second_reviewer
):
    workflow.submit_for_review(post=alert, actor=alert.created_by)
    approve_all(alert, reviewer)
    with pytest.raises(workflow.TransitionNotAllowed, match="1 of the 2 approvals"):
        workflow.publish(post=alert, actor=alert.created_by, revision_id=alert.latest_revision_id)
    approve_all(alert, second_reviewer)
    workflow.publish(post=alert, actor=alert.created_by, revision_id=alert.latest_revision_id)
    alert.refresh_from_db()
    assert alert.state == PostState.PUBLISHED
    assert alert.published_revision == alert.latest_revision
    assert alert.review_due == timezone.localdate() + datetime.timedelta(days=30)


def test_the_same_reviewer_cannot_approve_twice(alert, reviewer):
    workflow.submit_for_review(post=alert, actor=alert.created_by)
    approve_all(alert, reviewer)
    with pytest.raises(workflow.TransitionNotAllowed, match="already approved"):
        approve_all(alert, reviewer)
    assert workflow.approvals(alert.latest_revision) == 1


def test_a_new_revision_voids_approvals_but_keeps_them_in_history(
    post, reviewer, django_capture_on_commit_callbacks
):
    reviewer.email = "reviewer@example.org"
    reviewer.save()
    workflow.submit_for_review(post=post, actor=post.created_by)
    approved = post.latest_revision
    approve_all(post, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        edit(post, post.created_by, body="A late change.")
    post = Post.objects.with_revisions().get(pk=post.pk)
    assert post.state == PostState.IN_REVIEW
    assert workflow.approvals(post.latest_revision) == 0
    assert post.approval_count == 0 and "0 of 1" in post.status_label
    assert Review.objects.filter(revision=approved, reviewer=reviewer).exists()
    assert AuditEvent.objects.filter(post=post, action="approvals_voided").exists()
    assert Notification.objects.filter(recipient=reviewer, message__contains="no longer counts")
    assert any(
        "no longer counts" in m.body and m.to == ["reviewer@example.org"] for m in mail.outbox
    )
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.publish(post=post, actor=post.created_by, revision_id=post.latest_revision_id)


def test_approving_a_stale_revision_is_refused_and_records_nothing(post, reviewer):
    workflow.submit_for_review(post=post, actor=post.created_by)
    seen = post.latest_revision_id
    edit(post, post.created_by, body="Changed while the reviewer read.")
    with pytest.raises(workflow.TransitionNotAllowed, match="no longer the one under review"):
        workflow.approve(post=post, actor=reviewer, revision_id=seen)
    assert not Review.objects.exists()


def test_an_approval_counts_only_for_the_hash_it_was_given_for(post, reviewer):
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, reviewer)
    review = Review.objects.get()
    assert review.content_hash == post.latest_revision.content_hash
    with pytest.raises(TypeError):
        review.save()


def test_requesting_changes_needs_a_reason_and_tells_the_author(
    post, reviewer, django_capture_on_commit_callbacks
):
    post.created_by.email = "author@example.org"
    post.created_by.save()
    workflow.submit_for_review(post=post, actor=post.created_by)
    with pytest.raises(workflow.WorkflowError, match="Say what must change"):
        workflow.request_changes(
            post=post, actor=reviewer, revision_id=post.latest_revision_id, reason=" "
        )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(
            post=post, actor=reviewer, revision_id=post.latest_revision_id, reason="Cite Sciensano."
        )
    post = Post.objects.with_revisions().get(pk=post.pk)
    assert post.status_label == "changes requested: Cite Sciensano."
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert "Cite Sciensano." in mail.outbox[0].body


def test_publishing_a_newer_revision_keeps_the_old_one_live_until_then(post, reviewer):
    post = publish(post, [reviewer])
    first = post.published_revision
    edit(post, post.created_by, title="Better")
    post = Post.objects.with_revisions().get(pk=post.pk)
    assert post.published_revision == first and post.state == PostState.DRAFT
    assert post.status_label == "published, newer draft"
    assert list(Post.objects.published()) == [post]
    workflow.submit_for_review(post=post, actor=post.created_by)
    assert Post.objects.with_revisions().get(pk=post.pk).status_label == (
        "published, newer draft in review: 0 of 1 approvals"
    )


def test_withdrawing_takes_the_post_off_the_public_site_at_once(post, reviewer, editor):
    publish(post, [reviewer])
    with pytest.raises(workflow.WorkflowError, match="Say why"):
        workflow.withdraw(post=post, actor=editor, reason="")
    workflow.withdraw(post=post, actor=editor, reason="Dosage advice found wrong")
    post = Post.objects.with_revisions().get(pk=post.pk)
    assert post.published_revision is None
    assert not Post.objects.published().exists()
    assert post.status_label == "withdrawn: Dosage advice found wrong"
    event = AuditEvent.objects.get(post=post, action="withdrawn")
    assert event.actor == editor and event.details["reason"] == "Dosage advice found wrong"


def test_an_archived_post_cannot_be_edited_until_restored(post, editor):
    workflow.archive(post=post, actor=editor)
    with pytest.raises(workflow.TransitionNotAllowed, match="archived"):
        edit(post, editor, title="Sneaky")
    workflow.unarchive(post=post, actor=editor)
    edit(post, editor, title="Allowed again")


def test_review_policies_come_from_a_migration_and_editors_can_change_them(post, reviewer):
    policies = {p.kind: p for p in ReviewPolicy.objects.all()}
    assert policies["drug_alert"].required_approvals == 2
    assert policies["drug_alert"].review_interval_days == 30
    assert policies["fact_sheet"].review_interval_days == 365
    ReviewPolicy.objects.filter(kind="article").update(review_interval_days=7)
    post = publish(post, [reviewer])
    assert post.review_due == timezone.localdate() + datetime.timedelta(days=7)


def overdue(post: Post, reviewer, days_ago: int = 400) -> Post:
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, reviewer)
    back = timezone.now() - datetime.timedelta(days=days_ago)
    return workflow.publish(
        post=post, actor=post.created_by, revision_id=post.latest_revision_id, at=back
    )


def test_an_overdue_post_shows_as_such_and_a_re_approval_starts_a_new_period(
    post, reviewer, second_reviewer
):
    post = overdue(post, reviewer)
    assert post.is_overdue and post.status_label == "published, review overdue"
    assert list(Post.objects.overdue()) == [post]
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.approve(post=post, actor=second_reviewer, revision_id=post.published_revision_id)
    workflow.re_approve(post=post, actor=second_reviewer, revision_id=post.published_revision_id)
    post.refresh_from_db()
    assert not post.is_overdue
    assert post.review_due == timezone.localdate() + datetime.timedelta(days=365)
    assert AuditEvent.objects.filter(post=post, action="re_reviewed").count() == 1
    assert Review.objects.filter(revision=post.published_revision).count() == 2


def test_re_review_can_send_the_published_text_back(post, reviewer, second_reviewer):
    post = overdue(post, reviewer)
    workflow.request_changes(
        post=post,
        actor=second_reviewer,
        revision_id=post.published_revision_id,
        reason="New lab data.",
    )
    post.refresh_from_db()
    assert post.state == PostState.CHANGES_REQUESTED
    assert post.published_revision is not None, "still live until an editor withdraws it"


def test_the_writer_of_the_published_text_cannot_re_approve_it(post, reviewer, editor):
    edit(post, editor, title="Editor wrote this")
    post = overdue(post, reviewer)
    with pytest.raises(workflow.NotPermitted, match="You wrote part"):
        workflow.re_approve(post=post, actor=editor, revision_id=post.published_revision_id)


def test_review_overdue_lists_and_notifies_once_a_day(
    post, reviewer, second_reviewer, django_capture_on_commit_callbacks
):
    overdue(post, reviewer)
    second_reviewer.email = "second@example.org"
    second_reviewer.save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("review_overdue", "--notify", stdout=out)
        call_command("review_overdue", "--notify", stdout=out)
    text = out.getvalue()
    assert f"en/{post.slug}" in text and "days overdue" in text
    assert "reviewers told about 1" in text and "reviewers told about 0 (1 already today)" in text
    assert [m.to for m in mail.outbox] == [["second@example.org"]]
    reminders = Notification.objects.filter(recipient=second_reviewer, message__contains="was due")
    assert reminders.count() == 1


def test_review_overdue_without_notify_tells_nobody(post, reviewer):
    overdue(post, reviewer)
    out = StringIO()
    call_command("review_overdue", stdout=out)
    assert "1 overdue post(s)" in out.getvalue()
    assert not AuditEvent.objects.filter(action="overdue_notified").exists()


def test_submitting_notifies_reviewers_but_not_the_writers(post, reviewer, editor):
    workflow.submit_for_review(post=post, actor=post.created_by)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"reviewer", "editor"}
