"""The review discussion in the studio: the post page, the review page, the timeline, and the
POST endpoints' answers (redirect to the comment, 400 with the text kept, 403, 404, CSRF)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from content import discussion, workflow
from content.models import Comment, Post
from tests.workflow_helpers import edit

BODY = "Is 'frequent' weekly or daily?\nReaders will ask."


def comment_url(post: Post, number: int | None = None) -> str:
    number = number or Post.objects.get(pk=post.pk).latest_revision.number
    return reverse("content:comment_add", args=[post.pk, number])


def logged_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_an_author_comments_on_the_post_page_and_lands_on_the_comment(client, post, author):
    page = logged_in(client, author).get(post.get_absolute_url()).content.decode()
    assert f'action="{comment_url(post)}"' in page
    answer = client.post(comment_url(post), {"body": BODY, "back": "post"})
    written = Comment.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"{post.get_absolute_url()}#comment-{written.pk}"
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'id="comment-{written.pk}"' in page
    assert "Is &#x27;frequent&#x27; weekly or daily?<br>Readers will ask." in page  # lines kept
    assert "Discussion (1 open)" in page  # the header's count


def test_a_reviewer_comments_on_the_review_page_with_a_quote(client, post, author, reviewer):
    workflow.submit_for_review(post=post, actor=author)
    review = reverse("content:review_post", args=[post.pk])
    assert 'class="comment-form"' in logged_in(client, reviewer).get(review).content.decode()
    answer = client.post(
        comment_url(post), {"body": "Say how often.", "quote": "Frequent use", "back": "review"}
    )
    written = Comment.objects.get()
    assert answer["Location"] == f"{review}#comment-{written.pk}"
    page = client.get(review).content.decode()
    quoted = r'<blockquote class="quote">Frequent use</blockquote>\s*<p class="comment-meta">'
    assert re.search(quoted + "<strong>reviewer</strong>", page)


def test_a_comment_with_markup_is_shown_escaped(client, post, author) -> None:
    logged_in(client, author).post(comment_url(post), {"body": "<script>alert(1)</script>"})
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_quote_button_is_a_script_file_the_csp_allows(client, post, author) -> None:
    answer = logged_in(client, author).get(post.get_absolute_url())
    page = answer.content.decode()
    assert '<script src="/static/content/discussion.js" defer></script>' in page
    assert re.search(r'<button type="button" class="link quote-selection" hidden>', page)
    assert "script-src 'self'" in answer["Content-Security-Policy"]
    assert "<script>" not in page  # nothing inline


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            {"body": "About this.", "quote": "words that are not there"},
            "does not occur in revision 1",
        ),
        ({"body": "   ", "quote": ""}, "it is empty"),
        ({"body": "x" * 5001, "quote": ""}, "at most 5000 characters"),
    ],
)
def test_a_refused_comment_names_the_problem_and_keeps_the_text(
    client, post, author, data, problem
):
    answer = logged_in(client, author).post(comment_url(post), data | {"back": "post"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert problem in page and "your text is kept below" in page
    assert data["body"] in page
    assert data["quote"] in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["other_author", "anonymous", "deactivated"])
def test_who_may_not_comment_is_refused(request, client, post, make_user, who) -> None:
    if who == "other_author":
        logged_in(client, request.getfixturevalue("other_author"))
    elif who == "deactivated":
        gone = make_user("gone", "Reviewers")
        logged_in(client, gone)
        gone.is_active = False
        gone.save()
    answer = client.post(comment_url(post), {"body": BODY})
    if who == "other_author":
        assert answer.status_code == 403
        assert 'class="comment-form"' not in client.get(post.get_absolute_url()).content.decode()
    else:  # signed out: the session of a deactivated account no longer counts
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()


def test_an_unknown_revision_or_post_is_404_and_get_is_not_allowed(client, post, author):
    logged_in(client, author)
    assert client.post(comment_url(post, 9), {"body": BODY}).status_code == 404
    url = reverse("content:comment_add", args=[post.pk + 100, 1])
    assert client.post(url, {"body": BODY}).status_code == 404
    assert client.get(comment_url(post)).status_code == 405


def test_the_forms_need_the_csrf_token(post, author) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post(comment_url(post), {"body": BODY}).status_code == 403
    thread = discussion.add_comment(
        post=post, revision=post.latest_revision, actor=author, body=BODY
    )
    url = reverse("content:comment_resolve", args=[post.pk, thread.pk])
    assert client.post(url).status_code == 403
    assert not hasattr(Comment.objects.get(), "resolution")


def test_replies_and_resolution_through_the_pages(client, post, author, reviewer, other_author):
    thread = discussion.add_comment(
        post=post, revision=post.latest_revision, actor=reviewer, body=BODY
    )
    logged_in(client, author).post(
        comment_url(post), {"body": "Daily.", "parent": thread.pk, "back": "post"}
    )
    assert Comment.objects.get(parent=thread).body == "Daily."
    resolve = reverse("content:comment_resolve", args=[post.pk, thread.pk])
    assert logged_in(client, other_author).post(resolve).status_code == 403
    answer = logged_in(client, author).post(resolve, {"back": "post"})
    assert answer["Location"].endswith(f"#comment-{thread.pk}")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Resolved by author on" in page
    assert "Mark resolved" not in page and "Discussion (1 open)" not in page


def test_earlier_revisions_comments_stay_listed_with_their_number(client, post, author, reviewer):
    discussion.add_comment(
        post=post,
        revision=post.latest_revision,
        actor=reviewer,
        body="Cite the EUDA.",
        quote="the bladder",
    )
    edit(post, author)
    page = logged_in(client, author).get(post.get_absolute_url()).content.decode()
    assert "No comments on revision 2 yet." in page
    on_one = page.index("On other revisions")
    assert page.index("on revision 1", on_one) < page.index("Cite the EUDA.", on_one)
    # A reply to it goes on revision 1, whatever revision the page shows.
    thread = Comment.objects.get()
    assert f'action="{comment_url(post, 1)}"' in page
    client.post(comment_url(post, 1), {"body": "Done in 2.", "parent": thread.pk})
    assert Comment.objects.get(parent=thread).revision.number == 1


def test_the_timeline_shows_comments_and_resolutions(client, post, author, reviewer) -> None:
    thread = discussion.add_comment(
        post=post, revision=post.latest_revision, actor=reviewer, body="Cite <the> EUDA."
    )
    discussion.add_comment(
        post=post, revision=post.latest_revision, actor=author, body="Done.", parent=thread
    )
    discussion.resolve(comment=thread, actor=author)
    page = logged_in(client, author).get(reverse("content:post_timeline", args=[post.pk]))
    text = re.sub(r"\s+", " ", page.content.decode())
    link = f'<a href="{post.get_absolute_url()}#comment-{thread.pk}">'
    assert (
        f"<strong>Commented</strong> (revision 1) by reviewer : {link}“Cite &lt;the&gt; EUDA.”"
        in text
    )
    assert "<strong>Commented</strong> (revision 1) by author (a reply):" in text
    assert f"<strong>Comment resolved</strong> (revision 1) by author : {link}" in text
