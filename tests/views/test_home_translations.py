"""The home and the lists of posts flag a translation behind its source ("source changed since
revision N", and whether that matters for safety), read for the whole list at once: the same
queries with 3 or 30 translations listed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content import translations
from content.models import Post
from tests.test_translations import publish, save, source_article, translated
from tests.views.test_pagination import PAGE, posts_like

HOME = reverse("content:dashboard")
FLAG = "source changed since revision 3"


@pytest.fixture(autouse=True)
def page_size(settings: Any) -> None:
    settings.STUDIO_PAGE_SIZE = PAGE


@pytest.fixture
def source(author: Any, reviewer: Any, english: Any) -> Post:
    return source_article(author, reviewer, english)


@pytest.fixture
def dutch(source: Post, author: Any, reviewer: Any, languages: Any) -> Post:
    return translated(source, author, reviewer, languages)


def source_moves_on(source: Post, author: Any, reviewer: Any, *, safety: bool) -> None:
    save(source, author, body="Now 280 mg.", safety_relevant=safety, public_change_note="Dose.")
    publish(source, author, reviewer)


def home_of(client: Any, user: Any, **params: str) -> tuple[int, str]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(HOME, params).content.decode()
    return len(captured.captured_queries), page


def test_the_home_flags_a_translation_behind_a_safety_change_of_its_source(
    client: Any, author: Any, reviewer: Any, source: Post, dutch: Post
) -> None:
    _, before = home_of(client, author)
    assert FLAG not in before  # up to date: nothing to flag
    source_moves_on(source, author, reviewer, safety=True)
    _, page = home_of(client, author)
    row = page.split(dutch.title)[1].split("</tr>")[0]
    assert FLAG in row and "matters for safety" in row
    source_row = page.split(f">{source.title}</a>")[1].split("</tr>")[0]
    assert "source changed" not in source_row  # the source itself follows nothing


def test_a_change_that_does_not_matter_for_safety_is_flagged_without_the_warning(
    client: Any, author: Any, reviewer: Any, source: Post, dutch: Post
) -> None:
    source_moves_on(source, author, reviewer, safety=False)
    _, page = home_of(client, author, show="mine")
    row = page.split(dutch.title)[1].split("</tr>")[0]
    assert FLAG in row and "matters for safety" not in row


@pytest.mark.parametrize("safety", [True, False])
def test_the_list_flags_what_drift_finds_post_by_post(
    author: Any, reviewer: Any, source: Post, dutch: Post, languages: Any, safety: bool
) -> None:
    source_moves_on(source, author, reviewer, safety=safety)
    french = translations.translate_post(source=source, language=languages["fr"], actor=author)
    rows = list(Post.objects.for_list().order_by("pk"))
    translations.flag_behind(rows)
    assert [(post.pk, post.source_drift) for post in rows] == [
        (post.pk, translations.drift(post)) for post in rows
    ]
    by_pk = {post.pk: post.source_drift for post in rows}
    assert by_pk[source.pk] is None and by_pk[french.pk] is None  # french follows revision 4
    assert by_pk[dutch.pk] is not None and by_pk[dutch.pk].safety is safety


def queries_with_translations_behind(
    client: Any, author: Any, reviewer: Any, source: Post, dutch: Post, count: int
) -> tuple[int, str]:
    source_moves_on(source, author, reviewer, safety=True)
    posts_like(dutch, count - 1)  # each a copy of the Dutch revision, translating revision 3
    return home_of(client, author)


@pytest.mark.parametrize("count", [3, 30])
def test_the_flags_cost_the_same_queries_with_3_or_30_translations_listed(
    client: Any, author: Any, reviewer: Any, source: Post, dutch: Post, count: int
) -> None:
    up_to_date, _ = home_of(client, author)  # one query reads the revision Dutch translates
    queries, page = queries_with_translations_behind(client, author, reviewer, source, dutch, count)
    # Once the source moved on, two more: the kinds' policies and the source's revisions
    # marked as safety changes, whatever the number of rows.
    assert queries == up_to_date + 2
    assert page.count(FLAG) == min(count, PAGE)


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_of_posts_flags_with_the_same_queries_for_3_or_30(
    client: Any, author: Any, reviewer: Any, source: Post, dutch: Post, count: int
) -> None:
    up_to_date, _ = home_of(client, author, show="mine")
    source_moves_on(source, author, reviewer, safety=True)
    posts_like(dutch, count - 1)
    queries, page = home_of(client, author, show="mine")
    assert queries == up_to_date + 2
    # The newest first: the copies, then the source and the Dutch translation.
    assert page.count(FLAG) == (count if count < PAGE else PAGE)
