"""Where an action is not offered because a rule is not met yet, the page says what is missing;
what it says is what the workflow answers (content.actions)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from content import actions, roles, states, workflow
from content.models import Post, PostKind, Review
from content.revisions import create_post
from tests.support import content_of
from tests.workflow_helpers import edit


def page(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def missing(html: str) -> str:
    found = re.search(r'<ul class="missing".*?</ul>', html)
    return found.group(0) if found else ""


def alert(author: Any, english: Any) -> Post:
    return create_post(
        author=author, language=english, kind=PostKind.DRUG_ALERT, content=content_of()
    )


def test_publish_is_not_offered_before_the_approvals_and_the_page_counts_them(
    client, author, reviewer, english
) -> None:
    post = workflow.submit_for_review(post=alert(author, english), actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    html = page(client, author, post.get_absolute_url())
    assert 'data-action="publish"' not in html
    assert "<strong>Publish:</strong> Revision 1 has 1 of the 2 approvals it needs." in missing(
        html
    )
    refused = actions.refusal("publish", Post.objects.get(pk=post.pk), author)
    assert refused is not None and refused.message in html


def test_a_reviewer_who_wrote_the_revision_is_told_another_must_approve_it(
    client, author, editor, english
) -> None:
    post = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())
    edit(post, editor, body="The editor's own words.")
    post = workflow.submit_for_review(post=Post.objects.get(pk=post.pk), actor=author)
    html = page(client, editor, post.get_absolute_url())
    assert "You wrote part of this text (revision 2)" in missing(html)
    review = page(client, editor, reverse("content:review_post", args=[post.pk]))
    assert 'data-action="approve"' not in review and 'data-action="request_changes"' in review
    assert "Another reviewer must. You can still request changes." in review


def test_a_reviewer_who_approved_is_told_so_and_not_offered_it_again(
    client, author, reviewer, english
) -> None:
    post = workflow.submit_for_review(post=alert(author, english), actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    html = page(client, reviewer, post.get_absolute_url())
    assert "You already approved revision 1." in missing(html)


def test_an_overdue_post_says_why_it_exports_only_as_a_preview(
    client, author, reviewer, editor, english
) -> None:
    post = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())
    post = states.bring_to_state(
        post, states.OVERDUE, author=author, reviewers=[reviewer], editor=editor
    )
    html = page(client, author, post.get_absolute_url())
    assert 'data-action="export_final"' not in html and ">Export a preview<" in html
    assert "<strong>Final export:</strong> The review of" in missing(html)


def test_an_approval_clicked_after_the_post_was_published_is_not_a_re_approval(
    client, author, reviewer, make_user, english
) -> None:
    post = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())
    post = workflow.submit_for_review(post=post, actor=author)
    shown = page(client, reviewer, reverse("content:review_post", args=[post.pk]))
    assert 'name="approval" value="approve"' in shown
    other = make_user("other", roles.REVIEWERS)
    workflow.approve(post=post, actor=other, revision_id=post.latest_revision_id)
    workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)
    response = client.post(
        reverse("content:review_post", args=[post.pk]),
        {"decision": "approve", "approval": "approve", "revision_id": post.latest_revision_id},
    )
    assert response.status_code == 409
    assert "your approval was not recorded" in response.content.decode()
    assert not Review.objects.filter(reviewer=reviewer).exists()


def test_a_person_without_the_role_is_refused_the_review_page_with_a_reason(
    client, author, english
) -> None:
    post = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())
    post = workflow.submit_for_review(post=post, actor=author)
    client.force_login(author)
    response = client.post(
        reverse("content:review_post", args=[post.pk]),
        {"decision": "approve", "revision_id": post.latest_revision_id},
    )
    assert response.status_code == 403
    assert "Only reviewers and editors review posts." in response.content.decode()
