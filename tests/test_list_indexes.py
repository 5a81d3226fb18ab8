"""On PostgreSQL the editor's home reads the first rows of its longest lists from indexes
(migration 0021) rather than sorting every post in review or every repost: the query plan names
them. Sequential scans are switched off for the plan (with a test's few rows the planner would
rightly prefer one; what is asked is whether the index serves the order). SQLite's planner does
not use these partial indexes with the query's bound parameters, so there the test is skipped."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from content import home, reposts
from content.models import Post, PostState

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the indexes serve PostgreSQL's planner"
)


def plan_of(queryset: Any) -> str:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        return str(queryset.explain())


@pytest.mark.django_db
def test_the_team_queue_reads_its_first_rows_from_the_queue_index() -> None:
    queue = home.alerts_first(Post.objects.filter(state=PostState.IN_REVIEW))[:10]
    assert "post_review_queue_order" in plan_of(queue)


@pytest.mark.django_db
def test_outdated_reposts_read_their_first_rows_newest_first_from_an_index() -> None:
    outdated = reposts.outdated_reposts().order_by("-posted_on", "-pk")[:10]
    assert "repost_open_newest_first" in plan_of(outdated)
