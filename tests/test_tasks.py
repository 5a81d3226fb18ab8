"""Background work: notification mail, reminders, the schedule and bulk exports as Django tasks.

tests/settings.py runs tasks immediately; the tests about the queue itself switch to the
database backend (django-tasks-db) and run a real worker pass (`db_worker --batch`), in
transactional tests because the worker commits its own transactions.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from content import tasks, workflow
from content.models import Notification, Post
from tests.workflow_helpers import approve_all

MAIL_TASK = "content.tasks.send_notification_mail"
REMINDER_TASK = "content.tasks.send_overdue_reminders"


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """One worker pass over every task that is due, as `manage.py db_worker --batch` does."""
    # The worker installs its own signal handlers for a clean stop; give pytest back its own.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0,
            verbosity=0, stdout=StringIO(),
        )  # fmt: skip
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def statuses(task_path: str) -> list[str]:
    return sorted(DBTaskResult.objects.filter(task_path=task_path).values_list("status", flat=True))


@pytest.fixture
def mailed_team(reviewer: Any, editor: Any) -> list[str]:
    for user in (reviewer, editor):
        user.email = f"{user.username}@example.org"
        user.save()
    return ["editor@example.org", "reviewer@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_transition_queues_one_mail_per_recipient_that_only_the_worker_sends(
    database_tasks: None, post: Post, mailed_team: list[str]
) -> None:
    workflow.submit_for_review(post=post, actor=post.created_by)
    assert Notification.objects.count() == 2, "the in-app notifications are written at once"
    assert statuses(MAIL_TASK) == [TaskResultStatus.READY] * 2
    assert mail.outbox == []
    run_worker()
    assert sorted(address for m in mail.outbox for address in m.to) == mailed_team
    assert statuses(MAIL_TASK) == [TaskResultStatus.SUCCESSFUL] * 2
    assert all(len(m.to) == 1 for m in mail.outbox), "addresses are never shared"
    assert f"/studio/posts/{post.pk}/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transition_queues_and_sends_nothing(
    database_tasks: None, post: Post, mailed_team: list[str]
) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.submit_for_review(post=post, actor=post.created_by)
        raise RuntimeError("the request failed after the transition")
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_when_the_mail_server_is_down_the_task_fails_visibly_and_is_tried_again_later(
    database_tasks: None, settings: Any, post: Post, mailed_team: list[str]
) -> None:
    # Port 9 (discard) on this machine: nothing listens, so the connection is refused.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 5},
        }
    }
    workflow.submit_for_review(post=post, actor=post.created_by)
    run_worker()
    post.refresh_from_db()
    assert post.state == "in_review", "the action stands"
    failed = DBTaskResult.objects.filter(task_path=MAIL_TASK, status=TaskResultStatus.FAILED)
    assert failed.count() == 2
    assert all("ConnectionRefusedError" in row.traceback for row in failed)
    retries = DBTaskResult.objects.filter(task_path=MAIL_TASK, status=TaskResultStatus.READY)
    assert sorted(row.args_kwargs["kwargs"]["attempt"] for row in retries) == [2, 2]
    assert all(row.run_after > timezone.now() for row in retries), "not before a few minutes"


@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_enqueued_twice_tells_each_reviewer_once_a_day(
    database_tasks: None, post: Post, reviewer: Any, mailed_team: list[str]
) -> None:
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, reviewer)
    back = timezone.now() - datetime.timedelta(days=400)
    workflow.publish(post=post, actor=post.created_by, revision_id=post.latest_revision_id, at=back)
    run_worker()  # the submit and approval mails
    mail.outbox.clear()
    tasks.send_overdue_reminders.enqueue()
    tasks.send_overdue_reminders.enqueue()
    run_worker()
    assert statuses(REMINDER_TASK) == [TaskResultStatus.SUCCESSFUL] * 2
    results = DBTaskResult.objects.filter(task_path=REMINDER_TASK).order_by("enqueued_at")
    assert [row.return_value for row in results] == [1, 0]
    # The reviewer approved the text; the editor did not write it either: both are told, once.
    assert sorted(a for m in mail.outbox for a in m.to) == mailed_team
    assert all("was due on" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_the_scheduler_enqueues_the_daily_tasks_once_a_day_however_often_it_ticks(
    database_tasks: None,
) -> None:
    scheduler = tasks.Scheduler()
    morning = timezone.make_aware(datetime.datetime(2026, 3, 2, 6, 0))
    daily = ["send_overdue_reminders", "prune_task_results"]
    assert scheduler.tick(morning) == daily
    for hours in range(1, 18):
        assert scheduler.tick(morning + datetime.timedelta(hours=hours)) == []
    assert scheduler.tick(morning + datetime.timedelta(days=1)) == daily
    assert len(statuses(REMINDER_TASK)) == 2
    assert len(statuses("content.tasks.prune_task_results")) == 2


@pytest.mark.django_db(transaction=True)
def test_pruning_deletes_only_finished_results_older_than_the_retention(
    database_tasks: None, settings: Any
) -> None:
    settings.TASK_RESULT_DAYS = 14
    old, recent = tasks.prune_task_results.enqueue(), tasks.prune_task_results.enqueue()
    run_worker()
    DBTaskResult.objects.filter(id=old.id).update(
        finished_at=timezone.now() - datetime.timedelta(days=15)
    )
    waiting = tasks.prune_task_results.enqueue()
    assert tasks.prune_task_results.call() == 1
    kept = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert kept == {recent.id, waiting.id}


def test_export_posts_in_the_background_writes_the_same_files(
    published: Post, tmp_path: Path
) -> None:
    foreground, background = tmp_path / "foreground", tmp_path / "background"
    out = StringIO()
    call_command("export_posts", "--profile", "reddit", "--out", str(foreground),
                 stdout=out, stderr=StringIO())  # fmt: skip
    call_command("export_posts", "--profile", "reddit", "--out", str(background), "--background",
                 stdout=out, stderr=StringIO())  # fmt: skip
    assert "Enqueued the export" in out.getvalue()
    names = sorted(p.name for p in foreground.iterdir())
    assert names == [f"en-{published.slug}-v1-reddit.txt"]
    assert names == sorted(p.name for p in background.iterdir())
    for name in names:
        assert (foreground / name).read_bytes() == (background / name).read_bytes()


def backend_with(**env: str) -> subprocess.CompletedProcess[str]:
    code = "import harmreduction.settings as s; print(s.TASKS['default']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parent.parent,
        env={"PATH": os.environ.get("PATH", ""), "DEBUG": "1", **env},
    )  # fmt: skip


def test_the_backend_is_the_database_unless_the_environment_says_immediate() -> None:
    assert backend_with().stdout.strip() == "django_tasks_db.DatabaseBackend"
    immediate = backend_with(TASKS_BACKEND="immediate").stdout.strip()
    assert immediate == "django.tasks.backends.immediate.ImmediateBackend"
    unknown = backend_with(TASKS_BACKEND="celery")
    assert unknown.returncode != 0 and "TASKS_BACKEND must be one of" in unknown.stderr


def test_an_editor_sees_failed_tasks_in_the_admin(client, editor, author) -> None:
    from django.urls import reverse

    client.force_login(editor)
    assert (
        client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code
        == 200
    )
    client.force_login(author)
    assert (
        client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code
        == 302
    )


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_refuses_the_mail_does_not_undo_or_fail_the_action(
    database_tasks: None, post: Post, mailed_team: list[str], monkeypatch: Any
) -> None:
    def refuse(ids: list[int]) -> None:
        raise DatabaseError("the queue is unreachable")

    monkeypatch.setattr(tasks, "enqueue_notification_mails", refuse)
    workflow.submit_for_review(post=post, actor=post.created_by)  # no exception reaches here
    assert Post.objects.get(pk=post.pk).state == "in_review"
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_tick_that_could_not_enqueue_is_tried_again_at_the_next(
    database_tasks: None, monkeypatch: Any
) -> None:
    scheduler = tasks.Scheduler()
    morning = timezone.make_aware(datetime.datetime(2026, 3, 2, 6, 0))
    class Unreachable:
        name = "send_overdue_reminders"

        def enqueue(self) -> None:
            raise DatabaseError("the database is restarting")

    monkeypatch.setattr(tasks, "DAILY", (Unreachable(),))
    with pytest.raises(DatabaseError):
        scheduler.tick(morning)
    monkeypatch.undo()
    assert scheduler.tick(morning + datetime.timedelta(hours=1)) == [
        "send_overdue_reminders",
        "prune_task_results",
    ]
