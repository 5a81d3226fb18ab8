"""The editor's home lists have their indexes (migration 0021): the team queue's order (drug
alerts first, longest waiting) over posts in review, and open reposts newest first. Whether the
planner uses them depends on the table's size and statistics; the plans at 10,000 posts are in
`benchmarks/bench_home.py --explain`. Here: each index exists, partial where it should be, over
the columns the lists order by."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def index(table: str, name: str) -> str:
    """The index's definition as the database holds it ("" when missing)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [table, name],
            )
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                " AND name = %s",
                [table, name],
            )
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def test_the_team_queue_has_its_index_over_posts_in_review() -> None:
    definition = index("content_post", "post_review_queue_order")
    assert "in_review" in definition and "drug_alert" in definition, definition


def test_open_reposts_have_their_newest_first_index() -> None:
    definition = index("content_repost", "repost_open_newest_first")
    assert "posted_on" in definition and "superseded_by_id" in definition, definition
