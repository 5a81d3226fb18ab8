"""The review workflow: one table of allowed transitions and one function per transition.

Views, admin actions, the API and management commands call these functions; nothing else sets a
post's state. The table itself (which states each action starts from and leads to, who may do
it, and its name in the studio) is content.transitions. Each function locks the post row,
checks the state (TransitionNotAllowed) and the actor's rights (NotPermitted), changes the
post, writes an audit event and notifies people, all in one transaction.

Four eyes: nobody approves text they wrote. A reviewer who wrote any revision since the last
published one may not approve; an approval is bound to the revision and its content hash, so a
new revision starts with none. Those rules are content.approval_rules; the re-review reminders
built on this module are content.reminders.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content import actions, actors, notifications, public_words, search
from content.actions import ERROR_ALREADY_APPROVED as ERROR_ALREADY_APPROVED
from content.actions import ERROR_NOT_ENOUGH as ERROR_NOT_ENOUGH
from content.actions import ERROR_NOT_PUBLISHED as ERROR_NOT_PUBLISHED
from content.actions import ERROR_STATE as ERROR_STATE
from content.actors import Actor, signed_in
from content.approval_rules import ERROR_OWN_TEXT as ERROR_OWN_TEXT  # re-exported for callers
from content.approval_rules import ERROR_PERMISSION as ERROR_PERMISSION
from content.approval_rules import approval_blocker as approval_blocker  # re-exported for views
from content.approval_rules import approvals, writers_between
from content.models import (
    AuditEvent,
    Post,
    PostState,
    PublicVersion,
    Review,
    ReviewPolicy,
    Revision,
    Schedule,
    record_event,
)
from content.transitions import ALLOWED_TRANSITIONS, Transition

if TYPE_CHECKING:
    from django.contrib.auth.models import User

S = PostState

ERROR_STALE = gettext_lazy(
    "Revision {seen} is no longer the one under review: revision {current} was saved since. "
    "Nothing was recorded; look at the newer revision."
)
ERROR_REASON = gettext_lazy("Say what must change and why; the author needs the reason.")
ERROR_ARCHIVED = gettext_lazy(
    "This post is archived. An editor must restore it before it can be edited."
)


class WorkflowError(Exception):
    """A transition was refused; the message says why in words a user understands."""


class TransitionNotAllowed(WorkflowError):
    """The post is not in a state this transition starts from (or the revision is stale)."""


class NotPermitted(WorkflowError, PermissionError):
    """The actor may not perform this transition on this post."""


def _raise_if(refused: actions.Refusal | None) -> None:
    if refused is not None:
        error = NotPermitted if refused.not_permitted else TransitionNotAllowed
        raise error(refused.message)


def _check(post: Post, actor: Actor, action: str) -> Transition:
    """The checks the studio runs too (content.actions: state, right, the action's rules), on
    the locked post; a refusal becomes the error callers catch."""
    _raise_if(actions.refusal(action, post, actor))
    return ALLOWED_TRANSITIONS[action]


def lock_post(post: Post) -> Post:
    """The post row, locked until the transaction ends (only that row: PostgreSQL cannot lock
    the nullable side of the join to the published revision)."""
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("published_revision")
        .get(pk=post.pk)
    )


# Fields the public site shows (its pages, feeds, /verify/ and withdrawal notices read them).
PUBLIC_FIELDS = frozenset(
    {"state", "published_revision", "published_at", "review_due", "withdrawn_at", "public_reason"}
)


def _save(post: Post, *fields: str) -> None:
    post.save(update_fields=list(fields))
    if PUBLIC_FIELDS.intersection(fields):
        PublicVersion.bump()  # cached public pages are keyed by it


def _take_offline(post: Post, state: str, note: str) -> None:
    """Off the public site at once; the revisions and reviews stay in the history."""
    post.published_revision, post.review_due = None, None
    post.state, post.state_note = state, note.strip()[:1000]
    _save(post, "published_revision", "review_due", "state", "state_note")


def _policy(post: Post) -> ReviewPolicy:
    return ReviewPolicy.for_kind(post.kind)


def _due_from(start: datetime.datetime, post: Post) -> datetime.date:
    return timezone.localdate(start) + datetime.timedelta(days=_policy(post).review_interval_days)


def _check_current(post: Post, revision_id: int | None, expected: Revision | None) -> Revision:
    if expected is None or expected.pk != revision_id:
        seen = (
            Revision.objects.filter(pk=revision_id, post=post)
            .values_list("number", flat=True)
            .first()
            if revision_id is not None
            else None
        )
        raise TransitionNotAllowed(
            ERROR_STALE.format(seen=seen or "?", current=expected.number if expected else "?")
        )
    return expected


def _reviewers_of(revision: Revision) -> list[User]:
    return [r.reviewer for r in revision.reviews.filter(decision=Review.Decision.APPROVE)]


def _new_review(
    post: Post, revision: Revision, reviewer: User, decision: str, reason: str
) -> Review:
    """A review bound to this exact revision and its content hash (how four eyes holds)."""
    return Review.objects.create(
        post=post,
        revision=revision,
        content_hash=revision.content_hash,
        reviewer=reviewer,
        decision=decision,
        reason=reason,
    )


# --- Transitions -------------------------------------------------------------------------------


@transaction.atomic
def submit_for_review(*, post: Post, actor: Actor) -> Post:
    post = lock_post(post)
    transition = _check(post, actor, "submit_for_review")
    post.state, post.state_note, post.submitted_at = transition.new_state, "", timezone.now()
    _save(post, "state", "state_note", "submitted_at")
    revision = post.expect_latest_revision()
    record_event(action=AuditEvent.Action.SUBMITTED, actor=actor, post=post, revision=revision)
    writers = writers_between(post, 0, revision.number)
    notifications.notify(
        notifications.reviewers_for(post, exclude=writers),
        post=post,
        message=notifications.Message(
            gettext_lazy("“%(title)s” (revision %(number)s) is waiting for your review."),
            {"title": revision.title, "number": revision.number},
        ),
    )
    return post


@transaction.atomic
def approve(*, post: Post, actor: Actor, revision_id: int | None, note: str = "") -> Review:
    post = lock_post(post)
    _check(post, actor, "approve")
    revision = _check_current(post, revision_id, post.latest_revision)
    reviewer = signed_in(actor)
    review = _new_review(post, revision, reviewer, Review.Decision.APPROVE, note)
    count, required = approvals(revision), _policy(post).required_approvals
    record_event(
        action=AuditEvent.Action.APPROVED,
        actor=actor,
        post=post,
        revision=revision,
        content_hash=revision.content_hash,
        approvals=count,
        required=required,
    )
    approved = (
        gettext_lazy(
            "Revision %(number)s of “%(title)s” was approved (%(count)s of %(required)s). "
            "It can be published now."
        )
        if count >= required
        else gettext_lazy(
            "Revision %(number)s of “%(title)s” was approved (%(count)s of %(required)s)."
        )
    )
    notifications.notify(
        [post.created_by],
        post=post,
        message=notifications.Message(
            approved,
            {
                "number": revision.number,
                "title": revision.title,
                "count": count,
                "required": required,
            },
        ),
    )
    return review


@transaction.atomic
def request_changes(*, post: Post, actor: Actor, revision_id: int | None, reason: str) -> Review:
    post = lock_post(post)
    transition = _check(post, actor, "request_changes")
    if not reason.strip():
        raise WorkflowError(ERROR_REASON)
    judged = post.latest_revision if post.state == S.IN_REVIEW else post.published_revision
    revision = _check_current(post, revision_id, judged)
    decision, reviewer = Review.Decision.REQUEST_CHANGES, signed_in(actor)
    review = _new_review(post, revision, reviewer, decision, reason.strip())
    post.state, post.state_note = transition.new_state, reason.strip()[:1000]
    _save(post, "state", "state_note")
    record_event(
        action=AuditEvent.Action.CHANGES_REQUESTED,
        actor=actor,
        post=post,
        revision=revision,
        reason=reason.strip(),
    )
    notifications.notify(
        [post.created_by],
        post=post,
        message=notifications.Message(
            gettext_lazy("Changes requested on “%(title)s” (revision %(number)s): %(reason)s"),
            {"title": revision.title, "number": revision.number, "reason": reason},
        ),
    )
    return review


@transaction.atomic
def publish(
    *, post: Post, actor: Actor, revision_id: int | None, at: datetime.datetime | None = None
) -> Post:
    """Publish the approved latest revision. `at` backdates an import of text already published
    elsewhere (its review is due counting from then); it defaults to now."""
    post = lock_post(post)
    transition = _check(post, actor, "publish")  # enough approvals of the latest revision
    revision = _check_current(post, revision_id, post.latest_revision)
    now = at or timezone.now()
    post.published_base_number = post.published_revision.number if post.published_revision else 0
    post.published_revision = revision
    post.published_at = post.last_reviewed_at = now
    post.review_due = _due_from(now, post)
    post.state, post.state_note = transition.new_state, ""
    _save(
        post,
        "published_base_number",
        "published_revision",
        "published_at",
        "last_reviewed_at",
        "review_due",
        "state",
        "state_note",
    )
    public_words.index(revision)  # /verify/ can now find an unsigned copy of it
    search.index(revision)  # readers can now find it by its words (PostgreSQL)
    record_event(
        action=AuditEvent.Action.PUBLISHED,
        actor=actor,
        post=post,
        revision=revision,
        content_hash=revision.content_hash,
        review_due=post.review_due.isoformat(),
        published_at=now.isoformat(),  # a backdated import differs from the event's own time
    )
    notifications.notify(
        [post.created_by, *_reviewers_of(revision)],
        post=post,
        message=notifications.Message(
            gettext_lazy("“%(title)s” (revision %(number)s) is published."),
            {"title": revision.title, "number": revision.number},
        ),
        exclude=[actor],
    )
    return post


@transaction.atomic
def re_approve(*, post: Post, actor: Actor, revision_id: int | None, note: str = "") -> Review:
    """A dated approval of the published text; enough of them start a new review period."""
    post = lock_post(post)
    _check(post, actor, "re_approve")
    revision = _check_current(post, revision_id, post.published_revision)
    cycle_start = post.last_reviewed_at
    reviewer = signed_in(actor)
    review = _new_review(post, revision, reviewer, Review.Decision.APPROVE, note)
    PublicVersion.bump()  # the public page counts the professionals who reviewed this text
    record_event(
        action=AuditEvent.Action.APPROVED, actor=actor, post=post, revision=revision, re_review=True
    )
    if approvals(revision, since=cycle_start) >= _policy(post).required_approvals:
        now = timezone.now()
        post.last_reviewed_at, post.review_due = now, _due_from(now, post)
        _save(post, "last_reviewed_at", "review_due")
        record_event(
            action=AuditEvent.Action.RE_REVIEWED,
            actor=actor,
            post=post,
            revision=revision,
            review_due=post.review_due.isoformat(),
        )
        notifications.notify(
            [post.created_by],
            post=post,
            message=notifications.Message(
                gettext_lazy("“%(title)s” was re-reviewed; next review due %(due)s."),
                {"title": revision.title, "due": post.review_due},
            ),
        )
    return review


MAX_PUBLIC_REASON = 500


def _withdrawal_reasons(reason: str, public_reason: str) -> str:
    """The reason for readers, on one line; refuses a missing or too long reason."""
    if not reason.strip():
        raise WorkflowError(
            _("Say why the post is withdrawn; authors and the audit log need it.")
        )
    public = " ".join(public_reason.split())
    if len(public) > MAX_PUBLIC_REASON:
        raise WorkflowError(
            _("The reason for readers is at most %(max)s characters.") % {"max": MAX_PUBLIC_REASON}
        )
    return public


@transaction.atomic
def withdraw(*, post: Post, actor: Actor, reason: str, public_reason: str = "") -> Post:
    """Take the published text offline. `reason` is internal (authors, audit log);
    `public_reason`, if given, is shown to readers on the 410 page and in withdrawal notices."""
    post = lock_post(post)
    transition = _check(post, actor, "withdraw")
    public = _withdrawal_reasons(reason, public_reason)
    withdrawn = post.expect_published_revision()
    _take_offline(post, transition.new_state, reason)
    post.withdrawn_at, post.public_reason = timezone.now(), public
    _save(post, "withdrawn_at", "public_reason")
    record_event(
        action=AuditEvent.Action.WITHDRAWN,
        actor=actor,
        post=post,
        revision=withdrawn,
        reason=reason.strip(),
        public_reason=public,
    )
    notifications.notify(
        [post.created_by, *_reviewers_of(withdrawn)],
        post=post,
        message=notifications.Message(
            gettext_lazy("“%(title)s” was withdrawn: %(reason)s"),
            {"title": withdrawn.title, "reason": reason},
        ),
        exclude=[actor],
    )
    return post


@transaction.atomic
def archive(*, post: Post, actor: Actor, note: str = "") -> Post:
    post = lock_post(post)
    transition = _check(post, actor, "archive")
    was_published = post.published_revision
    _take_offline(post, transition.new_state, note)
    record_event(
        action=AuditEvent.Action.ARCHIVED,
        actor=actor,
        post=post,
        revision=was_published,
        note=note.strip(),
    )
    return post


@transaction.atomic
def unarchive(*, post: Post, actor: Actor) -> Post:
    post = lock_post(post)
    transition = _check(post, actor, "unarchive")
    post.state, post.state_note = transition.new_state, ""
    _save(post, "state", "state_note")
    record_event(action=AuditEvent.Action.UNARCHIVED, actor=actor, post=post)
    return post


def post_action_slugs() -> dict[str, str]:
    """{URL slug: action} of the transitions the studio performs from a button (post_action);
    the others are decided on the review page."""
    return {
        t.slug: action
        for action, t in ALLOWED_TRANSITIONS.items()
        if t.slug and not t.on_review_page
    }


# --- Hooks for content.revisions ----------------------------------------------------------------


def check_editable(post: Post) -> None:
    if post.state == S.ARCHIVED:
        raise TransitionNotAllowed(ERROR_ARCHIVED)


def on_new_revision(*, post: Post, revision: Revision, actor: Actor) -> None:
    """Called by save_revision() inside its transaction, with the post row locked."""
    publications = Schedule.objects.pending().filter(post=post, kind=Schedule.Kind.PUBLISH)
    for pending in publications.select_related("created_by", "revision"):
        pending.post = post
        _void(pending, actor=actor, why=ERROR_SCHEDULE_VOID.format(number=revision.number))
    previous = revision.based_on
    if post.state == S.PUBLISHED:
        post.state = S.DRAFT
        _save(post, "state")
    if previous is None or post.state != S.IN_REVIEW:
        return
    voided = [r for r in _reviewers_of(previous) if r.pk != actor.pk]
    if voided:
        record_event(
            action=AuditEvent.Action.APPROVALS_VOIDED,
            actor=actor,
            post=post,
            revision=revision,
            voided=len(voided),
            replaced=previous.number,
        )
        notifications.notify(
            voided,
            post=post,
            message=notifications.Message(
                gettext_lazy(
                    "Revision %(previous)s of “%(title)s”, which you approved, was replaced by "
                    "revision %(number)s; your approval no longer counts."
                ),
                {"previous": previous.number, "title": revision.title, "number": revision.number},
            ),
        )


# --- Schedules: publish or withdraw at a set time, run by content.tasks.run_due_schedules ------

ERROR_SCHEDULE_PAST = gettext_lazy("Choose a time in the future.")
ERROR_SCHEDULE_VOID = gettext_lazy(
    "Revision {number} was saved after the publication was scheduled; the schedule is void, "
    "so no other text than the one approved is published. Schedule the new revision if it is "
    "approved."
)


def when(moment: datetime.datetime) -> str:
    """A time as people read it here: in the site's time zone, named."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"


@transaction.atomic
def schedule(
    *,
    post: Post,
    actor: Actor,
    kind: str,
    run_at: datetime.datetime,
    revision_id: int | None = None,
    reason: str = "",
    public_reason: str = "",
    now: datetime.datetime | None = None,
) -> Schedule:
    """Set a publication of the latest revision (`revision_id`, the one the page showed) or a
    withdrawal (with its reasons) for `run_at`. The same checks as doing it now (and no other
    pending schedule of the kind); the worker runs them all again at the time."""
    post = lock_post(post)
    _raise_if(actions.schedule_refusal(kind, post, actor))
    if run_at <= (now or timezone.now()):
        raise WorkflowError(ERROR_SCHEDULE_PAST)
    revision: Revision | None = None
    public = ""
    if kind == Schedule.Kind.PUBLISH:
        revision = _check_current(post, revision_id, post.latest_revision)
    else:
        public = _withdrawal_reasons(reason, public_reason)
    planned = Schedule.objects.create(
        post=post,
        kind=kind,
        revision=revision,
        content_hash=revision.content_hash if revision else "",
        run_at=run_at,
        reason=reason.strip(),
        public_reason=public,
        created_by=signed_in(actor),
    )
    record_event(
        action=AuditEvent.Action.SCHEDULED,
        actor=actor,
        post=post,
        revision=revision,
        schedule=planned.pk,
        kind=kind,
        run_at=run_at.isoformat(),
    )
    return planned


@transaction.atomic
def cancel_schedule(*, schedule_id: int, actor: Actor) -> Schedule:
    planned = (
        Schedule.objects.select_for_update(of=("self",)).select_related("post").get(pk=schedule_id)
    )
    _raise_if(actions.cancel_refusal(planned, actor))
    planned.status, planned.finished_at = Schedule.Status.CANCELLED, timezone.now()
    planned.save(update_fields=["status", "finished_at"])
    record_event(
        action=AuditEvent.Action.SCHEDULE_CANCELLED,
        actor=actor,
        post=planned.post,
        revision=planned.revision,
        schedule=planned.pk,
        kind=planned.kind,
    )
    return planned


def _finish(planned: Schedule, status: str, outcome: str, action: str, actor: Actor) -> None:
    planned.status, planned.outcome = status, outcome[:500]
    planned.finished_at = timezone.now()
    planned.save(update_fields=["status", "outcome", "finished_at"])
    record_event(
        action=action,
        actor=actor,
        post=planned.post,
        revision=planned.revision,
        schedule=planned.pk,
        kind=planned.kind,
        outcome=planned.outcome,
        scheduled_by=planned.created_by_id,
    )


def _void(planned: Schedule, *, actor: Actor, why: str) -> None:
    _finish(planned, Schedule.Status.VOID, why, AuditEvent.Action.SCHEDULE_VOIDED, actor)
    notifications.notify(
        [planned.created_by],
        post=planned.post,
        message=notifications.Message(
            gettext_lazy(
                "The publication of “%(title)s” you scheduled for %(when)s is void: %(why)s"
            ),
            {"title": planned.post.title, "when": planned.run_at, "why": why},
        ),
    )


def _run(planned: Schedule) -> str:
    """Do what `planned` says through the transition itself, as the person who set it (so
    their right, the state and the approvals are checked again); record the outcome."""
    post, person = planned.post, planned.created_by
    if planned.kind == Schedule.Kind.PUBLISH and (
        post.latest_revision_id != planned.revision_id
        or planned.revision is None
        or planned.revision.content_hash != planned.content_hash
    ):
        latest = post.latest_revision.number if post.latest_revision else "?"
        _void(planned, actor=actors.SCHEDULER, why=ERROR_SCHEDULE_VOID.format(number=latest))
        return planned.status
    try:
        with transaction.atomic():  # a refusal rolls back the attempt only
            if planned.kind == Schedule.Kind.PUBLISH:
                publish(post=post, actor=person, revision_id=planned.revision_id)
            else:
                withdraw(
                    post=post,
                    actor=person,
                    reason=planned.reason,
                    public_reason=planned.public_reason,
                )
    except WorkflowError as error:
        failed = AuditEvent.Action.SCHEDULE_FAILED
        _finish(planned, Schedule.Status.FAILED, str(error), failed, actors.SCHEDULER)
        missed = (
            gettext_lazy(
                "The publication of “%(title)s” scheduled for %(when)s did not happen: %(error)s"
            )
            if planned.kind == Schedule.Kind.PUBLISH
            else gettext_lazy(
                "The withdrawal of “%(title)s” scheduled for %(when)s did not happen: %(error)s"
            )
        )
        notifications.notify(
            [person],
            post=post,
            message=notifications.Message(
                missed, {"title": post.title, "when": planned.run_at, "error": error}
            ),
        )
        return planned.status
    ran = AuditEvent.Action.SCHEDULE_RAN
    _finish(planned, Schedule.Status.DONE, "", ran, actors.SCHEDULER)
    return planned.status


def run_due_schedules(*, now: datetime.datetime | None = None) -> dict[int, str]:
    """Run every pending schedule whose time has come by `now` (default: the current time),
    each in its own transaction. The row is locked and locked rows are skipped (PostgreSQL), so
    two workers never run one schedule twice; a run is recorded once, so running this again
    is harmless. Returns {schedule id: its new status}."""
    moment = now or timezone.now()
    done: dict[int, str] = {}
    while True:
        with transaction.atomic():
            planned = (
                Schedule.objects.due(moment)
                .exclude(pk__in=list(done))
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("post", "revision", "created_by")
                .first()
            )
            if planned is None:
                return done
            done[planned.pk] = _run(planned)
