"""The list of what is scheduled, which the home's section links to: in pages, soonest first,
with as many queries for 10 schedules as for 40; an editor sees every pending schedule, an
author those on their own posts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.models import Post, Schedule
from tests.views.test_pagination import PAGE, People, copies, in_state, posts_like, rows_on

LIST = reverse("content:dashboard") + "?show=scheduled"


@pytest.fixture(autouse=True)
def page_size(settings: Any) -> None:
    settings.STUDIO_PAGE_SIZE = PAGE


@pytest.fixture
def people(author: Any, other_author: Any, reviewer: Any, editor: Any, english: Any) -> People:
    return People(author, other_author, reviewer, editor, english)


def withdrawals(people: People, count: int, *, title: str = "Timed") -> list[Post]:
    """`count` published posts by the author, each with a withdrawal scheduled, an hour apart."""
    first = in_state(people, "published", title)
    soon = timezone.now() + datetime.timedelta(days=1)
    planned = workflow.schedule(
        post=first,
        actor=people.editor,
        kind=Schedule.Kind.WITHDRAW,
        run_at=soon,
        reason="The festival ends.",
    )
    others = posts_like(first, count - 1)
    copies(
        planned,
        count - 1,
        post_id=lambda i: others[i].pk,
        run_at=lambda i: soon + datetime.timedelta(hours=i + 1),
    )
    return [first, *others]


def test_the_list_comes_in_pages_soonest_first_and_page_one_has_one_address(
    client: Any, people: People
) -> None:
    posts = withdrawals(people, 2 * PAGE + 1)
    client.force_login(people.editor)
    first = client.get(LIST)
    assert rows_on(first) == PAGE
    page = first.content.decode()
    assert "Page 1 of 3" in page
    assert page.index(f"{posts[0].slug}<") < page.index(f"{posts[1].slug}<")
    assert 'href="?show=scheduled&amp;page=2"' in page
    second = client.get(LIST + "&page=2").content.decode()
    assert 'href="?show=scheduled"' in second and "page=1" not in second


def test_the_home_section_links_to_the_list(client: Any, people: People) -> None:
    withdrawals(people, 12)
    client.force_login(people.editor)
    home_page = client.get(reverse("content:dashboard")).content.decode()
    assert 'href="/studio/?show=scheduled"' in home_page


@pytest.mark.parametrize("count", [10, 40])
def test_the_list_runs_the_same_queries_for_10_or_40_schedules(
    client: Any, people: People, count: int
) -> None:
    withdrawals(people, count)
    client.force_login(people.editor)
    with CaptureQueriesContext(connection) as captured:
        assert rows_on(client.get(LIST)) == PAGE
    # The session, the user, their permissions (2), their roles, the navigation's counts;
    # the count of the list and its page of rows.
    assert len(captured.captured_queries) == 6 + 2


def test_an_author_sees_what_is_scheduled_on_their_own_posts_only(
    client: Any, people: People
) -> None:
    withdrawals(people, 2)
    theirs = in_state(people, "published", "Not mine")
    Post.objects.filter(pk=theirs.pk).update(created_by=people.other_author)
    workflow.schedule(
        post=Post.objects.get(pk=theirs.pk),
        actor=people.editor,
        kind=Schedule.Kind.WITHDRAW,
        run_at=timezone.now() + datetime.timedelta(days=3),
        reason="Done.",
    )
    client.force_login(people.author)
    page = client.get(LIST).content.decode()
    assert rows_on(client.get(LIST)) == 2
    assert theirs.slug not in page
