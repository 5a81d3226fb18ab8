"""Plans of what happened to each bulk post, in the order the workflow would have done it.

A `PostHistory` says who wrote the post, how many revisions it has and when each was saved,
which revisions were published (and which reviewers approved them first, as four eyes needs),
which were sent back, whether it ended withdrawn or archived, and where it was reposted. The bulk
path (bulk_path.BulkSeeder) turns a plan into rows; nothing here touches the database.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from benchmarks.loadsite import texts
from content.models import Language, Post, PostState, ReviewPolicy, Revision

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from benchmarks.loadsite.services_path import Team

TYPICAL_SLUG = "bench-typical-post"
LONG_HISTORY_SLUG = "bench-long-history"
PUBLIC_NOTE = "Updated after new lab results."
WITHDRAW_REASON = "The lab retracted the test result this alert was based on."

# Final state -> weight. "newer_draft": published, with a newer revision in review.
STATES = (
    (PostState.PUBLISHED, 55),
    ("newer_draft", 12),
    ("overdue", 4),
    (PostState.IN_REVIEW, 10),
    (PostState.CHANGES_REQUESTED, 6),
    (PostState.DRAFT, 6),
    (PostState.WITHDRAWN, 5),
    (PostState.ARCHIVED, 2),
)
PUBLISHED_SHARE = 0.78  # of posts that were ever published (the weights above)
REPOSTS_PER_REPOSTED_POST = 1.4


@dataclass(frozen=True)
class Step:
    """One workflow action: submitted, approve, request_changes, published, withdrawn,
    archived (or re_reviewed)."""

    kind: str
    number: int
    actor: User
    at: datetime.datetime
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    others: tuple[User, ...] = ()


@dataclass(frozen=True)
class RepostPlan:
    number: int
    at: datetime.datetime
    superseded: bool  # replaced by the next (newer) repost of the post


@dataclass
class PostHistory:
    index: int
    author: User
    kind: str
    language: str
    revisions: int
    state: str
    created_at: datetime.datetime
    end: datetime.datetime  # the last revision is saved a little before this
    published: list[int]  # numbers published, oldest first
    required: int
    interval_days: int
    reviewers: tuple[User, ...]  # who may review it (never its author)
    editor: User
    rng: random.Random
    slug: str = ""
    translation_group: uuid.UUID = field(default_factory=uuid.uuid4)
    reposts: list[RepostPlan] = field(default_factory=list)
    _steps: list[Step] | None = None
    _reviewed_at: datetime.datetime | None = None

    def revision_time(self, number: int) -> datetime.datetime:
        span = self.end - self.created_at
        return self.created_at + span * ((number - 0.5) / self.revisions)

    def public_note(self, number: int) -> str:
        """After the first publication every revision tells readers what changed."""
        return PUBLIC_NOTE if self.published and number > self.published[0] else ""

    def _published_at(self, number: int) -> datetime.datetime:
        return self.revision_time(number) + datetime.timedelta(hours=1)

    def review_steps(self) -> list[Step]:
        if self._steps is None:
            self._steps = self._plan_steps()
        return self._steps

    def _approvals(
        self, number: int, at: datetime.datetime, count: int, **extra: Any
    ) -> list[Step]:
        chosen = self.rng.sample(self.reviewers, min(count, len(self.reviewers)))
        return [
            Step(
                "approve",
                number,
                reviewer,
                at + datetime.timedelta(minutes=20 + n),
                details={"approvals": n + 1, "required": self.required, **extra},
            )
            for n, reviewer in enumerate(chosen)
        ]

    def _plan_steps(self) -> list[Step]:
        steps: list[Step] = []
        rng, before = self.rng, 0
        for number in self.published:
            if number - before > 1 and rng.random() < 0.4:  # an earlier draft sent back
                sent_back = rng.randint(before + 1, number - 1)
                at = self.revision_time(sent_back)
                steps.append(Step("submitted", sent_back, self.author, at))
                steps.append(
                    Step(
                        "request_changes",
                        sent_back,
                        rng.choice(self.reviewers),
                        at + datetime.timedelta(hours=2),
                        reason="Please cite a source for the dose table.",
                    )
                )
            at = self.revision_time(number) + datetime.timedelta(minutes=10)
            steps.append(Step("submitted", number, self.author, at))
            approvals = self._approvals(number, at, self.required)
            steps += approvals
            published_at = self._published_at(number)
            due = timezone.localdate(published_at) + datetime.timedelta(days=self.interval_days)
            steps.append(
                Step(
                    "published",
                    number,
                    self.author,
                    published_at,
                    details={
                        "review_due": due.isoformat(),
                        "published_at": published_at.isoformat(),
                    },
                    others=tuple(step.actor for step in approvals),
                )
            )
            before = number
        steps += self._final_steps()
        return steps

    def _final_steps(self) -> list[Step]:
        latest, rng = self.revisions, self.rng
        at = self.revision_time(latest) + datetime.timedelta(minutes=10)
        if self.state in (PostState.IN_REVIEW, "newer_draft", PostState.CHANGES_REQUESTED):
            steps = [Step("submitted", latest, self.author, at)]
            if self.state == PostState.CHANGES_REQUESTED:
                reviewer = rng.choice(self.reviewers)
                later = at + datetime.timedelta(hours=3)
                return [*steps, Step("request_changes", latest, reviewer, later, reason="Shorter.")]
            return steps + self._approvals(latest, at, rng.randint(0, self.required - 1))
        if self.state in PostState.OFFLINE:
            last = self.published[-1]
            when = self.offline_at()
            if self.state == PostState.WITHDRAWN:
                details = {"reason": WITHDRAW_REASON, "public_reason": WITHDRAW_REASON}
                return [Step("withdrawn", last, self.editor, when, details=details)]
            return [Step("archived", last, self.editor, when, details={"note": ""})]
        if self.published and self.state != "overdue" and self._needs_re_review():
            last = self.published[-1]
            when = self.last_reviewed_at()
            steps = self._approvals(last, when, self.required, re_review=True)
            due = timezone.localdate(when) + datetime.timedelta(days=self.interval_days)
            return [
                *steps,
                Step("re_reviewed", last, steps[-1].actor, when, details={"review_due": str(due)}),
            ]
        return []

    def offline_at(self) -> datetime.datetime:
        published_at = self._published_at(self.published[-1])
        return published_at + (timezone.now() - published_at) / 2

    def _needs_re_review(self) -> bool:
        age = timezone.now() - self._published_at(self.published[-1])
        return age.days >= self.interval_days

    def last_reviewed_at(self) -> datetime.datetime:
        """The publication, or a re-review within the last review interval (drawn once)."""
        if self._reviewed_at is None:
            published_at = self._published_at(self.published[-1])
            self._reviewed_at = published_at
            if self.state != "overdue" and self._needs_re_review():
                days = self.rng.uniform(1, self.interval_days - 1)
                ago = timezone.now() - datetime.timedelta(days=days)
                self._reviewed_at = max(published_at, ago)
        return self._reviewed_at

    def post(
        self,
        post_id: int,
        revisions: dict[int, Revision],
        language: Language,
        policy: ReviewPolicy,
    ) -> Post:
        self.review_steps()
        post = Post(
            pk=post_id,
            slug=self.slug,
            language=language,
            kind=self.kind,
            translation_group=self.translation_group,
            created_by=self.author,
            created_at=self.created_at,
            latest_revision=revisions[self.revisions],
        )
        state = self.state
        post.state = {"newer_draft": PostState.IN_REVIEW, "overdue": PostState.PUBLISHED}.get(
            state, state
        )
        if state in (PostState.IN_REVIEW, "newer_draft", PostState.CHANGES_REQUESTED):
            post.submitted_at = self.revision_time(self.revisions) + datetime.timedelta(minutes=10)
        if state == PostState.CHANGES_REQUESTED:
            post.state_note = "Shorter."
        if not self.published:
            return post
        last = self.published[-1]
        post.published_at = self._published_at(last)
        post.published_base_number = self.published[-2] if len(self.published) > 1 else 0
        if state in PostState.OFFLINE:
            if state == PostState.WITHDRAWN:
                post.state_note, post.public_reason = WITHDRAW_REASON, WITHDRAW_REASON
                post.withdrawn_at = self.offline_at()
            post.last_reviewed_at = post.published_at
            return post
        post.published_revision = revisions[last]
        post.last_reviewed_at = self.last_reviewed_at()
        post.review_due = timezone.localdate(post.last_reviewed_at) + datetime.timedelta(
            days=policy.review_interval_days
        )
        return post


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def plan_history(
    rng: random.Random,
    team: Team,
    *,
    index: int,
    kinds: Sequence[tuple[str, int]],
    policies: dict[str, ReviewPolicy],
    revisions_per_post: int,
    repost_rate: float,
    special: str,
    long_history: int,
) -> PostHistory:
    """One post's plan; `special` is "long_history", "typical" or ""."""
    now = timezone.now()
    low = max(1, revisions_per_post - revisions_per_post * 4 // 5)
    revisions = rng.randint(low, 2 * revisions_per_post - low)
    author = team.editor if rng.random() < 0.2 else rng.choice(team.authors)
    kind, language = _weighted(rng, kinds), _weighted(rng, [(c, w) for c, w in texts.LANGUAGES])
    state = _weighted(rng, [(s, w) for s, w in STATES])
    slug = ""
    if special == "long_history":
        revisions, author, kind, language, state = (
            long_history,
            team.editor,
            "article",
            "en",
            "published",
        )
        slug = LONG_HISTORY_SLUG
    elif special == "typical":
        revisions, kind, language, state = 8, "article", "nl", PostState.PUBLISHED
        slug = TYPICAL_SLUG
    if state == "newer_draft" and revisions < 2:
        revisions = 2
    policy = policies.get(kind) or ReviewPolicy(kind=kind)
    if state == "overdue":
        end = now - datetime.timedelta(days=policy.review_interval_days + rng.uniform(5, 60))
        created = end - datetime.timedelta(days=rng.uniform(30, 600))
    else:
        oldest = 1000 if special == "long_history" else rng.uniform(60, 1000)
        created = now - datetime.timedelta(days=oldest)
        end = now - datetime.timedelta(days=rng.uniform(1, min(50, (now - created).days - 5)))
    ever_published = state not in (
        PostState.IN_REVIEW,
        PostState.CHANGES_REQUESTED,
        PostState.DRAFT,
    )
    published: list[int] = []
    if ever_published:
        last = revisions - 1 if state == "newer_draft" else revisions
        earlier = rng.sample(range(1, last), k=min(last - 1, (revisions - 1) // 4))
        published = sorted({*earlier, last})
    history = PostHistory(
        index=index,
        author=author,
        kind=kind,
        language=language,
        revisions=revisions,
        state=state,
        created_at=created,
        end=end,
        published=published,
        required=policy.required_approvals,
        interval_days=policy.review_interval_days,
        reviewers=tuple(u for u in (*team.reviewers, team.editor) if u.pk != author.pk),
        editor=team.editor,
        rng=rng,
        slug=slug,
    )
    if published and rng.random() < repost_rate / (PUBLISHED_SHARE * REPOSTS_PER_REPOSTED_POST):
        history.reposts = _plan_reposts(rng, history)
    return history


def _plan_reposts(rng: random.Random, h: PostHistory) -> list[RepostPlan]:
    hour = datetime.timedelta(hours=2)
    current = RepostPlan(h.published[-1], h.revision_time(h.published[-1]) + hour, False)
    if len(h.published) < 2 or rng.random() >= 0.45:
        return [current]
    older = h.published[-2]
    # Oldest first; an older repost either was replaced by the newer one or is still outdated.
    return [RepostPlan(older, h.revision_time(older) + hour, rng.random() < 0.5), current]


def group_translations(rng: random.Random, histories: Sequence[PostHistory]) -> None:
    """Put about a third of the posts, and the typical one, in groups of three translations."""
    for start in range(1, len(histories) - 2, 3):  # 0 is the long history
        trio = histories[start : start + 3]
        if any(h.slug == TYPICAL_SLUG for h in trio) or rng.random() < 0.3:
            group = uuid.uuid4()
            for h in trio:
                h.translation_group = group
