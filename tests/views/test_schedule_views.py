"""The post page's schedules: shown with the time zone and who set them, the forms only where
content.workflow.schedule would accept them; the POST endpoints refuse as the service does."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.models import AuditEvent, Post, Schedule
from tests.workflow_helpers import approve_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(post: Post, reviewer: Any) -> Post:
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, reviewer)
    return Post.objects.get(pk=post.pk)


def local(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def test_the_author_schedules_a_publication_and_the_page_shows_it_with_cancel(
    client: Any, approved: Post
) -> None:
    client.force_login(approved.created_by)
    page = client.get(approved.get_absolute_url()).content.decode()
    assert 'data-schedule="publish-form"' in page
    run_at = timezone.now() + datetime.timedelta(days=2)
    response = client.post(
        reverse("content:post_schedule", args=[approved.pk]),
        {"kind": "publish", "run_at": local(run_at), "revision_id": approved.latest_revision_id},
    )
    assert response.status_code == 302
    planned = Schedule.objects.get(post=approved)
    page = client.get(approved.get_absolute_url()).content.decode()
    zone = timezone.get_current_timezone_name()
    shown = f"Publishes revision 1 on {timezone.localtime(planned.run_at):%Y-%m-%d %H:%M} ({zone})"
    assert shown in page and "scheduled by author" in page
    assert reverse("content:schedule_cancel", args=[planned.pk]) in page
    assert 'data-schedule="publish-form"' not in page, "one schedule of a kind at a time"
    client.post(reverse("content:schedule_cancel", args=[planned.pk]))
    assert Schedule.objects.get(pk=planned.pk).status == Schedule.Status.CANCELLED
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SCHEDULE_CANCELLED).count() == 1


def test_a_reviewer_sees_no_schedule_form_and_is_refused_with_403(
    client: Any, approved: Post, reviewer: Any
) -> None:
    client.force_login(reviewer)
    page = client.get(approved.get_absolute_url()).content.decode()
    assert 'data-schedule="publish-form"' not in page
    run_at = timezone.now() + datetime.timedelta(days=2)
    response = client.post(
        reverse("content:post_schedule", args=[approved.pk]),
        {"kind": "publish", "run_at": local(run_at), "revision_id": approved.latest_revision_id},
    )
    assert response.status_code == 403
    assert not Schedule.objects.exists()


def test_no_schedule_form_before_the_approvals_and_a_past_time_is_refused(
    client: Any, post: Post
) -> None:
    workflow.submit_for_review(post=post, actor=post.created_by)
    client.force_login(post.created_by)
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'data-schedule="publish-form"' not in page
    response = client.post(
        reverse("content:post_schedule", args=[post.pk]),
        {"kind": "publish", "run_at": "2020-01-01T10:00", "revision_id": post.latest_revision_id},
    )
    assert response.status_code == 409  # no approval yet: refused for where the post stands


def test_an_editor_schedules_a_withdrawal_from_the_withdraw_form(
    client: Any, published: Post, editor: Any
) -> None:
    client.force_login(editor)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Schedule withdrawal" in page
    run_at = timezone.now() + datetime.timedelta(hours=3)
    client.post(
        reverse("content:post_schedule", args=[published.pk]),
        {"kind": "withdraw", "run_at": local(run_at), "reason": "Festival over.",
         "public_reason": ""},
    )  # fmt: skip
    planned = Schedule.objects.get(post=published)
    assert planned.kind == "withdraw" and planned.reason == "Festival over."
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Withdrawn on" in page and "scheduled by editor" in page


def test_the_author_and_the_editor_homes_list_what_is_scheduled(
    client: Any, approved: Post, editor: Any
) -> None:
    run_at = timezone.now() + datetime.timedelta(days=1)
    workflow.schedule(
        post=approved, actor=approved.created_by, kind="publish", run_at=run_at,
        revision_id=approved.latest_revision_id,
    )  # fmt: skip
    when = f"{timezone.localtime(run_at):%Y-%m-%d %H:%M}"
    for person in (approved.created_by, editor):
        client.force_login(person)
        page = client.get(reverse("content:dashboard")).content.decode()
        assert 'id="scheduled"' in page
        assert "Publish revision 1" in page and when in page


def test_the_timeline_names_the_schedule_events(client: Any, approved: Post) -> None:
    run_at = timezone.now() + datetime.timedelta(days=1)
    planned = workflow.schedule(
        post=approved, actor=approved.created_by, kind="publish", run_at=run_at,
        revision_id=approved.latest_revision_id,
    )  # fmt: skip
    workflow.cancel_schedule(schedule_id=planned.pk, actor=approved.created_by)
    client.force_login(approved.created_by)
    page = client.get(reverse("content:post_timeline", args=[approved.pk])).content.decode()
    assert "Scheduled" in page and "Schedule cancelled" in page


def test_the_homes_schedule_names_the_site_time_zone_and_who_set_it(
    client: Any, approved: Post
) -> None:
    workflow.schedule(
        post=approved, actor=approved.created_by, kind="publish",
        run_at=timezone.now() + datetime.timedelta(days=1),
        revision_id=approved.latest_revision_id,
    )  # fmt: skip
    client.force_login(approved.created_by)
    page = client.get(reverse("content:dashboard")).content.decode()
    scheduled = page.split('id="scheduled"')[1].split("</section>")[0]
    assert f"When ({timezone.get_current_timezone_name()})" in scheduled
    assert f"<td>{approved.created_by.get_username()}</td>" in scheduled
