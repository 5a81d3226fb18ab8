"""The editor's home costs the same few queries with 3 or 30 posts in every section, what is
scheduled included: its counts are counted by the database, all in one query, and each section
lists only its first rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content import home, states, workflow
from content.models import Post, Schedule, SigningKey
from tests.views.test_pagination import PAGE, People, copies, in_state, posts_like, reposted

HOME = reverse("content:dashboard")


@pytest.fixture(autouse=True)
def page_size(settings: Any) -> None:
    settings.STUDIO_PAGE_SIZE = PAGE


@pytest.fixture
def people(author: Any, other_author: Any, reviewer: Any, editor: Any, english: Any) -> People:
    return People(author, other_author, reviewer, editor, english)


def editor_home(people: People, count: int) -> None:
    """`count` posts in review, overdue, with an outdated repost, expiring keys and posts with
    a withdrawal scheduled."""
    posts_like(in_state(people, "in_review", "Queued"), count - 1)
    posts_like(in_state(people, states.OVERDUE, "Overdue"), count - 1)
    reposted(people, count)
    soon = timezone.now() + datetime.timedelta(days=3)
    SigningKey.objects.bulk_create(
        SigningKey(fingerprint=f"{n:040X}", label=f"Key {n}", expires=soon) for n in range(count)
    )
    published = in_state(people, "published", "Scheduled")
    planned = workflow.schedule(
        post=published,
        actor=people.editor,
        kind=Schedule.Kind.WITHDRAW,
        run_at=timezone.now() + datetime.timedelta(days=2),
        reason="The lab result is due.",
    )
    others = posts_like(published, count - 1)
    copies(planned, count - 1, post_id=lambda i: others[i].pk)


def queries_of_the_home(client: Any, people: People, count: int) -> tuple[int, str]:
    editor_home(people, count)
    client.force_login(people.editor)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(HOME).content.decode()
    return len(captured.captured_queries), page


@pytest.mark.parametrize("count", [3, 30])
def test_the_editor_home_runs_eleven_queries_with_3_or_30_posts_in_each_section(
    client: Any, people: People, count: int
) -> None:
    queries, page = queries_of_the_home(client, people, count)
    # The session, the user, their permissions (2), their roles, the navigation's counts; one
    # query counts every section; the first rows of the queue, overdue posts, outdated
    # reposts, keys and schedules.
    assert queries == 6 + 1 + 5
    assert page.count('<section class="home-section"') == 5
    if count > min(home.HOME_ROWS, PAGE):  # then each section links to all of its rows
        assert page.count(f"All {count}</a>") == 5


def test_the_editor_counts_are_the_database_s_counts(people: People) -> None:
    editor_home(people, 3)
    counts = home.count_together(
        people.editor,
        queue=Post.objects.filter(state="in_review"),
        pending=Schedule.objects.pending(),
        nothing=Post.objects.filter(state="archived"),
    )
    assert counts == {"queue": 3, "pending": 3, "nothing": 0}
