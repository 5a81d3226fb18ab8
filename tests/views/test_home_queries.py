"""The home runs as many queries with 200 rows in every section as with 10, and shows a bounded
few of each; the lists it links to come in pages (as tests/views/test_pagination.py builds them:
a few rows through the services, the rest bulk copies)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from content import home, states, workflow
from content.models import Review, SigningKey
from tests.views.test_pagination import (
    PAGE,
    People,
    copies,
    in_state,
    new_post,
    posts_like,
    reposted,
    rows_on,
)

HOME = reverse("content:dashboard")


@pytest.fixture(autouse=True)
def page_size(settings: Any) -> None:
    settings.STUDIO_PAGE_SIZE = PAGE


@pytest.fixture
def people(author: Any, other_author: Any, reviewer: Any, editor: Any, english: Any) -> People:
    return People(author, other_author, reviewer, editor, english)


def author_home(people: People, count: int) -> Any:
    for state in ("draft", "changes_requested", "in_review", "published", states.OVERDUE):
        post = in_state(people, state, f"Post {state}")
        posts_like(post, count - 1)
    return people.author


def reviewer_home(people: People, count: int) -> Any:
    waiting = in_state(people, "in_review", "Waiting")
    posts_like(waiting, count - 1)
    judged = new_post(people, "Judged")
    judged = workflow.submit_for_review(post=judged, actor=people.author)
    workflow.approve(post=judged, actor=people.reviewer, revision_id=judged.latest_revision_id)
    copies(Review.objects.get(reviewer=people.reviewer), count - 1)
    return people.reviewer


def editor_home(people: People, count: int) -> Any:
    posts_like(in_state(people, "in_review", "Queued"), count - 1)
    posts_like(in_state(people, states.OVERDUE, "Overdue"), count - 1)
    reposted(people, count)
    soon = timezone.now() + datetime.timedelta(days=3)
    SigningKey.objects.bulk_create(
        SigningKey(fingerprint=f"{n:040X}", label=f"Key {n}", expires=soon) for n in range(count)
    )
    return people.editor


# Each: the session, the user, their permissions (2), their roles, the navigation's counts;
# then per section a count and its rows (the author's groups: one count for all five; the
# editor's sections, what is scheduled included, one count for all); authors one count more,
# for what is scheduled (a section shown only when there is some).
HOMES = {
    "author": (author_home, 6 + 1 + 5 + 1, 5),
    "reviewer": (reviewer_home, 6 + 2 + 2, 2),
    "editor": (editor_home, 6 + 1 + 4, 4),
}


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("role", HOMES)
def test_the_home_runs_the_same_queries_at_10_and_at_200_rows_and_shows_a_few(
    client: Any, people: People, role: str, rows: int, django_assert_num_queries: Any
) -> None:
    build, queries, sections = HOMES[role]
    client.force_login(build(people, rows))
    with django_assert_num_queries(queries):
        page = client.get(HOME).content.decode()
    assert page.count('<section class="home-section"') == sections
    shown = min(home.HOME_ROWS, PAGE)
    assert page.count("<tr>") == sections * (1 + shown)  # a header and a few rows each
    assert f"All {rows}</a>" in page


LISTS = {
    "decisions": (reviewer_home, {"show": "decisions"}, 7),
    "my-overdue": (author_home, {"show": "mine", "state": "overdue"}, 7),
    "team-queue": (editor_home, {"show": "all", "state": "in_review"}, 7),
}


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("name", LISTS)
def test_the_lists_the_home_links_to_come_in_pages_with_constant_queries(
    client: Any, people: People, name: str, rows: int, django_assert_num_queries: Any
) -> None:
    build, params, queries = LISTS[name]
    client.force_login(build(people, rows))
    with django_assert_num_queries(queries):
        response = client.get(HOME, params)
    assert rows_on(response) == PAGE
    assert "Page 1 of" in response.content.decode()
