"""Bringing posts into each workflow state through the real transitions (never by hand):
thin shapes over content.states, the one helper the demo uses too."""

from __future__ import annotations

from typing import Any

from content import states, workflow
from content.models import Post, PostState
from content.revisions import save_revision
from tests.support import content_of

# The reason each state's transition is given.
REASONS = {PostState.CHANGES_REQUESTED: "Cite it.", PostState.WITHDRAWN: "Wrong dose."}


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
    """Submitted by its creator, approved by each of `reviewers`, published."""
    return states.publish_latest(
        post, author=post.created_by, reviewers=reviewers, publisher=publisher
    )


def bring_to(post: Post, state: str, *, reviewer: Any, editor: Any) -> Post:
    """Article posts (1 approval) into `state`, acting as the people a team would use."""
    if state not in PostState.values:
        raise ValueError(state)
    return states.bring_to_state(
        post,
        state,
        author=post.created_by,
        reviewers=[reviewer],
        editor=editor,
        reason=REASONS.get(state, ""),
    )


# --- The action x role x state table (tests/test_workflow_transitions.py reads it row by row;
# tests/test_actors.py checks system actors against it) ---

S = PostState
ROLES = ("author", "other_author", "reviewer", "editor")
OK, STATE, PERM = "ok", "wrong state", "not permitted"

# action -> {role: outcome when the state allows it}; any other state -> STATE for everyone.
WHO_MAY = {
    "submit_for_review": {"author": OK, "other_author": PERM, "reviewer": PERM, "editor": OK},
    "approve": {"author": PERM, "other_author": PERM, "reviewer": OK, "editor": OK},
    "request_changes": {"author": PERM, "other_author": PERM, "reviewer": OK, "editor": OK},
    "publish": {"author": OK, "other_author": PERM, "reviewer": PERM, "editor": OK},
    "withdraw": {"author": PERM, "other_author": PERM, "reviewer": PERM, "editor": OK},
    "archive": {"author": PERM, "other_author": PERM, "reviewer": PERM, "editor": OK},
    "unarchive": {"author": PERM, "other_author": PERM, "reviewer": PERM, "editor": OK},
}
# States each action starts from, for this table's posts (withdraw needs a published text, and
# only the published state has one here).
STARTS = {
    "submit_for_review": {S.DRAFT, S.CHANGES_REQUESTED, S.WITHDRAWN},
    "approve": {S.IN_REVIEW},
    "request_changes": {S.IN_REVIEW, S.PUBLISHED},
    "publish": {S.IN_REVIEW},
    "withdraw": {S.PUBLISHED},
    "archive": {S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.PUBLISHED, S.WITHDRAWN},
    "unarchive": {S.ARCHIVED},
}
RESULT_STATE = {
    "submit_for_review": S.IN_REVIEW,
    "request_changes": S.CHANGES_REQUESTED,
    "publish": S.PUBLISHED,
    "withdraw": S.WITHDRAWN,
    "archive": S.ARCHIVED,
    "unarchive": S.DRAFT,
}


def perform(action: str, post: Post, actor: Any) -> None:
    current = post.latest_revision_id if post.state != S.PUBLISHED else post.published_revision_id
    calls = {
        "submit_for_review": lambda: workflow.submit_for_review(post=post, actor=actor),
        "approve": lambda: workflow.approve(post=post, actor=actor, revision_id=current),
        "request_changes": lambda: workflow.request_changes(
            post=post, actor=actor, revision_id=current, reason="Needs a source."
        ),
        "publish": lambda: workflow.publish(post=post, actor=actor, revision_id=current),
        "withdraw": lambda: workflow.withdraw(post=post, actor=actor, reason="Wrong dose."),
        "archive": lambda: workflow.archive(post=post, actor=actor),
        "unarchive": lambda: workflow.unarchive(post=post, actor=actor),
    }
    calls[action]()
