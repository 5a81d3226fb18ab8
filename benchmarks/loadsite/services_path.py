"""The part of the load data written through the project's own services, and the check of the rest.

`seed_with_services()` creates posts with `content.revisions.create_post/save_revision` and
brings them to every named state with `content.states.bring_to_state` (the real workflow:
reviews, audit events, notifications), records reposts with `content.reposts.record_repost`,
and writes the post with two large unrelated revisions the compare page is measured on.

`check_against_services()` is how the bulk path proves itself: for sampled bulk revisions it
recomputes the content hash and the stored HTML the way the services do, and also saves the same
content through `create_post()` in a transaction that is rolled back, and compares what the
service wrote with the bulk row. Any difference stops the seeding.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from benchmarks.loadsite import texts
from content import markdown, notifications, reposts, roles
from content.models import ExportProfile, Language, Post, PostKind, PostState, Revision
from content.revisions import RevisionContent, Source, create_post, save_revision
from content.states import OVERDUE, PUBLISHED_NEWER_DRAFT, bring_to_state

LARGE_COMPARE_SLUG = "bench-large-compare"
LARGE_BODY_CHARS = 95_000

# The states the sampled posts are brought to, in turn ("republished": published, reposted,
# edited and published again, so its repost is outdated).
SAMPLE_STATES = (
    PostState.PUBLISHED,
    PUBLISHED_NEWER_DRAFT,
    "republished",
    OVERDUE,
    PostState.IN_REVIEW,
    PostState.CHANGES_REQUESTED,
    PostState.DRAFT,
    PostState.WITHDRAWN,
    PostState.ARCHIVED,
)
PUBLIC_NOTE = "Updated after new lab results."


class Rollback(Exception):
    """Raised to roll back the transaction of a check."""


@dataclass(frozen=True)
class Team:
    authors: tuple[User, ...]
    reviewers: tuple[User, ...]
    editor: User

    @property
    def writers(self) -> tuple[User, ...]:
        return (*self.authors, self.editor)


EDITOR_USERNAME = "bench-editor"


def ensure_team(*, authors: int = 5, reviewers: int = 4) -> Team:
    """The benchmark's accounts (unusable passwords: the runner sets one when it logs in)."""
    model = get_user_model()

    def account(username: str, group: str) -> User:
        user, created = model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_unusable_password()
        user.is_staff = group == roles.EDITORS
        user.save()
        user.groups.set([Group.objects.get(name=group)])
        return model.objects.get(pk=user.pk)  # fresh: no stale permission cache

    return Team(
        authors=tuple(account(f"bench-author-{n}", roles.AUTHORS) for n in range(1, authors + 1)),
        reviewers=tuple(
            account(f"bench-reviewer-{n}", roles.REVIEWERS) for n in range(1, reviewers + 1)
        ),
        editor=account(EDITOR_USERNAME, roles.EDITORS),
    )


def content_for(
    rng: random.Random, *, number: int, body: str, public_note: str = ""
) -> RevisionContent:
    """Title, summary, sources and tags drawn from `rng` around a given body."""
    sources = tuple(
        Source(f"Report {rng.randint(1, 500)}", f"https://example.org/r/{rng.randint(1, 9999)}")
        for _ in range(rng.randint(1, 4))
    )
    return RevisionContent(
        title=texts.title(rng, number),
        summary=texts.summary(rng),
        body=body,
        sources=sources,
        substances=tuple(rng.sample(texts.SUBSTANCES, rng.randint(1, 3))),
        topics=tuple(rng.sample(texts.TOPICS, rng.randint(1, 2))),
        public_change_note=public_note,
    )


def _edited(rng: random.Random, content: RevisionContent, *, note: str) -> RevisionContent:
    body = texts.markdown_body(rng, rng.randint(2_000, 10_000))
    return RevisionContent(
        title=content.title,
        summary=content.summary,
        body=body,
        sources=content.sources,
        substances=content.substances,
        topics=content.topics,
        public_change_note=note,
    )


def _repost(post: Post, author: User, where: str, days_ago: int = 1) -> None:
    reposts.record_repost(
        post=Post.objects.get(pk=post.pk),
        profile=ExportProfile.objects.order_by("pk").first() or ExportProfile.objects.get(),
        actor=author,
        where=where,
        posted_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def _bring(post: Post, state: str, team: Team, author: User, reviewers: Sequence[User]) -> Post:
    return bring_to_state(
        post,
        state,
        author=author,
        reviewers=reviewers,
        editor=team.editor,
        reason="The dose table needs a source.",
        newer_text="\n\nA newer paragraph about aftercare and rest.\n",
        change_note="Aftercare paragraph",
    )


def _sample_post(rng: random.Random, team: Team, index: int, languages: list[Language]) -> None:
    state = SAMPLE_STATES[index % len(SAMPLE_STATES)]
    author = team.writers[index % len(team.writers)]
    reviewers = [r for r in rng.sample(team.reviewers, 2) if r.pk != author.pk]
    content = content_for(
        rng, number=index, body=texts.markdown_body(rng, rng.randint(2_000, 10_000))
    )
    post = create_post(
        author=author,
        language=languages[index % len(languages)],
        kind=rng.choice(PostKind.values),
        content=content,
        slug=f"bench-sample-{index}",
    )
    for n in range(rng.randint(1, 4)):
        content = _edited(rng, content, note="")
        save_revision(
            post=post,
            author=author,
            content=content,
            base_revision_id=post.latest_revision_id,
            change_note=f"Edit {n + 1}",
        )
    if state == "republished" or state in PostState.OFFLINE:
        post = _bring(post, PostState.PUBLISHED, team, author, reviewers)
        _repost(post, author, f"https://forum.example.org/t/sample-{index}", days_ago=3)
        if state == "republished":
            content = _edited(rng, content, note=PUBLIC_NOTE)
            save_revision(
                post=post,
                author=author,
                content=content,
                base_revision_id=post.latest_revision_id,
                change_note="New lab results",
            )
            state = PostState.PUBLISHED
    _bring(post, state, team, author, reviewers)


def seed_with_services(
    rng: random.Random, team: Team, count: int, *, progress: Callable[[int], object]
) -> None:
    """`count` posts in every state, and the large-compare post, all through the services."""
    languages = list(Language.objects.filter(code__in=["nl", "fr", "en"]).order_by("code"))
    with notifications.email_muted():
        for index in range(count):
            with transaction.atomic():
                _sample_post(rng, team, index, languages)
            progress(1)
        with transaction.atomic():
            _large_compare_post(rng, team, languages[0])


def _large_compare_post(rng: random.Random, team: Team, language: Language) -> None:
    """Two ~95 KB revisions with unrelated bodies: the worst case of the compare page."""
    if Post.objects.filter(slug=LARGE_COMPARE_SLUG).exists():
        return
    first = content_for(rng, number=0, body=texts.markdown_body(rng, LARGE_BODY_CHARS))
    post = create_post(
        author=team.editor,
        language=language,
        kind=PostKind.ARTICLE,
        content=first,
        slug=LARGE_COMPARE_SLUG,
    )
    save_revision(
        post=post,
        author=team.editor,
        content=_large_rewrite(rng, first),
        base_revision_id=post.latest_revision_id,
        change_note="Rewritten from scratch",
    )


def _large_rewrite(rng: random.Random, content: RevisionContent) -> RevisionContent:
    return RevisionContent(
        title=content.title,
        summary=content.summary,
        body=texts.markdown_body(random.Random(rng.random()), LARGE_BODY_CHARS),  # noqa: S311
        sources=content.sources,
        substances=content.substances,
        topics=content.topics,
    )


# --- The check of the bulk path ------------------------------------------------------------


def check_against_services(
    revision_ids: Sequence[int], *, through_services: int, team: Team
) -> int:
    """Raise CommandError unless every sampled bulk row holds what the services would write.

    Each row's content hash and stored HTML are recomputed (`RevisionContent.content_hash`,
    `markdown.render_html`, as `save_revision()` computes them); the first `through_services`
    rows are also written again by `create_post()` in a rolled-back transaction, and the
    service's columns, hash and HTML compared with the row's. Returns how many rows were checked.
    """
    rows = Revision.objects.filter(pk__in=list(revision_ids)).prefetch_related("tags")
    checked = 0
    for row in rows.select_related("post__language").order_by("pk"):
        content = RevisionContent.of(row)
        problems = []
        if content.content_hash != row.content_hash:
            problems.append("content hash")
        if markdown.render_html(row.body) != row.rendered_html:
            problems.append("stored HTML")
        if checked < through_services:
            problems += _differences_from_service(row, content, team)
        if problems:
            raise CommandError(
                f"Bulk revision {row.pk} (post {row.post_id}, r{row.number}) differs from what "
                f"the services write: {', '.join(problems)}. The bulk path is wrong; fix it."
            )
        checked += 1
    if checked != len(set(revision_ids)):
        raise CommandError(f"Only {checked} of {len(set(revision_ids))} sampled rows were found.")
    return checked


def _differences_from_service(row: Revision, content: RevisionContent, team: Team) -> list[str]:
    found: list[str] = []
    try:
        with transaction.atomic():
            post = create_post(
                author=team.editor,
                language=row.post.language,
                kind=row.post.kind,
                content=content,
            )
            written = post.expect_latest_revision()
            if written.content_hash != row.content_hash:
                found.append("content hash (service)")
            if written.rendered_html != row.rendered_html:
                found.append("stored HTML (service)")
            for column in content.columns():
                if getattr(written, column) != getattr(row, column):
                    found.append(f"column {column} (service)")
            if sorted(written.tags.values_list("pk", flat=True)) != sorted(
                tag.pk for tag in row.tags.all()
            ):
                found.append("tags (service)")
            raise Rollback
    except Rollback:
        pass
    return found
