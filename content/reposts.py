"""The repost register: where the published text of a post was pasted, and when it was closed.

A Repost records that one revision was posted with one profile at a place; it is outdated once
that revision is no longer the published text. Closing it means posting the replacement (a
newer Repost) or, for a withdrawn post, the withdrawal notice (for an expired drug alert, its
expiry notice). Only text in force is recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content.actors import ERROR_SYSTEM_REPOST, Actor, is_system, signed_in
from content.exporters import ExportError
from content.exports import ERROR_NOT_OUTDATED, ERROR_NOT_WITHDRAWN, NotExportable, final_blocker
from content.models import AuditEvent, ExportProfile, Post, Repost, record_event
from content.models.posts import alert_expiry, expired_alert

ERROR_POSTED_IN_FUTURE = gettext_lazy("The date posted cannot be in the future.")
ERROR_WHERE = gettext_lazy("Say where it was posted: the thread's URL or the forum's name.")
ERROR_REPOST_PERMISSION = gettext_lazy(
    "You may not record reposts; the author or editor who posted the text records it."
)


def check_may_record(actor: Actor) -> None:
    """Recording a repost needs content.add_repost and content.export_final (what was posted
    is a final export). A command never records one: it cannot know where a person posted.
    Raises PermissionDenied, which a view answers with 403."""
    if is_system(actor):
        raise PermissionDenied(ERROR_SYSTEM_REPOST)
    if not (actor.has_perm("content.add_repost") and actor.has_perm("content.export_final")):
        raise PermissionDenied(ERROR_REPOST_PERMISSION)


def _check_posted(where: str, posted_on: datetime.date) -> str:
    if not where.strip():
        raise ExportError(ERROR_WHERE)
    if posted_on > timezone.localdate():
        raise ExportError(ERROR_POSTED_IN_FUTURE)
    return where.strip()


@transaction.atomic
def record_repost(
    *,
    post: Post,
    profile: ExportProfile,
    actor: Actor,
    where: str,
    posted_on: datetime.date,
    replaces: Repost | None = None,
) -> Repost:
    """Record that the published revision was posted at `where`; optionally closing an
    outdated repost it replaces. Only text in force can be recorded: drafts are not reposted."""
    check_may_record(actor)
    where = _check_posted(where, posted_on)
    post = Post.objects.select_for_update().get(pk=post.pk)
    blocker = final_blocker(post)
    if blocker:
        raise NotExportable(blocker)
    repost = Repost.objects.create(
        post=post,
        revision=post.expect_published_revision(),  # final_blocker() refused any other
        profile=profile,
        where=where,
        posted_on=posted_on,
        recorded_by=signed_in(actor),
    )
    details: dict[str, Any] = {"profile": profile.slug, "where": where}
    if replaces is not None:
        old = Repost.objects.outdated().filter(pk=replaces.pk, post=post)
        if not old.update(superseded_by=repost):
            raise NotExportable(ERROR_NOT_OUTDATED)
        details["replaces"] = replaces.pk
    record_event(
        action=AuditEvent.Action.REPOST_RECORDED,
        actor=actor,
        post=post,
        revision=post.published_revision,
        **details,
    )
    return repost


@transaction.atomic
def record_notice_posted(*, repost: Repost, actor: Actor, posted_on: datetime.date) -> Repost:
    """The withdrawal notice (or a drug alert's expiry notice) was posted in the thread of
    `repost`, which is now closed."""
    check_may_record(actor)
    _check_posted(repost.where, posted_on)
    repost = Repost.objects.select_for_update().select_related("post").get(pk=repost.pk)
    if not (repost.post.offline or repost.post.is_expired):
        raise NotExportable(ERROR_NOT_WITHDRAWN)
    if repost.notice_posted_on is not None or repost.superseded_by_id is not None:
        raise NotExportable(ERROR_NOT_OUTDATED)
    repost.notice_posted_on = posted_on
    repost.save(update_fields=["notice_posted_on"])
    record_event(
        action=AuditEvent.Action.REPOST_RECORDED,
        actor=actor,
        post=repost.post,
        revision=repost.revision,
        profile=repost.profile.slug,
        where=repost.where,
        withdrawal_notice=repost.post.offline,
        **({} if repost.post.offline else {"expiry_notice": True}),
    )
    return repost


def outdated_reposts() -> QuerySet[Repost]:
    """Every outdated repost, with what the dashboard shows, in a fixed number of queries."""
    return (
        Repost.objects.outdated()
        .select_related(
            "post",
            "post__language",
            "post__published_revision",
            "revision",
            "profile",
            "recorded_by",
        )
        # An expired drug alert's date, without loading its revision's facts (deferred).
        .annotate(
            alert_expires=alert_expiry("post__"),
            alert_expired=ExpressionWrapper(expired_alert(post="post__"), BooleanField()),
        )
    )
