"""Each domain rule has one home on the model or queryset, and gives the right answer in each state.

The rules: a post is *offline* (withdrawn or archived); its public page answers 200, 404 or 410;
its review is *overdue*; its published text is *in force* (may be exported as final and
reposted); an approval counts only for the content it judged. Each has a Python home on Post
(or Review's queryset) and, where lists need it, a query twin that must agree with it.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from content import exports, roles, workflow
from content.models import Post, PostKind, PostState, Review
from content.models.posts import NOT_PUBLISHED, REVIEW_OVERDUE
from content.revisions import create_post
from tests.support import content_of
from tests.workflow_helpers import approve_all, edit, publish

S = PostState
CONTENT = Path(__file__).resolve().parent.parent / "content"


@dataclasses.dataclass(frozen=True)
class People:
    reviewer: Any
    editor: Any


def _published_long_ago(post: Post, people: People) -> Post:
    """Published 400 days ago through the real workflow (an import), so its review is overdue."""
    workflow.submit_for_review(post=post, actor=post.created_by)
    approve_all(post, people.reviewer)
    back = timezone.now() - datetime.timedelta(days=400)
    return workflow.publish(
        post=post, actor=post.created_by, revision_id=post.latest_revision_id, at=back
    )


def _newer_draft(post: Post) -> Post:
    edit(post, post.created_by)
    return post


def _changes_requested(post: Post, people: People) -> Post:
    workflow.submit_for_review(post=post, actor=post.created_by)
    workflow.request_changes(
        post=post, actor=people.reviewer, revision_id=post.latest_revision_id, reason="Cite it."
    )
    return post


def _withdrawn(post: Post, people: People) -> Post:
    post = publish(post, [people.reviewer])
    return workflow.withdraw(post=post, actor=people.editor, reason="Wrong dose.")


BUILD: dict[str, Callable[[Post, People], Any]] = {
    "draft": lambda post, people: post,
    "in review": lambda post, people: workflow.submit_for_review(post=post, actor=post.created_by),
    "changes requested": _changes_requested,
    "published": lambda post, people: publish(post, [people.reviewer]),
    "published, newer draft": lambda post, people: _newer_draft(publish(post, [people.reviewer])),
    "published, newer draft in review": lambda post, people: workflow.submit_for_review(
        post=_newer_draft(publish(post, [people.reviewer])), actor=post.created_by
    ),
    "published, review overdue": _published_long_ago,
    "published, review overdue, newer draft": lambda post, people: _newer_draft(
        _published_long_ago(post, people)
    ),
    "withdrawn": _withdrawn,
    "withdrawn, resubmitted": lambda post, people: workflow.submit_for_review(
        post=_withdrawn(post, people), actor=post.created_by
    ),
    "archived after publication": lambda post, people: workflow.archive(
        post=publish(post, [people.reviewer]), actor=people.editor
    ),
    "archived as a draft": lambda post, people: workflow.archive(post=post, actor=people.editor),
}

# situation -> (offline, public status, overdue, why not in force ("" = in force), blocker)
EXPECTED: dict[str, tuple[bool, int, bool, str, str]] = {
    "draft": (False, 404, False, NOT_PUBLISHED, exports.ERROR_NO_TEXT),
    "in review": (False, 404, False, NOT_PUBLISHED, exports.ERROR_NO_TEXT),
    "changes requested": (False, 404, False, NOT_PUBLISHED, exports.ERROR_NO_TEXT),
    "published": (False, 200, False, "", ""),
    "published, newer draft": (False, 200, False, "", ""),
    "published, newer draft in review": (False, 200, False, "", ""),
    "published, review overdue": (False, 200, True, REVIEW_OVERDUE, exports.ERROR_OVERDUE),
    "published, review overdue, newer draft": (
        False,
        200,
        True,
        REVIEW_OVERDUE,
        exports.ERROR_OVERDUE,
    ),
    "withdrawn": (True, 410, False, S.WITHDRAWN, exports.ERROR_WITHDRAWN),
    "withdrawn, resubmitted": (False, 404, False, NOT_PUBLISHED, exports.ERROR_NO_TEXT),
    "archived after publication": (True, 410, False, S.ARCHIVED, exports.ERROR_ARCHIVED),
    "archived as a draft": (True, 410, False, S.ARCHIVED, exports.ERROR_ARCHIVED),
}


# situation -> the workflow state the post is in
STATE_OF = {
    "draft": S.DRAFT,
    "in review": S.IN_REVIEW,
    "changes requested": S.CHANGES_REQUESTED,
    "published": S.PUBLISHED,
    "published, newer draft": S.DRAFT,
    "published, newer draft in review": S.IN_REVIEW,
    "published, review overdue": S.PUBLISHED,
    "published, review overdue, newer draft": S.DRAFT,
    "withdrawn": S.WITHDRAWN,
    "withdrawn, resubmitted": S.IN_REVIEW,
    "archived after publication": S.ARCHIVED,
    "archived as a draft": S.ARCHIVED,
}


@pytest.fixture
def in_situation(post: Post, reviewer: Any, editor: Any) -> Callable[[str], Post]:
    def bring(situation: str) -> Post:
        BUILD[situation](post, People(reviewer, editor))
        return Post.objects.select_related("published_revision", "language").get(pk=post.pk)

    return bring


def test_the_table_covers_every_state() -> None:
    assert set(BUILD) == set(EXPECTED) == set(STATE_OF)
    assert set(STATE_OF.values()) == set(S.values)


def test_offline_is_exactly_withdrawn_or_archived() -> None:
    assert frozenset({S.WITHDRAWN, S.ARCHIVED}) == S.OFFLINE
    assert "withdrawn" in S.OFFLINE and "published" not in S.OFFLINE
    assert "OFFLINE" not in S.__members__  # a rule about states, not a state a post can be in


@pytest.mark.parametrize("situation", EXPECTED)
def test_the_post_answers_each_rule_for_each_situation(
    in_situation: Callable[[str], Post], situation: str
) -> None:
    post = in_situation(situation)
    offline, status, overdue, because, _ = EXPECTED[situation]
    assert post.state == STATE_OF[situation]
    assert post.offline is offline
    assert post.public_status == status
    assert post.is_overdue is overdue
    assert post.not_in_force_because() == because
    assert post.in_force is (because == "")


@pytest.mark.parametrize("situation", EXPECTED)
def test_the_queryset_twins_agree_with_the_post(
    in_situation: Callable[[str], Post], situation: str
) -> None:
    post = in_situation(situation)

    def listed(queryset: Any) -> bool:
        return queryset.filter(pk=post.pk).exists()

    assert listed(Post.objects.offline()) is post.offline
    assert listed(Post.objects.published()) is (post.public_status == 200)
    assert listed(Post.objects.overdue()) is post.is_overdue
    assert listed(Post.objects.in_force()) is post.in_force


@pytest.mark.parametrize("situation", EXPECTED)
def test_the_public_page_and_final_exports_follow_the_post_rules(
    in_situation: Callable[[str], Post], situation: str, client: Any
) -> None:
    post = in_situation(situation)
    *_, blocker = EXPECTED[situation]
    assert client.get(post.get_public_url()).status_code == post.public_status
    title = post.published_revision.title if post.published_revision_id else post.title
    assert exports.final_blocker(post) == blocker.format(title=title, due=post.review_due)


def test_a_review_falls_overdue_the_day_after_its_due_date_in_model_and_query(
    in_situation: Callable[[str], Post],
) -> None:
    post = in_situation("published")
    due = post.review_due
    after = due + datetime.timedelta(days=1)
    assert not post.is_overdue_on(due) and post.in_force
    assert post.is_overdue_on(after)
    assert post.not_in_force_because(after) == REVIEW_OVERDUE
    assert list(Post.objects.overdue(due)) == [] and list(Post.objects.in_force(due)) == [post]
    assert list(Post.objects.overdue(after)) == [post] and list(Post.objects.in_force(after)) == []
    assert exports.final_blocker(post, today=after) == exports.ERROR_OVERDUE.format(
        title=post.published_revision.title, due=due
    )


# --- Approvals of exactly this content ------------------------------------------------------


@pytest.fixture
def second_reviewer(make_user: Callable[..., Any]) -> Any:
    return make_user("second_reviewer", roles.REVIEWERS)


def test_approvals_count_each_reviewer_of_exactly_this_revision_once(
    post: Post, reviewer: Any, second_reviewer: Any
) -> None:
    workflow.submit_for_review(post=post, actor=post.created_by)
    first = post.latest_revision
    approve_all(post, reviewer)
    edit(post, post.created_by)  # a new revision starts with no approvals
    post.refresh_from_db()
    second = post.latest_revision
    approve_all(post, reviewer, second_reviewer)
    assert Review.objects.approvals_of(first).approver_count() == 1
    assert Review.objects.approvals_of(second).approver_count() == 2
    assert workflow.approvals(second) == 2


def test_a_review_of_other_content_or_asking_for_changes_is_no_approval(
    post: Post, reviewer: Any, second_reviewer: Any
) -> None:
    workflow.submit_for_review(post=post, actor=post.created_by)
    revision = post.latest_revision
    workflow.request_changes(
        post=post, actor=second_reviewer, revision_id=revision.pk, reason="Cite it."
    )
    # A row that names this revision but another hash (never written by the workflow): the hash
    # binds an approval to content, so it must not count.
    Review.objects.create(
        post=post,
        revision=revision,
        content_hash="0" * 64,
        reviewer=reviewer,
        decision=Review.Decision.APPROVE,
    )
    assert Review.objects.approvals_of(revision).approver_count() == 0
    annotated = Post.objects.with_revisions().get(pk=post.pk)
    assert annotated.approval_count == 0


def test_the_workflow_the_studio_list_and_the_public_page_count_the_same_approvals(
    post: Post, reviewer: Any, second_reviewer: Any, author: Any, client: Any
) -> None:
    workflow.submit_for_review(post=post, actor=author)
    approve_all(post, reviewer, second_reviewer)
    revision = post.latest_revision
    assert Post.objects.with_revisions().get(pk=post.pk).approval_count == 2
    workflow.publish(post=post, actor=author, revision_id=revision.pk)
    response = client.get(reverse("public:post", args=[post.language.code, post.slug]))
    assert response.context["approvals"] == 2 == workflow.approvals(revision)


def test_with_revisions_counts_approvals_per_post_in_one_query(
    author: Any, english: Any, reviewer: Any, second_reviewer: Any, django_assert_num_queries: Any
) -> None:
    counts = {}
    for number, reviewers in enumerate([(), (reviewer,), (reviewer, second_reviewer)]):
        content = content_of(title=f"T{number}")
        post = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content)
        workflow.submit_for_review(post=post, actor=author)
        approve_all(post, *reviewers)
        counts[post.pk] = len(reviewers)
    with django_assert_num_queries(1):
        found = {p.pk: p.approval_count for p in Post.objects.with_revisions()}
    assert found == counts


# --- The old spellings cannot creep back --------------------------------------------------------

# rule -> (pattern of a spelled-out copy, the one file allowed to hold it)
SPELLED_OUT = {
    "offline pair": (
        r"(PostState|S)\.(WITHDRAWN|ARCHIVED)\s*,\s*(PostState|S)\.(WITHDRAWN|ARCHIVED)"
        r"|state\s*==\s*[\"'](withdrawn|archived)[\"']\s+or\s+\S+\s*==\s*[\"'](withdrawn|archived)",
        "models/posts.py",
    ),
    "review overdue": (r"review_due\s*<|review_due__lt", "models/posts.py"),
    "approvals of this hash": (
        r"filter\([^)]*Decision\.APPROVE[^)]*content_hash",
        "models/workflow.py",
    ),
}


def _sources() -> list[Path]:
    files = [*CONTENT.rglob("*.py"), *CONTENT.rglob("*.html")]
    return [path for path in files if "migrations" not in path.parts]


@pytest.mark.parametrize("rule", SPELLED_OUT)
def test_each_rule_is_spelled_out_only_in_its_home(rule: str) -> None:
    pattern, home = SPELLED_OUT[rule]
    found = [
        str(path.relative_to(CONTENT))
        for path in _sources()
        if re.search(pattern, path.read_text(encoding="utf-8"), re.DOTALL)
    ]
    assert found == [home]


def test_the_spelling_check_would_catch_the_old_copies() -> None:
    old = {
        "offline pair": "if post.state in {PostState.WITHDRAWN, PostState.ARCHIVED}:",
        "review overdue": "post.review_due < (today or timezone.localdate())",
        "approvals of this hash": (
            "Review.objects.filter(\n    revision=revision, decision=Review.Decision.APPROVE, "
            "content_hash=revision.content_hash\n)"
        ),
    }
    for rule, text in old.items():
        assert re.search(SPELLED_OUT[rule][0], text, re.DOTALL), rule
    template = '{% if repost.post.state == "withdrawn" or repost.post.state == "archived" %}'
    assert re.search(SPELLED_OUT["offline pair"][0], template)
