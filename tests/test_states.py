"""content.states.bring_to_state: each named state reached through the real transitions, with
the audit trail a team's own clicks would leave."""

from __future__ import annotations

import pytest

from content.models import AuditEvent, Post
from content.revisions import RevisionContent
from content.states import STATES, bring_to_state
from tests.workflow_helpers import edit

A = AuditEvent.Action
# state -> (status a person sees, the audit actions after creation, in order)
EXPECTED = {
    "draft": ("draft", []),
    "in_review": ("in review: 0 of 1 approvals", [A.SUBMITTED]),
    "changes_requested": ("changes requested: Cite it.", [A.SUBMITTED, A.CHANGES_REQUESTED]),
    "published": ("published", [A.SUBMITTED, A.APPROVED, A.PUBLISHED]),
    "published_newer_draft": (
        "published, newer draft in review: 0 of 1 approvals",
        [A.SUBMITTED, A.APPROVED, A.PUBLISHED, A.REVISION_SAVED, A.SUBMITTED],
    ),
    "overdue": ("published, review overdue", [A.SUBMITTED, A.APPROVED, A.PUBLISHED]),
    "withdrawn": ("withdrawn: Cite it.", [A.SUBMITTED, A.APPROVED, A.PUBLISHED, A.WITHDRAWN]),
    "archived": ("archived", [A.SUBMITTED, A.APPROVED, A.PUBLISHED, A.ARCHIVED]),
}


def actions_after_creation(post: Post) -> list[str]:
    """The audit actions after the post's creation and its first revision."""
    actions = list(
        AuditEvent.objects.filter(post=post).order_by("pk").values_list("action", flat=True)
    )
    assert actions[:2] == [A.POST_CREATED, A.REVISION_SAVED]
    return actions[2:]


def test_every_named_state_has_an_expectation() -> None:
    assert set(STATES) == set(EXPECTED)


@pytest.mark.parametrize("state", STATES)
def test_a_draft_reaches_each_state_through_the_workflow(state, post, author, reviewer, editor):
    bring_to_state(
        post,
        state,
        author=author,
        reviewers=[reviewer],
        editor=editor,
        reason="Cite it.",
        newer_text="\nSee a doctor.\n",
        change_note="Doctor",
    )
    post = Post.objects.with_revisions().get(pk=post.pk)
    label, actions = EXPECTED[state]
    assert post.status_label == label
    assert actions_after_creation(post) == actions


def test_the_newer_draft_is_the_published_text_with_the_addition_and_without_its_note(
    post, author, reviewer
) -> None:
    bring_to_state(
        post,
        "published_newer_draft",
        author=author,
        reviewers=[reviewer],
        newer_text="\nSee a doctor.\n",
        change_note="Doctor",
    )
    post = Post.objects.get(pk=post.pk)
    published, newer = post.published_revision, post.latest_revision
    assert newer.number == published.number + 1 and newer.change_note == "Doctor"
    assert newer.body == published.body + "\nSee a doctor.\n"
    assert RevisionContent.of(newer).public_change_note == ""


def test_a_published_text_is_not_published_again_before_it_is_withdrawn(
    post, author, reviewer, editor
) -> None:
    bring_to_state(post, "published", author=author, reviewers=[reviewer])
    bring_to_state(
        post, "withdrawn", author=author, reviewers=[reviewer], editor=editor, reason="Wrong."
    )
    actions = actions_after_creation(post)
    assert actions.count(A.PUBLISHED) == 1 and actions[-1] == A.WITHDRAWN


def test_a_newer_revision_of_a_published_post_is_published(post, author, reviewer) -> None:
    bring_to_state(post, "published", author=author, reviewers=[reviewer])
    edit(Post.objects.get(pk=post.pk), author)
    bring_to_state(post, "published", author=author, reviewers=[reviewer])
    post = Post.objects.get(pk=post.pk)
    assert post.published_revision.number == 2 == post.latest_revision.number


@pytest.mark.parametrize(
    ("state", "missing"),
    [
        ("changes_requested", "reason"),
        ("withdrawn", "editor"),
        ("published_newer_draft", "newer_text"),
        ("published later", "one of"),
    ],
)
def test_a_state_without_what_it_needs_is_refused_with_what_to_pass(
    state, missing, post, author, reviewer
) -> None:
    with pytest.raises(ValueError, match=missing):
        bring_to_state(post, state, author=author, reviewers=[reviewer])
