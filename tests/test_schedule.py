"""Scheduled publication and withdrawal (content.workflow.schedule, run_due_schedules): the
same checks as acting now, bound to the approved revision, run once by the background worker."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from content import tasks, workflow
from content.models import AuditEvent, Notification, Post, PostState, ReviewPolicy, Schedule
from tests.test_tasks import database_tasks as database_tasks  # the fixture
from tests.test_tasks import run_worker
from tests.threads import run_together
from tests.workflow_helpers import approve_all, edit

A = AuditEvent.Action
HOUR = datetime.timedelta(hours=1)


def approved(post: Post, reviewer: Any) -> Post:
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, reviewer)
    return Post.objects.get(pk=post.pk)


def schedule_publication(post: Post, actor: Any, run_at: datetime.datetime) -> Schedule:
    return workflow.schedule(
        post=post, actor=actor, kind="publish", run_at=run_at, revision_id=post.latest_revision_id
    )


def actions_of(post: Post) -> list[str]:
    return list(
        AuditEvent.objects.filter(post=post).order_by("sequence").values_list("action", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_publication_happens_when_the_worker_runs_after_its_time_and_not_before(
    database_tasks: None, post: Post, reviewer: Any, monkeypatch: Any
) -> None:
    post = approved(post, reviewer)
    start = timezone.now()
    planned = schedule_publication(post, post.created_by, start + HOUR)
    scheduler = tasks.Scheduler()
    assert scheduler.run_schedules(start) == [], "nothing is due yet: nothing is enqueued"
    tasks.run_due_schedules.enqueue()  # a worker running early publishes nothing
    run_worker()
    assert Post.objects.get(pk=post.pk).state == PostState.IN_REVIEW
    assert Schedule.objects.get(pk=planned.pk).status == Schedule.Status.PENDING

    later = start + 2 * HOUR
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert scheduler.run_schedules() == ["run_due_schedules"]
    run_worker()
    post = Post.objects.get(pk=post.pk)
    assert post.state == PostState.PUBLISHED
    assert post.published_revision_id == planned.revision_id
    assert post.published_at == later
    assert Schedule.objects.get(pk=planned.pk).status == Schedule.Status.DONE
    assert actions_of(post)[-3:] == [A.SCHEDULED, A.PUBLISHED, A.SCHEDULE_RAN]
    assert DBTaskResult.objects.filter(task_path="content.tasks.run_due_schedules").count() == 2
    # Run again (a second enqueue, a restarted worker): nothing more happens.
    assert workflow.run_due_schedules(now=later + HOUR) == {}
    assert actions_of(post).count(A.PUBLISHED) == 1


@pytest.mark.django_db
def test_a_new_revision_voids_the_scheduled_publication_and_tells_who_set_it(
    post: Post, reviewer: Any, editor: Any
) -> None:
    post = approved(post, reviewer)
    now = timezone.now()
    planned = schedule_publication(post, editor, now + HOUR)
    edit(post, post.created_by, body="A different text.")
    planned.refresh_from_db()
    assert planned.status == Schedule.Status.VOID
    assert "Revision 2 was saved" in planned.outcome
    assert workflow.run_due_schedules(now=now + 2 * HOUR) == {}
    post = Post.objects.get(pk=post.pk)
    assert post.published_revision_id is None, "never other text than the one approved"
    assert A.SCHEDULE_VOIDED in actions_of(post)
    assert Notification.objects.filter(recipient=editor, message__contains="is void").exists()


@pytest.mark.django_db
def test_a_scheduled_publication_fails_when_the_approvals_no_longer_suffice(
    post: Post, reviewer: Any
) -> None:
    post = approved(post, reviewer)
    now = timezone.now()
    planned = schedule_publication(post, post.created_by, now + HOUR)
    ReviewPolicy.objects.update_or_create(kind=post.kind, defaults={"required_approvals": 2})
    assert workflow.run_due_schedules(now=now + 2 * HOUR) == {planned.pk: Schedule.Status.FAILED}
    planned.refresh_from_db()
    assert "1 of the 2 approvals" in planned.outcome
    post = Post.objects.get(pk=post.pk)
    assert post.state == PostState.IN_REVIEW and post.published_revision_id is None
    assert actions_of(post)[-1] == A.SCHEDULE_FAILED
    assert A.PUBLISHED not in actions_of(post)
    told = Notification.objects.filter(recipient=post.created_by, message__contains="did not")
    assert told.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_run_a_schedule_once(post: Post, reviewer: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are PostgreSQL's")
    post = approved(post, reviewer)
    now = timezone.now()
    planned = schedule_publication(post, post.created_by, now + HOUR)
    later = now + 2 * HOUR
    outcomes = run_together(
        lambda: workflow.run_due_schedules(now=later),
        lambda: workflow.run_due_schedules(now=later),
    )
    assert sorted(outcomes, key=len) == [{}, {planned.pk: Schedule.Status.DONE}]
    assert actions_of(post).count(A.PUBLISHED) == 1
    assert actions_of(post).count(A.SCHEDULE_RAN) == 1


@pytest.mark.django_db
def test_an_editor_schedules_a_withdrawal_with_its_reasons(published: Post, editor: Any) -> None:
    now = timezone.now()
    planned = workflow.schedule(
        post=published, actor=editor, kind="withdraw", run_at=now + HOUR,
        reason="The festival is over.", public_reason="Valid for the festival weekend only.",
    )  # fmt: skip
    assert workflow.run_due_schedules(now=now) == {}
    assert workflow.run_due_schedules(now=now + HOUR) == {planned.pk: Schedule.Status.DONE}
    post = Post.objects.get(pk=published.pk)
    assert post.state == PostState.WITHDRAWN
    assert post.public_reason == "Valid for the festival weekend only."
    assert actions_of(post)[-3:] == [A.SCHEDULED, A.WITHDRAWN, A.SCHEDULE_RAN]


@pytest.mark.django_db
def test_a_cancelled_schedule_never_runs_and_the_cancel_is_audited(
    post: Post, reviewer: Any
) -> None:
    post = approved(post, reviewer)
    now = timezone.now()
    planned = schedule_publication(post, post.created_by, now + HOUR)
    workflow.cancel_schedule(schedule_id=planned.pk, actor=post.created_by)
    assert workflow.run_due_schedules(now=now + 2 * HOUR) == {}
    assert Post.objects.get(pk=post.pk).published_revision_id is None
    assert actions_of(post)[-2:] == [A.SCHEDULED, A.SCHEDULE_CANCELLED]
    # Cancelled, the kind can be scheduled again.
    assert schedule_publication(post, post.created_by, now + HOUR).status == "pending"


@pytest.mark.django_db
def test_a_reviewer_may_not_schedule_a_publication_nor_cancel_one(
    post: Post, reviewer: Any
) -> None:
    post = approved(post, reviewer)
    with pytest.raises(workflow.NotPermitted):
        schedule_publication(post, reviewer, timezone.now() + HOUR)
    planned = schedule_publication(post, post.created_by, timezone.now() + HOUR)
    with pytest.raises(workflow.NotPermitted):
        workflow.cancel_schedule(schedule_id=planned.pk, actor=reviewer)
    assert Schedule.objects.pending().count() == 1


@pytest.mark.django_db
def test_one_schedule_of_a_kind_per_post_in_the_future_and_with_enough_approvals(
    post: Post, reviewer: Any
) -> None:
    workflow.submit_for_review(post=post, actor=post.created_by)
    with pytest.raises(workflow.TransitionNotAllowed, match="0 of the 1 approvals"):
        schedule_publication(post, post.created_by, timezone.now() + HOUR)
    approve_all(post, reviewer)
    with pytest.raises(workflow.WorkflowError, match="in the future"):
        schedule_publication(post, post.created_by, timezone.now() - HOUR)
    schedule_publication(post, post.created_by, timezone.now() + HOUR)
    with pytest.raises(workflow.TransitionNotAllowed, match="already scheduled"):
        schedule_publication(post, post.created_by, timezone.now() + 2 * HOUR)
