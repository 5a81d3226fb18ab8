"""The index of public words that /verify/ finds an unsigned paste's source with."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content import workflow
from content.models import Post, PublicWord
from content.revisions import create_post
from content.verification import Standing, Verdict, check_text
from tests.support import content_of, publish_latest

PASTE = (
    "Ketamine and your bladder. Why frequent use hurts. Frequent use can damage the bladder."
    " Take breaks, see a doctor."
)


def _publish(author, reviewer, language, title: str) -> Post:
    post = create_post(
        author=author, language=language, kind="article", content=content_of(title=title)
    )
    return publish_latest(post, author=author, reviewer=reviewer)


def test_publishing_indexes_the_longer_words_of_what_readers_see(published):
    indexed = set(
        PublicWord.objects.filter(revision=published.published_revision).values_list(
            "word", flat=True
        )
    )
    assert {"ketamine", "bladder", "frequent", "damage", "doctor", "breaks"} <= indexed
    assert {"and", "use", "can"}.isdisjoint(indexed)  # short words are too common to look up


def test_a_draft_is_not_indexed(post):
    assert not PublicWord.objects.filter(revision=post.latest_revision).exists()


def test_a_withdrawn_post_stays_findable_and_is_said_to_be_withdrawn(published, editor):
    workflow.withdraw(post=published, actor=editor, reason="outdated")
    result = check_text(PASTE)
    assert result.verdict == Verdict.UNSIGNED
    assert result.match.standing == Standing.WITHDRAWN


def _queries_of_a_check(expected) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert check_text(PASTE).match.revision == expected
    return [query["sql"] for query in queries.captured_queries]


def test_an_unsigned_check_runs_the_same_queries_however_many_posts_there_are(
    author, reviewer, english, published
):
    _publish(author, reviewer, english, "Other post 0")
    few = _queries_of_a_check(published.published_revision)
    for number in range(1, 30):
        _publish(author, reviewer, english, f"Other post {number}")
    many = _queries_of_a_check(published.published_revision)
    assert len(few) == len(many)
    assert "LIKE" not in " ".join(many).upper()  # found in the index, never by reading texts


def test_the_migration_indexes_revisions_published_before_it(published):
    PublicWord.objects.all().delete()
    migration = importlib.import_module("content.migrations.0016_public_words")
    migration.index_public_revisions(apps, None)
    assert check_text(PASTE).match.revision == published.published_revision


def test_a_paste_whose_signature_was_cut_off_is_still_matched_by_its_words(published, editor):
    workflow.withdraw(post=published, actor=editor, reason="outdated")
    base64ish = "iHUEARYKAB0WIQRk3vX9q2Lm7Zp8YwQ1Jt4uVx0aBcDeFgHiJkLmNoPqRsTuVwXyZ\n" * 4
    paste = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"
        + PASTE
        + "\n-----BEGIN PGP SIGNATURE-----\n\n"
        + base64ish  # the forum cut the end of the block off
    )
    result = check_text(paste)
    assert result.verdict == Verdict.INVALID
    assert result.match.standing == Standing.WITHDRAWN
