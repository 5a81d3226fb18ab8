"""What a person may do to a post now, and if not, why: the workflow's checks, in one place.

content.workflow runs `refusal()` inside each transition, on the locked post, and raises what it
returns; the studio runs the same function on the post it shows (`studio_actions()`), so a
button appears only when the transition would be accepted, and otherwise the page can say what is
missing ("Revision 3 has 1 of the 2 approvals it needs", "You wrote part of this text").

The order of the checks is the workflow's: the state (and a published text, for actions on it),
then the actor's right, then the rules of the action (four eyes, one approval per reviewer,
enough approvals). What only a request carries (the revision the page showed, a reason) is
checked by the transition itself afterwards.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy

from content.actors import Actor
from content.approval_rules import ERROR_PERMISSION, approvals, own_text_blocker
from content.models import Post, PostState, Review, ReviewPolicy, Revision, Schedule
from content.models.posts import REVIEW_OVERDUE
from content.transitions import ALLOWED_TRANSITIONS, verb

ERROR_STATE = gettext_lazy("You cannot {action} a post that is {state}.")
ERROR_NOT_PUBLISHED = gettext_lazy("This post has no published text to {action}.")
ERROR_ALREADY_APPROVED = gettext_lazy("You already approved revision {number}.")
ERROR_NOT_ENOUGH = gettext_lazy(
    "Revision {number} has {count} of the {required} approvals it needs."
)
ERROR_NOT_OFFERED = gettext_lazy("The studio does not {action} a post that is {state}.")
ERROR_ALREADY_SCHEDULED = {
    Schedule.Kind.PUBLISH: gettext_lazy(
        "A publication is already scheduled for this post; cancel it first."
    ),
    Schedule.Kind.WITHDRAW: gettext_lazy(
        "A withdrawal is already scheduled for this post; cancel it first."
    ),
}
ERROR_CANCEL = gettext_lazy(
    "Only the person who set this schedule, or someone who may {action}, cancels it."
)
ERROR_PREVIEWS_ONLY = gettext_lazy("You may export previews only.")
ERROR_NOT_PENDING = gettext_lazy("This schedule is no longer pending.")

# The studio's name for a final export (not a transition: content.exports checks it).
EXPORT_FINAL = "export_final"


class Why(enum.Enum):
    """Why an action is refused, which decides whether the studio explains it."""

    STATE = "state"  # not from the post's state: not offered, nothing to explain
    ROLE = "role"  # the person's role lacks the right: not offered, nothing to explain
    RULE = "rule"  # a rule the person can see the end of (approvals, four eyes): explained


@dataclass(frozen=True)
class Refusal:
    why: Why
    message: str
    # Refused for who the actor is (their role, or four eyes: NotPermitted, 403), rather than
    # for where the post stands (TransitionNotAllowed, 409).
    not_permitted: bool = False

    @property
    def explained(self) -> bool:
        return self.why is Why.RULE


def _label(action: str) -> str:
    return verb(action)


def _state_label(post: Post) -> str:
    return PostState(post.state).label.lower()


class _Facts:
    """What the rules read about one post, each fetched once and only when a rule asks."""

    def __init__(self, post: Post) -> None:
        self.post = post

    @cached_property
    def required(self) -> int:
        return ReviewPolicy.for_kind(self.post.kind).required_approvals

    @cached_property
    def latest_approvals(self) -> int:
        return approvals(self.post.expect_latest_revision())


def _approve_rules(
    post: Post, actor: Actor, revision: Revision, *, re_review: bool = False
) -> Refusal | None:
    """Four eyes, then one approval per reviewer: of the revision, or for a re-review of the
    published text, of the current review cycle (none is counted before the first)."""
    own = own_text_blocker(post, revision, actor)
    if own:
        return Refusal(Why.RULE, own, not_permitted=True)
    mine = Review.objects.filter(
        revision=revision, reviewer_id=actor.pk, decision=Review.Decision.APPROVE
    )
    if re_review:
        if post.last_reviewed_at is None:
            return None
        mine = mine.filter(created_at__gt=post.last_reviewed_at)
    if mine.exists():
        return Refusal(Why.RULE, ERROR_ALREADY_APPROVED.format(number=revision.number))
    return None


def _rules(action: str, post: Post, actor: Actor, facts: _Facts) -> Refusal | None:
    """The rules of `action` beyond state and right."""
    if action == "approve":
        return _approve_rules(post, actor, post.expect_latest_revision())
    if action == "re_approve":
        return _approve_rules(post, actor, post.expect_published_revision(), re_review=True)
    if action == "publish":
        count, required = facts.latest_approvals, facts.required
        if count < required:
            number = post.expect_latest_revision().number
            message = ERROR_NOT_ENOUGH.format(number=number, count=count, required=required)
            return Refusal(Why.RULE, message)
    return None


def refusal(
    action: str, post: Post, actor: Actor, *, facts: _Facts | None = None
) -> Refusal | None:
    """Why the transition `action` (a key of ALLOWED_TRANSITIONS) of `post` by `actor` would be
    refused now, or None when content.workflow would accept it."""
    transition = ALLOWED_TRANSITIONS[action]
    if post.state not in transition.sources:
        message = ERROR_STATE.format(action=_label(action), state=_state_label(post))
        return Refusal(Why.STATE, message)
    if transition.needs_published_text and post.published_revision_id is None:
        return Refusal(Why.STATE, ERROR_NOT_PUBLISHED.format(action=_label(action)))
    if not transition.permitted(post, actor):
        message = ERROR_PERMISSION.format(action=_label(action))
        return Refusal(Why.ROLE, message, not_permitted=True)
    return _rules(action, post, actor, facts or _Facts(post))


@dataclass(frozen=True)
class StudioAction:
    """One action as the studio shows it: `name` is a transition (or EXPORT_FINAL)."""

    name: str
    refused: Refusal | None

    @property
    def allowed(self) -> bool:
        return self.refused is None

    @property
    def reason(self) -> str:
        return self.refused.message if self.refused else ""


def _export_final(post: Post, actor: Actor) -> Refusal | None:
    # Imported here: content.exports imports content.addresses, which imports the workflow,
    # which imports this module.
    from content.exports import final_blocker

    if not actor.has_perm("content.export_final"):
        return Refusal(Why.ROLE, str(ERROR_PREVIEWS_ONLY), not_permitted=True)
    blocker = final_blocker(post)
    if not blocker:
        return None
    # Overdue is the one a person can end (by re-reviewing); the others are states.
    why = Why.RULE if post.not_in_force_because() == REVIEW_OVERDUE else Why.STATE
    return Refusal(why, blocker)


def studio_actions(post: Post, actor: Actor) -> dict[str, StudioAction]:
    """Every action of the table (and a final export) for `actor` on `post`, allowed or with
    the refusal the workflow would answer. The studio offers a transition only in the states
    it has a page for (`Transition.offered_in`): e.g. re-reviewing the published text while a
    newer draft is in review is not offered, and the review page refuses it."""
    facts = _Facts(post)
    found: dict[str, StudioAction] = {}
    for action, transition in ALLOWED_TRANSITIONS.items():
        refused = refusal(action, post, actor, facts=facts)
        if refused is None and transition.offered_in and post.state not in transition.offered_in:
            message = ERROR_NOT_OFFERED.format(action=_label(action), state=_state_label(post))
            refused = Refusal(Why.STATE, message)
        found[action] = StudioAction(action, refused)
    found[EXPORT_FINAL] = StudioAction(EXPORT_FINAL, _export_final(post, actor))
    return found


# --- Schedules: the same checks as the action now, and one pending schedule of each kind ------


def schedule_refusal(kind: str, post: Post, actor: Actor) -> Refusal | None:
    """Why scheduling `kind` (Schedule.Kind: "publish" or "withdraw") of `post` by `actor` would
    be refused now: everything doing it now checks (content.workflow runs it again at the
    time), and no other pending schedule of that kind."""
    refused = refusal(kind, post, actor)
    if refused is not None:
        return refused
    if Schedule.objects.pending().filter(post=post, kind=kind).exists():
        return Refusal(Why.STATE, str(ERROR_ALREADY_SCHEDULED[Schedule.Kind(kind)]))
    return None


def cancel_refusal(schedule: Schedule, actor: Actor) -> Refusal | None:
    """Who set the schedule cancels it, and so does anyone with the right to the action."""
    if schedule.status != Schedule.Status.PENDING:
        return Refusal(Why.STATE, str(ERROR_NOT_PENDING))
    if actor.pk is not None and actor.pk == schedule.created_by_id:
        return None
    if ALLOWED_TRANSITIONS[schedule.kind].permitted(schedule.post, actor):
        return None
    message = ERROR_CANCEL.format(action=_label(schedule.kind))
    return Refusal(Why.ROLE, message, not_permitted=True)


@dataclass(frozen=True)
class ScheduleRow:
    schedule: Schedule
    can_cancel: bool


@dataclass(frozen=True)
class SchedulePanel:
    """What the post page shows of schedules: the pending ones (with Cancel where allowed) and
    which schedule forms to offer (only where content.workflow.schedule would accept them)."""

    pending: list[ScheduleRow]
    can_schedule_publish: bool
    can_schedule_withdraw: bool


def schedule_panel(post: Post, actor: Actor) -> SchedulePanel:
    pending = list(Schedule.objects.pending().filter(post=post).select_related("created_by"))
    for row in pending:
        row.post = post  # cancel_refusal reads it; no query per row
    return SchedulePanel(
        pending=[ScheduleRow(s, cancel_refusal(s, actor) is None) for s in pending],
        can_schedule_publish=schedule_refusal(Schedule.Kind.PUBLISH, post, actor) is None,
        can_schedule_withdraw=schedule_refusal(Schedule.Kind.WITHDRAW, post, actor) is None,
    )
