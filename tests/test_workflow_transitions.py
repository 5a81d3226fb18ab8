"""Every transition, for every role, from every state: allowed, wrong state, or not permitted.

Read a row as: <action> by <role> on a post that is <state> -> outcome.
"""

from __future__ import annotations

from typing import Any

import pytest

from content import workflow
from content.models import AuditEvent, Post, PostState
from tests.workflow_helpers import bring_to

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

TABLE = [
    (action, role, state, WHO_MAY[action][role] if state in STARTS[action] else STATE)
    for action in WHO_MAY
    for role in ROLES
    for state in S.values
]


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


@pytest.mark.parametrize(("action", "role", "state", "outcome"), TABLE)
def test_transition_table(action, role, state, outcome, request, post, make_user) -> None:
    people = {name: request.getfixturevalue(name) for name in ROLES}
    second_reviewer = make_user("second_reviewer", "Reviewers")
    post = bring_to(post, state, reviewer=second_reviewer, editor=people["editor"])
    if action == "publish" and state == S.IN_REVIEW:
        workflow.approve(post=post, actor=second_reviewer, revision_id=post.latest_revision_id)
    events_before = AuditEvent.objects.filter(post=post).count()
    actor = people[role]

    if outcome == OK:
        perform(action, post, actor)
        post.refresh_from_db()
        if action in RESULT_STATE:
            assert post.state == RESULT_STATE[action]
        assert AuditEvent.objects.filter(post=post).count() > events_before
        return
    expected = workflow.TransitionNotAllowed if outcome == STATE else workflow.NotPermitted
    with pytest.raises(expected):
        perform(action, post, actor)
    post.refresh_from_db()
    assert post.state == state
    assert AuditEvent.objects.filter(post=post).count() == events_before


def test_the_table_covers_every_action_role_and_state() -> None:
    assert set(WHO_MAY) == set(workflow.ALLOWED_TRANSITIONS) - {"re_approve"}
    assert len(TABLE) == len(WHO_MAY) * len(ROLES) * len(S.values)
