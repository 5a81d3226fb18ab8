"""The workflow's one table: each action's source states, target state, permission and the name
the studio offers it under. content.actions checks it (with the rules of each action), for the
workflow's functions and for the studio's buttons alike; the studio's URLs derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from content.actors import Actor, is_system
from content.models import Post, PostState

S = PostState


@dataclass(frozen=True)
class Transition:
    """One action of the workflow: the states it starts from, the state it leads to, who may
    do it, and the name the studio offers it under. The transition functions below check
    `sources` and `permitted()`; content.actions.studio_actions() (what pages offer) and the
    studio's URLs derive from it."""

    sources: frozenset[str]
    target: str | None  # None: the state stays (an approval is recorded, nothing moves)
    permission: str | None  # the Django permission it needs (None: only `own_post`) ...
    own_post: bool = False  # ... and, if set, that the actor may edit this post
    slug: str = ""  # the studio's name for it: a post_action URL slug, or a review-page link
    on_review_page: bool = False  # decided on the review page (a reason, a diff), not a button
    needs_published_text: bool = False  # acts on the published revision, so there must be one
    # States in which the studio offers it, where fewer than `sources` (the review page shows
    # the published text only while nothing newer is in the workflow).
    offered_in: frozenset[str] | None = None

    @property
    def new_state(self) -> str:
        """`target`, for the functions of transitions that move the post."""
        if self.target is None:
            raise ValueError(f"The {self.slug or 'approve'} transition does not change the state.")
        return self.target

    def permitted(self, post: Post, actor: Actor) -> bool:
        """The actor's right (the functions add their own rules, e.g. four eyes). Only people
        move a post through review: a command or job never does, whatever it was granted."""
        if is_system(actor):
            return False
        if self.permission is not None and not actor.has_perm(self.permission):
            return False
        return not self.own_post or post.can_be_edited_by(actor)


_PUBLISHED_TEXT = frozenset({S.PUBLISHED, S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED})

# action (the transition function's name) -> its Transition: the one table of the workflow.
ALLOWED_TRANSITIONS: dict[str, Transition] = {
    "submit_for_review": Transition(
        sources=frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.WITHDRAWN}),
        target=S.IN_REVIEW,
        permission=None,  # whoever may edit the post: its author, or an editor
        own_post=True,
        slug="submit",
    ),
    "approve": Transition(
        sources=frozenset({S.IN_REVIEW}),
        target=None,
        permission="content.review_post",
        slug="review",
        on_review_page=True,
    ),
    "request_changes": Transition(
        sources=frozenset({S.IN_REVIEW, S.PUBLISHED}),
        target=S.CHANGES_REQUESTED,
        permission="content.review_post",
        on_review_page=True,  # offered with the approval it is the alternative to
    ),
    "publish": Transition(
        sources=frozenset({S.IN_REVIEW}),
        target=S.PUBLISHED,
        permission="content.publish_post",
        own_post=True,
        slug="publish",
    ),
    "re_approve": Transition(
        sources=_PUBLISHED_TEXT,
        target=None,
        permission="content.review_post",
        slug="re_review",
        on_review_page=True,
        needs_published_text=True,
        offered_in=frozenset({S.PUBLISHED}),
    ),
    "withdraw": Transition(
        sources=_PUBLISHED_TEXT,
        target=S.WITHDRAWN,
        permission="content.withdraw_post",
        slug="withdraw",
        needs_published_text=True,
    ),
    "archive": Transition(
        sources=frozenset({S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.PUBLISHED, S.WITHDRAWN}),
        target=S.ARCHIVED,
        permission="content.withdraw_post",
        slug="archive",
    ),
    "unarchive": Transition(
        sources=frozenset({S.ARCHIVED}),
        target=S.DRAFT,
        permission="content.withdraw_post",
        slug="unarchive",
    ),
}

# The verb of each action as a refusal says it ("You cannot {action} a post that is {state}.").
ACTION_VERBS = {
    "submit_for_review": pgettext_lazy("refused action", "submit for review"),
    "approve": pgettext_lazy("refused action", "approve"),
    "request_changes": pgettext_lazy("refused action", "request changes"),
    "publish": pgettext_lazy("refused action", "publish"),
    "re_approve": pgettext_lazy("refused action", "re-approve"),
    "withdraw": pgettext_lazy("refused action", "withdraw"),
    "archive": pgettext_lazy("refused action", "archive"),
    "unarchive": pgettext_lazy("refused action", "unarchive"),
}


def verb(action: str) -> str:
    """`action` (a key of ALLOWED_TRANSITIONS) as a verb in the active language."""
    return str(ACTION_VERBS.get(action, action.replace("_", " ")))
