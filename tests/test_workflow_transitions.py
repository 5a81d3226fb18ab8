"""Every transition, for every role, from every state: allowed, wrong state, or not permitted.

Read a row as: <action> by <role> on a post that is <state> -> outcome.
"""

from __future__ import annotations

import pytest

from content import workflow
from content.models import AuditEvent, PostState
from tests.workflow_helpers import (
    OK,
    RESULT_STATE,
    ROLES,
    STARTS,
    STATE,
    WHO_MAY,
    bring_to,
    perform,
)

S = PostState

# Who may do what from which states is written down once, in tests/workflow_helpers.py.
TABLE = [
    (action, role, state, WHO_MAY[action][role] if state in STARTS[action] else STATE)
    for action in WHO_MAY
    for role in ROLES
    for state in S.values
]


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
