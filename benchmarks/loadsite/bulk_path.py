"""The bulk part of the load data: posts, revisions, reviews, audit events, reposts and
notifications written with `bulk_create`, in chunks of posts, each chunk in one transaction.

Every row is what the services would have written for the same history (the seeding command
checks a sample against them, see services_path.check_against_services): a revision's columns
and content hash come from `RevisionContent` exactly as `save_revision()` takes them, and its
HTML from `content.markdown.render_html`, rendered once per distinct body (`BodyPool`).
Revisions, reviews and audit events are written once, as the app writes them: nothing here
updates a row. Primary keys are drawn from the tables' sequences first, so a post can point at
its revisions, and a revision at the one it was based on, in the same INSERTs.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from benchmarks.loadsite import texts
from benchmarks.loadsite.history import (
    TYPICAL_SLUG,
    PostHistory,
    group_translations,
    plan_history,
)
from benchmarks.loadsite.services_path import Team, content_for
from content import markdown, public_words, search
from content.models import (
    AuditEvent,
    ExportProfile,
    Language,
    Notification,
    Post,
    PostKind,
    PublicWord,
    Repost,
    Review,
    ReviewPolicy,
    Revision,
    Tag,
)
from content.revisions import RevisionContent

A = AuditEvent.Action
TYPICAL_BODY_CHARS = 6_000


@dataclass(frozen=True)
class Body:
    text: str
    html: str


class BodyPool:
    """Distinct Markdown bodies of 2-10 KB, each rendered once, as save_revision() renders it."""

    def __init__(self, rng: random.Random, size: int, progress: Callable[[int], None]) -> None:
        self.bodies: list[Body] = []
        for _ in range(size):
            text = texts.markdown_body(rng, rng.randint(2_000, 10_000))
            self.bodies.append(Body(text, markdown.render_html(text)))
            progress(1)

    def closest(self, chars: int) -> int:
        return min(range(len(self.bodies)), key=lambda i: abs(len(self.bodies[i].text) - chars))

    def pick(self, rng: random.Random, avoid: int = -1) -> int:
        index = rng.randrange(len(self.bodies))
        return index if index != avoid else (index + 1) % len(self.bodies)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys from the table's own sequence (PostgreSQL), or past its largest."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        start = (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        return list(range(start, start + count))


@contextlib.contextmanager
def given_times(*fields: models.DateTimeField[Any, Any]) -> Iterator[None]:
    """Let bulk_create keep the times we give `auto_now_add` fields (a history spread over
    years, as a real site has), instead of stamping every row with the same second."""
    saved = [(f, f.auto_now_add) for f in fields]
    try:
        for f, _ in saved:
            f.auto_now_add = False
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _time_field(model: type[models.Model], name: str) -> models.DateTimeField[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.DateTimeField)
    return found


TIMED_FIELDS = (
    (Post, "created_at"),
    (Revision, "created_at"),
    (Review, "created_at"),
    (AuditEvent, "created_at"),
    (Notification, "created_at"),
    (Repost, "recorded_at"),
)


@dataclass
class Chunk:
    posts: list[Post] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    tag_links: list[Any] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    reposts: list[Repost] = field(default_factory=list)
    notes: list[Notification] = field(default_factory=list)
    words: list[PublicWord] = field(default_factory=list)  # of published revisions (/verify/)

    def write(self) -> None:
        with transaction.atomic():  # foreign keys are checked at commit (deferred)
            Post.objects.bulk_create(self.posts, batch_size=1000)
            Revision.objects.bulk_create(self.revisions, batch_size=300)
            Revision.tags.through.objects.bulk_create(self.tag_links, batch_size=5000)
            Review.objects.bulk_create(self.reviews, batch_size=2000)
            AuditEvent.objects.bulk_create(self.events, batch_size=2000)
            Repost.objects.bulk_create(self.reposts, batch_size=2000)
            Notification.objects.bulk_create(self.notes, batch_size=2000)
            PublicWord.objects.bulk_create(self.words, batch_size=5000, ignore_conflicts=True)
            search.rebuild()  # the full-text documents workflow.publish writes (PostgreSQL)


@dataclass
class Counts:
    posts: int = 0
    revisions: int = 0
    reviews: int = 0
    events: int = 0
    reposts: int = 0
    notifications: int = 0

    def add(self, chunk: Chunk) -> None:
        self.posts += len(chunk.posts)
        self.revisions += len(chunk.revisions)
        self.reviews += len(chunk.reviews)
        self.events += len(chunk.events)
        self.reposts += len(chunk.reposts)
        self.notifications += len(chunk.notes)


class BulkSeeder:
    """Writes planned post histories (benchmarks.loadsite.history) as rows."""

    def __init__(self, rng: random.Random, team: Team, pool: BodyPool) -> None:
        self.rng = rng
        self.team = team
        self.pool = pool
        self.now = timezone.now()
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.policies = {p.kind: p for p in ReviewPolicy.objects.all()}
        self.profiles = list(ExportProfile.objects.order_by("pk"))
        self.tags = {
            (kind, name): Tag.objects.get_or_create(
                kind=kind, slug=slugify(name)[:80], defaults={"name": name}
            )[0]
            for kind, names in (
                (Tag.Kind.SUBSTANCE, texts.SUBSTANCES),
                (Tag.Kind.TOPIC, texts.TOPICS),
            )
            for name in names
        }
        self.counts = Counts()
        self.revision_ids: list[int] = []  # every bulk revision, for the check

    def policy(self, kind: str) -> ReviewPolicy:
        return self.policies.get(kind) or ReviewPolicy(kind=kind)

    def write(self, histories: Sequence[PostHistory]) -> None:
        chunk = Chunk()
        post_ids = reserve_ids(Post, len(histories))
        revision_ids = iter(reserve_ids(Revision, sum(h.revisions for h in histories)))
        repost_ids = iter(reserve_ids(Repost, sum(len(h.reposts) for h in histories)))
        for history, post_id in zip(histories, post_ids, strict=True):
            self._post(chunk, history, post_id, revision_ids, repost_ids)
        with given_times(*(_time_field(model, name) for model, name in TIMED_FIELDS)):
            chunk.write()
        self.counts.add(chunk)

    def _post(
        self,
        chunk: Chunk,
        h: PostHistory,
        post_id: int,
        revision_ids: Iterator[int],
        repost_ids: Iterator[int],
    ) -> None:
        rng, author = self.rng, h.author
        revisions: dict[int, Revision] = {}
        content: RevisionContent | None = None
        body_index = -1
        previous: Revision | None = None
        for number in range(1, h.revisions + 1):
            if h.slug == TYPICAL_SLUG and number == h.revisions:
                body_index = self.pool.closest(TYPICAL_BODY_CHARS)  # the page measured
            else:
                body_index = self.pool.pick(rng, avoid=body_index)
            content = self._next_content(content, self.pool.bodies[body_index].text, number, h)
            revision = Revision(
                pk=next(revision_ids),
                post_id=post_id,
                number=number,
                based_on=previous,
                **content.columns(),
                change_note="First version" if number == 1 else f"Edit {number - 1}",
                author=author,
                content_hash=content.content_hash,
                rendered_html=self.pool.bodies[body_index].html,
                created_at=h.revision_time(number),
            )
            for kind, name in content.tag_names():
                chunk.tag_links.append(
                    Revision.tags.through(revision_id=revision.pk, tag_id=self.tags[kind, name].pk)
                )
            revisions[number] = revision
            chunk.revisions.append(revision)
            self.revision_ids.append(revision.pk)
            previous = revision
        post = h.post(post_id, revisions, self.languages[h.language], self.policy(h.kind))
        post.slug = post.slug or slugify(revisions[1].title)[:90] + f"-{post_id}"
        chunk.posts.append(post)
        self._events(chunk, h, post, revisions)
        self._reposts(chunk, h, post, revisions, repost_ids)

    def _next_content(
        self, old: RevisionContent | None, body: str, number: int, h: PostHistory
    ) -> RevisionContent:
        rng = self.rng
        fresh = old
        if fresh is None or rng.random() < 0.1:  # now and then a new title, summary or tags
            fresh = content_for(rng, number=h.index, body=body)
        return RevisionContent(
            title=fresh.title,
            summary=fresh.summary,
            body=body,
            sources=fresh.sources,
            substances=fresh.substances,
            topics=fresh.topics,
            # After the first publication every edit tells readers what changed.
            public_change_note=h.public_note(number),
        )

    def _events(
        self, chunk: Chunk, h: PostHistory, post: Post, revisions: dict[int, Revision]
    ) -> None:
        author = h.author
        event = self._event_writer(chunk, post)
        event(A.POST_CREATED, author, None, h.created_at, slug=post.slug)
        for number, revision in revisions.items():
            event(
                A.REVISION_SAVED,
                author,
                revision,
                revision.created_at,
                number=number,
                content_hash=revision.content_hash,
            )
        for step in h.review_steps():
            revision = revisions[step.number]
            if step.kind == "submitted":
                event(A.SUBMITTED, step.actor, revision, step.at)
            elif step.kind in ("approve", "request_changes"):
                chunk.reviews.append(
                    Review(
                        post_id=post.pk,
                        revision=revision,
                        content_hash=revision.content_hash,
                        reviewer=step.actor,
                        decision=step.kind,
                        reason=step.reason,
                        created_at=step.at,
                    )
                )
                if step.kind == "approve":
                    event(A.APPROVED, step.actor, revision, step.at, **step.details)
                    self._notify(chunk, [author], post, step.at, f"Revision {step.number} approved")
                else:
                    event(A.CHANGES_REQUESTED, step.actor, revision, step.at, reason=step.reason)
                    self._notify(chunk, [author], post, step.at, "Changes requested")
            elif step.kind == "published":
                event(A.PUBLISHED, step.actor, revision, step.at, **step.details)
                chunk.words += public_words.words_of(revision)  # as workflow.publish does
                approvers = [u for u in step.others if u.pk != step.actor.pk]
                self._notify(chunk, [author, *approvers], post, step.at, "Published")
            else:  # withdrawn, archived
                event(step.kind, step.actor, revision, step.at, **step.details)

    def _event_writer(self, chunk: Chunk, post: Post) -> Callable[..., None]:
        def event(
            action: str,
            actor: User,
            revision: Revision | None,
            at: datetime.datetime,
            **details: Any,
        ) -> None:
            chunk.events.append(
                AuditEvent(
                    action=action,
                    actor=actor,
                    post_id=post.pk,
                    revision=revision,
                    details=details,
                    created_at=at,
                )
            )

        return event

    def _notify(
        self, chunk: Chunk, users: list[User], post: Post, at: datetime.datetime, what: str
    ) -> None:
        for user in {u.pk: u for u in users}.values():
            chunk.notes.append(
                Notification(
                    recipient=user,
                    post_id=post.pk,
                    message=f"{what}: post {post.pk}",
                    created_at=at,
                    read_at=at if self.rng.random() < 0.7 else None,
                )
            )

    def _reposts(
        self,
        chunk: Chunk,
        h: PostHistory,
        post: Post,
        revisions: dict[int, Revision],
        repost_ids: Iterator[int],
    ) -> None:
        later: Repost | None = None
        for plan in reversed(h.reposts):  # newest first, so an older one can name its successor
            repost = Repost(
                pk=next(repost_ids),
                post_id=post.pk,
                revision=revisions[plan.number],
                profile=self.rng.choice(self.profiles),
                where=f"https://forum.example.org/t/{post.pk}-{plan.number}",
                posted_on=timezone.localdate(plan.at),
                recorded_by=h.author,
                recorded_at=plan.at,
                superseded_by=later if plan.superseded else None,
            )
            chunk.reposts.append(repost)
            chunk.events.append(
                AuditEvent(
                    action=A.REPOST_RECORDED,
                    actor=h.author,
                    post_id=post.pk,
                    revision=revisions[plan.number],
                    details={"profile": repost.profile.slug, "where": repost.where},
                    created_at=plan.at,
                )
            )
            later = repost


def plan_all(
    rng: random.Random,
    team: Team,
    *,
    count: int,
    revisions_per_post: int,
    reposts: int,
    long_history: int,
    first_index: int,
    policies: dict[str, ReviewPolicy],
) -> list[PostHistory]:
    """The histories of `count` bulk posts: the first one with `long_history` revisions (the
    history page's worst case), the second a typical published post the post page is measured
    on, the rest drawn from `rng` with `revisions_per_post` revisions on average."""
    kinds = [
        (PostKind.ARTICLE, 50),
        (PostKind.DRUG_ALERT, 15),
        (PostKind.FAQ_ANSWER, 20),
        (PostKind.FACT_SHEET, 15),
    ]
    histories = [
        plan_history(
            rng,
            team,
            index=first_index + i,
            kinds=kinds,
            policies=policies,
            revisions_per_post=revisions_per_post,
            repost_rate=reposts / max(count, 1),
            special="long_history" if i == 0 else "typical" if i == 1 else "",
            long_history=long_history,
        )
        for i in range(count)
    ]
    group_translations(rng, histories)
    return histories
