"""Bringing posts into each workflow state through the real transitions (never by hand)."""

from __future__ import annotations

from typing import Any

from content import workflow
from content.models import Post, PostState
from content.revisions import save_revision
from tests.conftest import content_of


def edit(post: Post, user: Any, **changes: Any) -> None:
    save_revision(
        post=post,
        author=user,
        content=content_of(**({"body": f"Edited by {user.username}."} | changes)),
        base_revision_id=post.latest_revision_id,
    )


def approve_all(post: Post, *reviewers: Any) -> None:
    for reviewer in reviewers:
        workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)


def publish(post: Post, reviewers: list[Any], publisher: Any | None = None) -> Post:
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, *reviewers)
    return workflow.publish(
        post=post, actor=publisher or post.created_by, revision_id=post.latest_revision_id
    )


def bring_to(post: Post, state: str, *, reviewer: Any, editor: Any) -> Post:
    """Article posts (1 approval) into `state`, acting as the people a team would use."""
    if state == PostState.DRAFT:
        return post
    if state == PostState.IN_REVIEW:
        return workflow.submit_for_review(post=post, actor=post.created_by)
    if state == PostState.CHANGES_REQUESTED:
        workflow.submit_for_review(post=post, actor=post.created_by)
        workflow.request_changes(
            post=post, actor=reviewer, revision_id=post.latest_revision_id, reason="Cite it."
        )
        return Post.objects.get(pk=post.pk)
    published = publish(post, [reviewer])
    if state == PostState.PUBLISHED:
        return published
    if state == PostState.WITHDRAWN:
        return workflow.withdraw(post=published, actor=editor, reason="Wrong dose.")
    if state == PostState.ARCHIVED:
        return workflow.archive(post=published, actor=editor)
    raise ValueError(state)
