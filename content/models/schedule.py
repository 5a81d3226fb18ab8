"""Publications and withdrawals set for a later time, run by the background worker.

A schedule names the action, the time, and who set it; a publication is bound to one revision
and its content hash, so the worker never publishes other text than the one approved. Only
content.workflow writes these rows (schedule, cancel, run); one pending schedule of each kind
per post at a time (a partial unique constraint).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from content.models.posts import Post, Revision


class ScheduleQuerySet(models.QuerySet["Schedule"]):
    def pending(self) -> ScheduleQuerySet:
        return self.filter(status=Schedule.Status.PENDING)

    def due(self, now: object) -> ScheduleQuerySet:
        """Pending schedules whose time has come, oldest first."""
        return self.pending().filter(run_at__lte=now).order_by("run_at", "pk")


class Schedule(models.Model):
    class Kind(models.TextChoices):
        PUBLISH = "publish", gettext_lazy("Publication")
        WITHDRAW = "withdraw", gettext_lazy("Withdrawal")

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        DONE = "done", gettext_lazy("Done")
        VOID = "void", gettext_lazy("Void (a newer revision was saved)")
        FAILED = "failed", gettext_lazy("Failed")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="schedules")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A publication: the revision approved, and its hash (a withdrawal takes whatever is live).
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="schedules"
    )
    content_hash = models.CharField(max_length=64, blank=True)
    run_at = models.DateTimeField(db_index=True)
    reason = models.TextField(blank=True)  # a withdrawal's internal reason
    public_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="schedules"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    outcome = models.CharField(max_length=500, blank=True)  # why it failed or was void
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["run_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "kind"],
                condition=Q(status="pending"),
                name="one_pending_schedule_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.post_id} at {self.run_at:%Y-%m-%d %H:%M}"
