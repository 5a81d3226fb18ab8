"""A button is shown exactly when the workflow accepts it: for every scene (each state of the
workflow's table, with none or enough approvals, a published text or not, overdue, four eyes) and
every role, each action of the table (content.transitions.ALLOWED_TRANSITIONS, plus a final
export) is POSTed through the studio as the page would post it. What the post page (and the
review page it links to) shows is accepted; what it does not show is refused with 403 or 409 and
a message, and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from content import actions, states, workflow
from content.models import AuditEvent, Post, PostKind, PostState, Review
from content.revisions import create_post
from content.transitions import ALLOWED_TRANSITIONS
from tests.support import content_of
from tests.workflow_helpers import edit

S = PostState
ROLES = ("author", "other_author", "reviewer", "editor")
# Every action of the table, and the final export the post page links to.
ACTIONS = (*ALLOWED_TRANSITIONS, actions.EXPORT_FINAL)


@dataclass(frozen=True)
class Scene:
    state: str  # a named state of content.states
    kind: str = PostKind.ARTICLE  # an article needs 1 approval, a drug alert 2
    approvals: int = 0  # by a second reviewer (and a third), not by the people under test
    approved_by_reviewer: bool = False
    latest_by_editor: bool = False  # four eyes: the editor wrote the revision in review
    draft_over_published: bool = False  # a published text with a newer draft


# Every state of the table, and the variants its rules tell apart.
SCENES = {state: Scene(state) for state in S.values} | {
    "in_review_approved": Scene(S.IN_REVIEW, approvals=1),
    "alert_1_of_2": Scene(S.IN_REVIEW, kind=PostKind.DRUG_ALERT, approvals=1),
    "alert_2_of_2": Scene(S.IN_REVIEW, kind=PostKind.DRUG_ALERT, approvals=2),
    "approved_by_reviewer": Scene(S.IN_REVIEW, approved_by_reviewer=True),
    "written_by_editor": Scene(S.IN_REVIEW, latest_by_editor=True),
    "published_newer_draft": Scene(states.PUBLISHED_NEWER_DRAFT),
    "published_then_edited": Scene(S.PUBLISHED, draft_over_published=True),
    "overdue": Scene(states.OVERDUE),
}


def test_the_scenes_cover_every_state_of_the_table() -> None:
    sources = set().union(*(t.sources for t in ALLOWED_TRANSITIONS.values()))
    assert sources <= {scene.state for scene in SCENES.values()}


def build(scene: Scene, people: dict[str, Any], make_user: Callable[..., Any]) -> Post:
    others = [make_user(f"r{n}", "Reviewers") for n in (2, 3)]
    post = create_post(
        author=people["author"],
        language=people["english"],
        kind=scene.kind,
        content=content_of(title="Ketamine and the bladder"),
    )
    post = states.bring_to_state(
        post,
        scene.state,
        author=people["author"],
        reviewers=others if scene.kind == PostKind.DRUG_ALERT else others[:1],
        editor=people["editor"],
        reason="Cite a source for the dose.",
        newer_text="\n\nA newer paragraph.",
    )
    post = Post.objects.get(pk=post.pk)
    if scene.draft_over_published:
        edit(post, people["author"], body="A newer draft.")
    if scene.latest_by_editor:
        edit(post, people["editor"], body="The editor's own words.")
    post = Post.objects.get(pk=post.pk)
    for reviewer in others[: scene.approvals]:
        workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    if scene.approved_by_reviewer:
        workflow.approve(post=post, actor=people["reviewer"], revision_id=post.latest_revision_id)
    return Post.objects.get(pk=post.pk)


ACTION = re.compile(r'data-action="(\w+)"')


def shown(client: Any, post: Post) -> set[str]:
    """The actions the post page offers, and those of the review page if it links there."""
    page = client.get(post.get_absolute_url()).content.decode()
    found = set(ACTION.findall(page))
    review_url = reverse("content:review_post", args=[post.pk])
    if f'href="{review_url}"' in page:
        review = client.get(review_url)
        assert review.status_code == 200
        found |= set(ACTION.findall(review.content.decode()))
    return found


def perform(client: Any, post: Post, action: str) -> Any:
    """POST `action` as the studio's page would."""
    judged = post.latest_revision_id
    if action == "re_approve":  # the published text, or none (0 is no revision's id)
        judged = post.published_revision_id or 0
    elif action == "request_changes" and post.state != S.IN_REVIEW:
        judged = post.published_revision_id or post.latest_revision_id
    review_url = reverse("content:review_post", args=[post.pk])
    if action in ("approve", "re_approve"):
        data = {"decision": "approve", "approval": action, "revision_id": judged}
        return client.post(review_url, data)
    if action == "request_changes":
        data = {"decision": "request_changes", "revision_id": judged, "reason": "Cite it."}
        return client.post(review_url, data)
    if action == actions.EXPORT_FINAL:
        url = reverse("content:post_export", args=[post.pk])
        return client.post(url, {"profile": "phpbb", "version": "final", "show": "1"})
    slug = ALLOWED_TRANSITIONS[action].slug
    url = reverse("content:post_action", args=[post.pk, slug])
    return client.post(url, {"revision_id": judged, "reason": "Wrong dose."})


def footprint(post: Post) -> tuple[Any, ...]:
    row = Post.objects.values_list("state", "published_revision", "review_due").get(pk=post.pk)
    return (*row, Review.objects.filter(post=post).count())


MESSAGE = re.compile(r'<(?:p class="errors" role="alert"|li class="error" role="status")>\s*\S')


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", SCENES)
def test_every_action_shown_is_accepted_and_every_other_is_refused(
    name, role, client, request, make_user, export_settings
) -> None:
    people = {n: request.getfixturevalue(n) for n in (*ROLES, "english")}
    post = build(SCENES[name], people, make_user)
    client.force_login(people[role])
    offered = shown(client, post)
    assert offered <= set(ACTIONS)
    for action in ACTIONS:
        before_state, before_events = footprint(post), AuditEvent.objects.count()
        with transaction.atomic():
            response = perform(client, post, action)
            after_state, after_events = footprint(post), AuditEvent.objects.count()
            transaction.set_rollback(True)  # the next action starts from the same scene
        case = f"{action} by {role} on {name}"
        if action in offered:
            if action == actions.EXPORT_FINAL:
                assert response.status_code == 200, case
                assert b'class="errors"' not in response.content, case
            else:
                assert response.status_code == 302, case
                assert after_state != before_state, case
            assert after_events > before_events, case
        else:
            # A refusal is 403 (who the person is) or 409 (where the post stands), on the
            # export page as on the workflow's pages.
            assert response.status_code in (403, 409), case
            if action != actions.EXPORT_FINAL or response.status_code != 403:
                # (Django's bare 403 page answers a reviewer's final export, as before.)
                assert MESSAGE.search(response.content.decode()), case
            assert (after_state, after_events) == (before_state, before_events), case
