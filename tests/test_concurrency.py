"""Two people saving the same post at the same moment: one wins, the other is told. No lost update.

Runs with real concurrent transactions on whichever database the suite uses (SQLite or PostgreSQL).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from content.models import Post
from content.revisions import EditConflict, save_revision
from tests.conftest import content_of


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_the_same_base_keep_one_and_refuse_the_other(post, editor) -> None:
    base = post.latest_revision_id
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(who: str, user) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[who] = save_revision(
                post=Post.objects.get(pk=post.pk),
                author=user,
                content=content_of(body=f"Edit by {who}"),
                base_revision_id=base,
            )
        except EditConflict as conflict:
            outcomes[who] = conflict
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("author", post.created_by)),
        threading.Thread(target=save, args=("editor", editor)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    kinds = sorted(type(result).__name__ for result in outcomes.values())
    assert kinds == ["EditConflict", "Revision"], outcomes
    post.refresh_from_db()
    assert post.revisions.count() == 2
    winner = next(r for r in outcomes.values() if not isinstance(r, EditConflict))
    assert post.latest_revision_id == winner.pk
