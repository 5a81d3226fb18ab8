"""Two people saving the same post at the same moment: one wins, the other is told. No lost update.

Runs with real concurrent transactions on whichever database the suite uses (SQLite or PostgreSQL).
"""

from __future__ import annotations

import pytest

from content.models import Post
from content.revisions import EditConflict, save_revision
from tests.support import content_of
from tests.threads import run_together


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_the_same_base_keep_one_and_refuse_the_other(post, editor) -> None:
    base = post.latest_revision_id

    def save(user):
        return lambda: save_revision(
            post=Post.objects.get(pk=post.pk),
            author=user,
            content=content_of(body=f"Edit by {user.username}"),
            base_revision_id=base,
        )

    outcomes = run_together(save(post.created_by), save(editor))
    kinds = sorted(type(result).__name__ for result in outcomes)
    assert kinds == ["EditConflict", "Revision"], outcomes
    post.refresh_from_db()
    assert post.revisions.count() == 2
    winner = next(r for r in outcomes if not isinstance(r, EditConflict))
    assert post.latest_revision_id == winner.pk
