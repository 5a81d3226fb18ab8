"""The audit trail: an append-only record of every state change, written in its transaction.

The log is a hash chain, so that a change made behind the application's back shows. Each event
stores `sequence` (1, 2, 3, ... with no gaps), `previous_hash` (the hash of event sequence - 1,
or GENESIS for the first) and `hash`: SHA-256, in hex, of this canonical JSON document (sorted
keys, no spaces, ASCII escapes):

    {"action": ..., "actor": actor id or null, "created_at": "2026-12-01T16:59:03.123456+00:00",
     "details": {...}, "post": post id or null, "previous_hash": ..., "revision": revision id
     or null, "sequence": ...}

The row's `id` is not hashed (the database gives it only on insert); `sequence` stands for it.
`created_at` is set in Python before the insert and hashed in UTC to the microsecond, which
SQLite and PostgreSQL both keep. `details` are hashed as JSON reads them back from either
database: a float with no fraction is hashed as the integer (PostgreSQL's jsonb prints 1e16
as 10000000000000000).

Appends are serialised by one row, `AuditChainHead` (the last sequence and hash), locked with
SELECT ... FOR UPDATE inside the caller's transaction: a second writer waits until the first
commits, so two events can never link to the same predecessor (and the unique `sequence` would
refuse such a fork anyway). A rollback takes the event and the head's advance back together.
The head also shows a deleted last event: `content.audit_chain.verify_chain()` compares them.
The price: transactions that record events run one at a time from their first event to their
commit (on SQLite, IMMEDIATE transactions already run writers one at a time).

On PostgreSQL, migration 0015 adds triggers: an audit row refuses UPDATE and DELETE, and the
head refuses DELETE and any UPDATE that does not move it forward onto an existing event with
the same hash. TRUNCATE fires no row trigger and is left to the table's owner (see README).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content.actors import Actor, SystemActor, signed_in
from content.models.posts import Post, Revision, revision_text
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

ERROR_AUDIT_APPEND_ONLY = "The audit log is append-only; events are never changed or deleted."
ERROR_HEAD_MISSING = (
    "The audit chain head is missing while events exist; nothing more is recorded until "
    "`manage.py verify_audit` has been run and the cause found."
)
ERROR_CHAIN_CONFLICT = "Audit events join the hash chain one by one; conflicts cannot be ignored."

GENESIS = "0" * 64  # the `previous_hash` of the first event
HEAD_ROW = 1


def _plain(value: Any) -> Any:
    """`value` as JSON gives it back: floats without a fraction as integers (see above)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    # A round trip first: tuples become lists and keys strings, as in the stored JSON.
    plain = _plain(json.loads(json.dumps(value)))
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), allow_nan=False)


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # as Django would store it
    return moment.astimezone(datetime.UTC)


def event_hash(
    *,
    sequence: int,
    created_at: datetime.datetime,
    action: str,
    actor_id: int | None,
    post_id: int | None,
    revision_id: int | None,
    details: Any,
    previous_hash: str,
) -> str:
    """The hash of one event, over the fields listed in this module's docstring."""
    document = {
        "sequence": sequence,
        "created_at": as_utc(created_at).isoformat(timespec="microseconds"),
        "action": action,
        "actor": actor_id,
        "post": post_id,
        "revision": revision_id,
        "details": details,
        "previous_hash": previous_hash,
    }
    return hashlib.sha256(canonical_json(document).encode("ascii")).hexdigest()


class AuditChainHead(models.Model):
    """The last link of the audit chain: how many events there are and the last one's hash."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=HEAD_ROW), name="one_audit_chain_head")
        ]

    def __str__(self) -> str:
        return f"audit chain at event {self.sequence} ({self.hash[:12]})"

    @staticmethod
    def locked(using: str) -> AuditChainHead:
        """The head row, locked until the transaction ends. Call inside a transaction."""
        # The public version row first, when it exists: transactions that publish lock it
        # before they record an event, and editing a published post locks it after. Taking
        # it here gives every writer the same order (public version, then head), so those two
        # cannot deadlock on PostgreSQL.
        public_version = apps.get_model("content", "PublicVersion")
        list(public_version.objects.using(using).select_for_update().filter(pk=1).values("pk"))
        heads = AuditChainHead.objects.using(using).select_for_update()
        head = heads.filter(pk=HEAD_ROW).first()
        if head is None:
            # A new database, or one emptied by a test's flush: the chain starts again. With
            # events on record a missing head means tampering: refuse rather than fork.
            if AuditEvent.objects.using(using).exists():
                raise RuntimeError(ERROR_HEAD_MISSING)
            # Two first writers at once: the second insert waits for the first and is ignored.
            first = AuditChainHead(pk=HEAD_ROW)
            AuditChainHead.objects.using(using).bulk_create([first], ignore_conflicts=True)
            head = heads.get(pk=HEAD_ROW)
        return head

    def link(self, event: AuditEvent) -> None:
        """Make `event` the next link: number it and hash it (the caller saves both)."""
        event.created_at = as_utc(event.created_at)
        event.sequence = self.sequence + 1
        event.previous_hash = self.hash
        event.hash = event.computed_hash()
        self.sequence, self.hash = event.sequence, event.hash


class AuditEventQuerySet(WrittenOnceQuerySet["AuditEvent"]):
    def for_list(self) -> AuditEventQuerySet:
        """Events as the audit log and a timeline list them: who, which post and revision
        number, never the revision's text (a body may be 100,000 characters)."""
        return self.select_related("actor", "post", "post__language", "revision").defer(
            *revision_text("revision")
        )

    def bulk_create(
        self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any
    ) -> list[AuditEvent]:
        """Events join the chain in the order given (a loader writing history in bulk)."""
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise TypeError(ERROR_CHAIN_CONFLICT)
        events, using = list(objs), self.db  # `using()`'s, or the default (no router here)
        with transaction.atomic(using=using):
            head = AuditChainHead.locked(using)
            for event in events:
                head.link(event)
            created = super().bulk_create(events, *args, **kwargs)
            head.save(update_fields=["sequence", "hash"])
        return created


class AuditEvent(WrittenOnce):
    """Append-only record of an action, written in the same transaction as the action."""

    written_once_message = ERROR_AUDIT_APPEND_ONLY
    deletable = False

    class Action(models.TextChoices):
        POST_CREATED = "post_created", gettext_lazy("Post created")
        REVISION_SAVED = "revision_saved", gettext_lazy("Revision saved")
        REVISION_RESTORED = "revision_restored", gettext_lazy("Revision restored")
        IMAGE_UPLOADED = "image_uploaded", gettext_lazy("Image uploaded")
        SUBMITTED = "submitted", gettext_lazy("Submitted for review")
        APPROVED = "approved", gettext_lazy("Approved")
        CHANGES_REQUESTED = "changes_requested", gettext_lazy("Changes requested")
        APPROVALS_VOIDED = "approvals_voided", gettext_lazy("Approvals voided by a new revision")
        PUBLISHED = "published", gettext_lazy("Published")
        RE_REVIEWED = "re_reviewed", gettext_lazy("Re-review completed")
        WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")
        ARCHIVED = "archived", gettext_lazy("Archived")
        UNARCHIVED = "unarchived", gettext_lazy("Restored from the archive")
        OVERDUE_NOTIFIED = "overdue_notified", gettext_lazy("Reviewers told the review is overdue")
        EXPORTED = "exported", gettext_lazy("Exported")
        REPOST_RECORDED = "repost_recorded", gettext_lazy("Repost recorded")
        SIGNING_KEY_ADDED = "signing_key_added", gettext_lazy("Signing key added")
        SIGNING_KEY_CHANGED = "signing_key_changed", gettext_lazy("Signing key switched on or off")
        SIGNING_KEY_RETIRED = "signing_key_retired", gettext_lazy("Signing key retired")
        SIGNING_KEY_REVOKED = "signing_key_revoked", gettext_lazy("Signing key revoked")
        STATEMENT_SIGNED = "statement_signed", gettext_lazy("Canary or mirror list signed")
        EXPORT_PROFILE_CHANGED = "export_profile_changed", gettext_lazy("Export profile changed")
        SLUG_CHANGED = "slug_changed", gettext_lazy("Address (slug) changed")
        OPSEC_OVERRIDDEN = "opsec_overridden", gettext_lazy("Opsec finding overridden")
        # The team (content/team.py): the person changed is named in the details.
        USER_INVITED = "user_invited", gettext_lazy("Colleague invited")
        INVITATION_RESENT = "invitation_resent", gettext_lazy("Invitation sent again")
        INVITATION_ACCEPTED = "invitation_accepted", gettext_lazy(
            "Invitation accepted: password set"
        )
        ROLES_CHANGED = "roles_changed", gettext_lazy("Roles changed")
        USER_DEACTIVATED = "user_deactivated", gettext_lazy("Account deactivated")
        USER_REACTIVATED = "user_reactivated", gettext_lazy("Account reactivated")
        # Schedules (content.workflow: schedule, cancel_schedule, run_schedule).
        SCHEDULED = "scheduled", gettext_lazy("Scheduled")
        SCHEDULE_CANCELLED = "schedule_cancelled", gettext_lazy("Schedule cancelled")
        SCHEDULE_RAN = "schedule_ran", gettext_lazy("Scheduled action done")
        SCHEDULE_FAILED = "schedule_failed", gettext_lazy("Scheduled action failed")
        SCHEDULE_VOIDED = "schedule_voided", gettext_lazy("Schedule void (a newer revision)")
        # Translations of posts (content.translations).
        TRANSLATION_STARTED = "translation_started", gettext_lazy("Translation started")
        TRANSLATION_OVERRIDDEN = "translation_overridden", gettext_lazy(
            "Translation behind its source let through"
        )
        # Review discussion (content.discussion): the comment is named in the details.
        COMMENTED = "commented", gettext_lazy("Commented")
        COMMENT_RESOLVED = "comment_resolved", gettext_lazy("Comment resolved")
        # The interaction table (content.interactions): the pair and proposal in the details.
        INTERACTION_PROPOSED = "interaction_proposed", gettext_lazy(
            "Interaction change proposed"
        )
        INTERACTION_APPROVED = "interaction_approved", gettext_lazy(
            "Interaction change approved"
        )
        INTERACTION_REFUSED = "interaction_refused", gettext_lazy("Interaction change refused")

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
    # Set in Python, not by the database, so that the time hashed is the time stored.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    # The hash chain (module docstring), filled in when the event is appended.
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert the event as the chain's next link. Here and in the queryset's bulk_create,
        the only two ways to insert, so no caller can write an event outside the chain."""
        if not self._state.adding:
            raise TypeError(self.written_once_message)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint of its own: if the event cannot be written, the action it records
        # must not commit either.
        with transaction.atomic(using=using, savepoint=False):
            head = AuditChainHead.locked(using)
            head.link(self)
            super().save(*args, **kwargs)
            head.save(update_fields=["sequence", "hash"])

    def computed_hash(self) -> str:
        """The hash this event's stored fields give (equal to `hash` unless it was changed)."""
        return event_hash(
            sequence=self.sequence,
            created_at=self.created_at,
            action=self.action,
            actor_id=self.actor_id,
            post_id=self.post_id,
            revision_id=self.revision_id,
            details=self.details,
            previous_hash=self.previous_hash,
        )


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
