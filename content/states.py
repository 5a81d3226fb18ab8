"""Bringing a post to a named state through the real workflow functions, never by hand.

The demo (content.demo) and the tests both need posts in every state: one function does it,
so both walk the same steps a team would (submit, approve, publish, ...), with the same
permission checks, audit events and notifications. Nothing here assigns a state itself.

The named states are the workflow's states plus two a team meets every day:
"published_newer_draft" (a published text with a newer revision in review) and "overdue"
(a published text whose review date has passed).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from content import workflow
from content.actors import Actor, Person
from content.models import Post, PostState
from content.revisions import RevisionContent, save_revision

PUBLISHED_NEWER_DRAFT = "published_newer_draft"
OVERDUE = "overdue"
STATES = (*PostState.values, PUBLISHED_NEWER_DRAFT, OVERDUE)

# Longer ago than any kind's review interval (a year at most), so the review is overdue.
OVERDUE_AGE = datetime.timedelta(days=400)

ERROR_UNKNOWN_STATE = "Unknown state {state!r}: use one of " + ", ".join(STATES) + "."
ERROR_NEEDS_REASON = "Bringing a post to {state!r} needs a reason (reason=...)."
ERROR_NEEDS_EDITOR = "Bringing a post to {state!r} needs an editor (editor=...)."
ERROR_NEEDS_TEXT = "Bringing a post to {state!r} needs the newer draft's text (newer_text=...)."


def publish_latest(
    post: Post,
    *,
    author: Person,
    reviewers: Sequence[Actor],
    publisher: Actor | None = None,
    at: datetime.datetime | None = None,
) -> Post:
    """Submit the latest revision, have each reviewer approve it, and publish it.

    `author` submits and, unless `publisher` is given, publishes; `at` backdates the
    publication (see workflow.publish)."""
    post = workflow.submit_for_review(post=post, actor=author)
    for reviewer in reviewers:
        workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    return workflow.publish(
        post=post, actor=publisher or author, revision_id=post.latest_revision_id, at=at
    )


def bring_to_state(
    post: Post,
    state: str,
    *,
    author: Person,
    reviewers: Sequence[Actor],
    editor: Actor | None = None,
    reason: str = "",
    newer_text: str = "",
    change_note: str = "",
) -> Post:
    """Bring `post` (a draft, or a post whose latest revision is published) to `state`.

    `author` submits and publishes, `reviewers` approve in order (as many as the post's kind
    needs) and the first of them asks for changes; `editor` withdraws and archives. `reason`
    is the reviewer's or editor's reason ("changes_requested", "withdrawn"). For
    "published_newer_draft", `newer_text` is added to the published body as the newer
    revision, saved with `change_note`, and submitted for review.

    A latest revision that is already published is not published again: so a caller can
    publish, do something with the published text (record a repost, say), then withdraw it.
    """
    if state not in STATES:
        raise ValueError(ERROR_UNKNOWN_STATE.format(state=state))
    if state == PostState.DRAFT:
        return post
    if state in (PostState.IN_REVIEW, PostState.CHANGES_REQUESTED):
        post = workflow.submit_for_review(post=post, actor=author)
        if state == PostState.IN_REVIEW:
            return post
        _require(reason, ERROR_NEEDS_REASON, state)
        workflow.request_changes(
            post=post, actor=reviewers[0], revision_id=post.latest_revision_id, reason=reason
        )
        return Post.objects.get(pk=post.pk)
    at = timezone.now() - OVERDUE_AGE if state == OVERDUE else None
    # Read from the database: the caller's object may predate an earlier call's publication.
    published_id, latest_id = (
        Post.objects.filter(pk=post.pk).values_list("published_revision_id", "latest_revision_id")
    ).get()
    if published_id != latest_id:
        post = publish_latest(post, author=author, reviewers=reviewers, at=at)
    if state in (PostState.PUBLISHED, OVERDUE):
        return post
    if state == PUBLISHED_NEWER_DRAFT:
        _require(newer_text, ERROR_NEEDS_TEXT, state)
        return _submit_newer_draft(post, author=author, text=newer_text, change_note=change_note)
    if editor is None:
        raise ValueError(ERROR_NEEDS_EDITOR.format(state=state))
    if state == PostState.WITHDRAWN:
        _require(reason, ERROR_NEEDS_REASON, state)
        return workflow.withdraw(post=post, actor=editor, reason=reason)
    return workflow.archive(post=post, actor=editor)


def _submit_newer_draft(post: Post, *, author: Person, text: str, change_note: str) -> Post:
    # A new draft starts without the published text's note for readers.
    published = RevisionContent.of(post.expect_latest_revision())
    save_revision(
        post=post,
        author=author,
        content=RevisionContent(
            title=published.title,
            summary=published.summary,
            body=published.body + text,
            sources=published.sources,
            substances=published.substances,
            topics=published.topics,
        ),
        base_revision_id=post.latest_revision_id,
        change_note=change_note,
    )
    return workflow.submit_for_review(post=post, actor=author)


def _require(value: object, message: str, state: str) -> None:
    if not value:
        raise ValueError(message.format(state=state))
