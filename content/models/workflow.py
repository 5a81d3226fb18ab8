"""Review decisions, review policies and in-app notifications.

A Review judges exactly one revision and stores that revision's content hash, so an approval can
never be counted for other content. Only content.workflow writes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy

from content.models.posts import Post, PostKind, Revision
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

ERROR_REVIEW_IMMUTABLE = "A review decision is never changed; record a new one instead."


class ReviewPolicy(models.Model):
    """How many approvals a kind of post needs, and how often its published text is re-reviewed."""

    kind = models.CharField(max_length=20, choices=PostKind.choices, unique=True)
    required_approvals = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    review_interval_days = models.PositiveIntegerField(
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=gettext_lazy(
            "Days after publication (or the last re-review) until the next review is due."
        ),
    )
    # Whether every newly published revision of a post of this kind matters for safety to its
    # translations (content.translations); an author may also mark one revision as such.
    source_changes_are_safety_relevant = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Every newly published text of this kind matters for safety: translations behind "
            "it warn their readers and are not exported as final until they are updated."
        ),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "review policies"

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.required_approvals} approval(s), "
            f"re-review every {self.review_interval_days} days"
        )

    @classmethod
    def for_kind(cls, kind: str) -> ReviewPolicy:
        """The policy for a kind; an unsaved default one if an editor deleted it."""
        return cls.objects.filter(kind=kind).first() or cls(
            kind=kind, source_changes_are_safety_relevant=kind == PostKind.DRUG_ALERT
        )


class ReviewQuerySet(WrittenOnceQuerySet["Review"]):
    def approvals_of(self, revision: Revision | OuterRef) -> ReviewQuerySet:
        """Approvals of exactly this revision's content: the one home of "an approval counts
        only for the content hash it judged". `revision` may be an OuterRef to a revision
        field of an outer query (a subquery, as PostQuerySet.with_revisions() uses)."""
        if isinstance(revision, OuterRef):
            # django-stubs' F lacks the `name` attribute Django's F.__init__ sets.
            field = revision.name  # type: ignore[attr-defined]
            content_hash: OuterRef | str = OuterRef(f"{field}__content_hash")
        else:
            content_hash = revision.content_hash
        return self.filter(
            revision=revision, decision=Review.Decision.APPROVE, content_hash=content_hash
        )

    def approver_count(self) -> int:
        """How many distinct reviewers these reviews are from (one query)."""
        return self.values("reviewer").distinct().count()


class Review(WrittenOnce):
    written_once_message = ERROR_REVIEW_IMMUTABLE

    class Decision(models.TextChoices):
        APPROVE = "approve", gettext_lazy("Approved")
        REQUEST_CHANGES = "request_changes", gettext_lazy("Changes requested")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="reviews")
    content_hash = models.CharField(max_length=64)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["revision", "decision"])]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} r{self.revision.number} by {self.reviewer}"



class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.message
