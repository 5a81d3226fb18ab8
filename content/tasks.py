"""Background work, run by a task worker instead of inside a request (Django's tasks framework).

Each task takes only JSON values (ids, slugs, paths), never model instances: it is stored by the
backend (a database row with django-tasks-db) and run later, perhaps in another process, so it
reads the rows it needs when it runs. Which backend runs them is settings.TASKS (TASKS_BACKEND).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import Task, task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from content import actors, exports, reminders, workflow
from content.exporters import ExportError, SigningError
from content.languages import recipient_language
from content.models import ExportProfile, Notification, Post, Schedule

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = gettext_lazy("[Harm reduction] ")
# A mail server that is down is usually back within minutes: try again after 5, then 10 more
# minutes (on backends that can run a task later; django-tasks-db can, the immediate one can't).
MAIL_ATTEMPTS = 3
MAIL_RETRY_DELAY = datetime.timedelta(minutes=5)


def notification_mail(notification: Notification) -> EmailMessage | None:
    """The e-mail telling a notification's recipient, or None when there is nobody to mail."""
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return None
    # The message was written in the recipient's language (content.notifications); the frame
    # around it is put in that language here, whatever language this worker speaks.
    message = notification.message
    with translation.override(recipient_language(recipient)):
        prefix = str(SUBJECT_PREFIX)
    subject = prefix + (message if len(message) < 90 else message[:87] + "...")
    post = notification.post
    link = f"{settings.STUDIO_BASE_URL}{post.get_absolute_url()}" if post else ""
    body = f"{message}\n\n{link}\n" if link else f"{message}\n"
    # One message per recipient, so that addresses are never shared.
    return EmailMessage(subject, body, to=[recipient.email])


@task()
def send_notification_mail(notification_id: int, attempt: int = 1) -> bool:
    """E-mail one in-app notification to its recipient. Returns whether a mail went out.

    The address is read now, not when the event happened: a changed address gets the mail, a
    deactivated account or a deleted notification gets none. When the mail server refuses or
    cannot be reached, the task fails (its result keeps the traceback, the worker logs it) and,
    where the backend can defer, a new attempt is enqueued, MAIL_ATTEMPTS in all.
    """
    notification = (
        Notification.objects.select_related("recipient", "post").filter(pk=notification_id).first()
    )
    mail = notification_mail(notification) if notification else None
    if mail is None:
        return False
    try:
        mail.send()
    except OSError:  # smtplib's errors are OSErrors, and so are refused connections
        backend = send_notification_mail.get_backend()
        if attempt < MAIL_ATTEMPTS and backend.supports_defer:
            later = timezone.now() + MAIL_RETRY_DELAY * attempt
            send_notification_mail.using(run_after=later).enqueue(
                notification_id, attempt=attempt + 1
            )
        raise
    return True


def enqueue_notification_mails(notification_ids: Iterable[int]) -> None:
    """One mail task per notification. Call it once the notifications are committed."""
    for notification_id in notification_ids:
        send_notification_mail.enqueue(notification_id)


@task()
def send_overdue_reminders() -> int:
    """Tell reviewers about overdue posts (at most once a day per post, so running it twice is
    harmless). Returns how many posts' reviewers were told."""
    return len(reminders.notify_overdue(actor=actors.SCHEDULER))


@task()
def run_due_schedules() -> dict[str, str]:
    """Publish and withdraw what was scheduled for now or earlier (content.workflow). Safe to
    run twice or in two workers at once: each schedule runs once. Returns {id: status}."""
    return {str(pk): status for pk, status in workflow.run_due_schedules().items()}


@task()
def prune_task_results() -> int:
    """Delete finished task results older than TASK_RESULT_DAYS. Returns how many went.

    Only the database backend keeps results in our database; RQ expires its own in Redis.
    """
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult  # an app's models load after the registry

    cutoff = timezone.now() - datetime.timedelta(days=settings.TASK_RESULT_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


class ExportStopped(Exception):
    """An export or signing error stopped a bulk export; the message names the post."""


@dataclass
class ExportRun:
    written: int = 0
    skipped: list[str] = field(default_factory=list)


def export_published_posts(
    profile: ExportProfile,
    out: Path,
    *,
    progress: Callable[[list[Post]], Iterable[Post]] = iter,
) -> ExportRun:
    """Write every published post, as final, in `profile`'s format into the directory `out`,
    one file per post (named by language and the download's name). Posts that may not be
    exported as final are skipped with the reason; an export or signing error stops the run
    (ExportStopped).
    The audit log names the system actor export_posts, whoever started it.
    """
    out.mkdir(parents=True, exist_ok=True)
    posts = list(
        Post.objects.published()
        .select_related("language", "published_revision")
        .order_by("language__code", "slug")
    )
    actor = actors.command("export_posts", actors.EXPORTING)
    run = ExportRun()
    for post in progress(posts):
        try:
            outcome = exports.export_post(post=post, profile=profile, actor=actor, final=True)
        except exports.NotExportable as error:
            run.skipped.append(f"{post.language.code}/{post.slug}: {error}")
            continue
        except (ExportError, SigningError) as error:
            raise ExportStopped(f"{post.language.code}/{post.slug}: {error}") from error
        name, data, _content_type = outcome.download()
        (out / f"{post.language.code}-{name}").write_bytes(data)
        run.written += 1
    return run


@task()
def export_posts(profile_slug: str, out: str) -> dict[str, object]:
    """export_published_posts() for `manage.py export_posts --background`. The directory is
    on the worker's machine. Returns what was written and skipped, kept with the task result."""
    profile = ExportProfile.objects.select_related("signing_key").get(
        slug=profile_slug, active=True
    )
    run = export_published_posts(profile, Path(out))
    for line in run.skipped:
        logger.warning("export_posts skipped %s", line)
    return {"written": run.written, "skipped": run.skipped, "out": out}


# What the scheduler enqueues once a day: both are harmless to run twice on one day.
DAILY: tuple[Task[[], int], ...] = (send_overdue_reminders, prune_task_results)


@dataclass
class Scheduler:
    """The periodic schedule (Django's tasks framework has none): at its first tick on each
    local day it enqueues the DAILY tasks; at every tick, the schedules that are due
    (run_schedules). The day is kept in memory, so a restarted scheduler
    enqueues them again that day, which they allow (reminders go out at most once a day per
    post), and two schedulers would do the same: run one.
    """

    last_day: datetime.date | None = None

    def run_schedules(self, now: datetime.datetime | None = None) -> list[str]:
        """At every wake-up: enqueue run_due_schedules when a schedule's time has come (one
        query; nothing is enqueued on the many minutes when nothing is due). A schedule thus
        runs within the scheduler's interval (a minute by default) plus the worker's delay of
        its time; enqueued twice before a worker came, it still runs once."""
        if not Schedule.objects.due(now or timezone.now()).exists():
            return []
        run_due_schedules.enqueue()
        return [run_due_schedules.name]

    def tick(self, now: datetime.datetime | None = None) -> list[str]:
        """Enqueue what is due at `now` (default: the current time); returns the task names."""
        today = timezone.localdate(now)
        if self.last_day == today:
            return []
        for daily in DAILY:
            daily.enqueue()
        self.last_day = today  # only once all were enqueued: a failed tick is tried again
        return [daily.name for daily in DAILY]
