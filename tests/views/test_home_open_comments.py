"""The home's lists say how many review discussion threads of a post are open (replies and
resolved threads not counted), counted by the database for the whole list: the home runs the
same queries with 3 or 30 posts that have comments, and none more for them (the pins of
tests/views/test_home_queries.py hold too, as they run with the count on every row)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content import discussion, home
from content.models import Comment, CommentResolution, Post
from tests.views.test_pagination import PAGE, People, copies, in_state, posts_like

HOME = reverse("content:dashboard")


@pytest.fixture(autouse=True)
def page_size(settings: Any) -> None:
    settings.STUDIO_PAGE_SIZE = PAGE


@pytest.fixture
def people(author: Any, other_author: Any, reviewer: Any, editor: Any, english: Any) -> People:
    return People(author, other_author, reviewer, editor, english)


def discussed_posts(people: People, count: int) -> Post:
    """`count` posts in review, each with two open threads (one answered) and a resolved one;
    the first written through content.discussion, the others bulk copies of it."""
    post = in_state(people, "in_review", "Discussed")
    revision = Post.objects.get(pk=post.pk).expect_latest_revision()

    def say(actor: Any, body: str, **extra: Any) -> Comment:
        return discussion.add_comment(post=post, revision=revision, actor=actor, body=body, **extra)

    answered = say(people.reviewer, "Weekly or daily?", quote="Discussed")
    say(people.author, "Weekly.", parent=answered)
    unanswered = say(people.editor, "Add a source.")
    settled = say(people.reviewer, "Typo in the title.")
    resolution = discussion.resolve(comment=settled, actor=people.author)

    clones = posts_like(post, count - 1)
    for thread in (answered, unanswered):
        copies(
            thread,
            count - 1,
            post_id=lambda i: clones[i].pk,
            revision_id=lambda i: clones[i].latest_revision_id,
        )
    settled_copies = copies(
        settled,
        count - 1,
        post_id=lambda i: clones[i].pk,
        revision_id=lambda i: clones[i].latest_revision_id,
    )
    copies(resolution, count - 1, comment_id=lambda i: settled_copies[i].pk)
    return post


def open_home(client: Any, user: Any) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(HOME).content.decode()
    return len(captured.captured_queries), page


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_the_home_shows_open_comments_on_each_row_for_no_query_more(
    client: Any, people: People, role: str, count: int
) -> None:
    discussed_posts(people, count)
    assert CommentResolution.objects.count() == count
    queries, page = open_home(client, getattr(people, role))
    # The session, the user, their permissions (2), their roles, the navigation's counts; the
    # author's group counts, the rows in review, what is scheduled; the reviewer's waiting
    # count and rows, their decisions' count (none, so no rows). No query for the comments.
    assert queries == 6 + 3
    shown = min(count, home.HOME_ROWS, PAGE)
    assert page.count("2 open comments</a>") == shown


def test_the_link_leads_a_reviewer_to_the_review_page_and_an_author_to_the_post(
    client: Any, people: People
) -> None:
    post = discussed_posts(people, 1)
    _, page = open_home(client, people.reviewer)
    review = reverse("content:review_post", args=[post.pk])
    assert f'href="{review}#discussion">2 open comments</a>' in page
    _, page = open_home(client, people.author)
    assert f'href="{post.get_absolute_url()}#discussion">2 open comments</a>' in page


def test_the_editors_queue_and_the_dashboards_list_show_them_too(
    client: Any, people: People
) -> None:
    discussed_posts(people, 2)
    _, page = open_home(client, people.editor)
    assert page.count("2 open comments</a>") == 2
    client.force_login(people.author)
    page = client.get(HOME, {"show": "mine"}).content.decode()
    assert page.count("2 open comments</a>") == 2


def test_one_open_thread_is_one_open_comment_and_none_shows_nothing(
    client: Any, people: People
) -> None:
    post = in_state(people, "in_review", "Quiet")
    revision = Post.objects.get(pk=post.pk).expect_latest_revision()
    first = discussion.add_comment(
        post=post, revision=revision, actor=people.reviewer, body="One question."
    )
    _, page = open_home(client, people.author)
    assert "1 open comment</a>" in page
    discussion.resolve(comment=first, actor=people.author)
    _, page = open_home(client, people.author)
    assert "open comment" not in page
