"""The audit trail: an append-only record of every state change, written in its transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from content.actors import Actor, SystemActor, signed_in
from content.models.posts import Post, Revision, revision_text
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

ERROR_AUDIT_APPEND_ONLY = "The audit log is append-only; events are never changed or deleted."


class AuditEventQuerySet(WrittenOnceQuerySet["AuditEvent"]):
    def for_list(self) -> AuditEventQuerySet:
        """Events as the audit log and a timeline list them: who, which post and revision
        number, never the revision's text (a body may be 100,000 characters)."""
        return self.select_related("actor", "post", "post__language", "revision").defer(
            *revision_text("revision")
        )


class AuditEvent(WrittenOnce):
    """Append-only record of an action, written in the same transaction as the action."""

    written_once_message = ERROR_AUDIT_APPEND_ONLY
    deletable = False


    class Action(models.TextChoices):
        POST_CREATED = "post_created", "Post created"
        REVISION_SAVED = "revision_saved", "Revision saved"
        REVISION_RESTORED = "revision_restored", "Revision restored"
        IMAGE_UPLOADED = "image_uploaded", "Image uploaded"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVALS_VOIDED = "approvals_voided", "Approvals voided by a new revision"
        PUBLISHED = "published", "Published"
        RE_REVIEWED = "re_reviewed", "Re-review completed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ARCHIVED = "archived", "Archived"
        UNARCHIVED = "unarchived", "Restored from the archive"
        OVERDUE_NOTIFIED = "overdue_notified", "Reviewers told the review is overdue"
        EXPORTED = "exported", "Exported"
        REPOST_RECORDED = "repost_recorded", "Repost recorded"
        SIGNING_KEY_ADDED = "signing_key_added", "Signing key added"
        SIGNING_KEY_CHANGED = "signing_key_changed", "Signing key switched on or off"
        SIGNING_KEY_RETIRED = "signing_key_retired", "Signing key retired"
        SIGNING_KEY_REVOKED = "signing_key_revoked", "Signing key revoked"
        STATEMENT_SIGNED = "statement_signed", "Canary or mirror list signed"
        EXPORT_PROFILE_CHANGED = "export_profile_changed", "Export profile changed"
        SLUG_CHANGED = "slug_changed", "Address (slug) changed"
        OPSEC_OVERRIDDEN = "opsec_overridden", "Opsec finding overridden"

    action = models.CharField(max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revision__isnull=True) | Q(post__isnull=False),
                name="audit_revision_has_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"



def record_event(
    *,
    action: str,
    actor: Actor | None,
    post: Post | None = None,
    revision: Revision | None = None,
    **details: Any,
) -> AuditEvent:
    """Write one audit event. Call it inside the transaction of the action it records.

    The server acting (a SystemActor) is recorded as no user and the detail `system`, as
    `content.actors.audit_fields()` spells it."""
    user = None
    if isinstance(actor, SystemActor):
        details["system"] = actor.name
    elif actor is not None:
        user = signed_in(actor)
    return AuditEvent.objects.create(
        action=action, actor=user, post=post, revision=revision, details=details
    )
