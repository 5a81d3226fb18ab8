"""Searching published posts (content.search): full-text in the post's language on PostgreSQL,
every word as a plain match on SQLite; only published text is ever found."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from content.models import Language, Post, Revision
from content.revisions import create_post, save_revision
from content.search import INDEXED_CONFIGS, cleaned, config_for, document, search
from tests.support import content_of, publish_latest

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


@pytest.fixture
def write(author: Any, reviewer: Any, languages: dict[str, Language]) -> Any:
    def make(code: str, title: str, body: str, summary: str = "", publish: bool = True) -> Post:
        post = create_post(
            author=author,
            language=languages[code],
            kind="article",
            content=content_of(title=title, summary=summary, body=body),
        )
        if publish:
            publish_latest(post, author=author, reviewer=reviewer)
        return Post.objects.get(pk=post.pk)

    return make


def found(query: str, language: Language) -> list[str]:
    posts = Post.objects.published().filter(language=language)
    return [post.slug for post in search(posts, query, language)]


def test_every_word_must_match_and_only_published_text_is_found(
    write: Any, languages: dict[str, Language], author: Any, reviewer: Any
) -> None:
    english = languages["en"]
    both = write("en", "Fentanyl in heroin", "Test strips find fentanyl in heroin.")
    write("en", "Heroin and the liver", "Heroin alone is described here.")
    write("en", "Draft about fentanyl", "Not reviewed yet.", publish=False)
    assert found("fentanyl heroin", english) == [both.slug]
    assert found("nothingmatcheszzz", english) == []
    # A newer, unpublished revision's words are not searchable; the published text still is.
    save_revision(
        post=both,
        author=author,
        content=content_of(title="Fentanyl in heroin", body="Carfentanil now too."),
        base_revision_id=both.latest_revision_id,
    )
    assert found("carfentanil", english) == []
    assert found("strips", english) == [both.slug]
    # Once published, the new text replaces the old in results.
    publish_latest(Post.objects.get(pk=both.pk), author=author, reviewer=reviewer)
    assert found("carfentanil", english) == [both.slug]
    assert found("strips", english) == []


def test_an_empty_query_keeps_every_post_and_long_input_is_cut(
    write: Any, languages: dict[str, Language]
) -> None:
    write("en", "One", "Body one.")
    write("en", "Two", "Body two.")
    assert len(found("   ", languages["en"])) == 2
    assert cleaned("  a \n b  ") == "a b"
    assert len(cleaned("x" * 5000)) == 200


def test_odd_input_never_fails(write: Any, languages: dict[str, Language]) -> None:
    write("en", "Ketamine", "Bladder damage.")
    for query in ['"unclosed', "-", "or or", "a & b | !c", "(((", "'; drop table", "\\", "%_%"]:
        found(query, languages["en"])  # no error, whatever it finds


def test_languages_have_their_text_search_configuration(languages: dict[str, Language]) -> None:
    assert config_for(languages["nl"]) == "dutch"
    assert config_for(languages["fr"]) == "french"
    assert config_for(languages["en"]) == "english"
    assert config_for(Language(code="fr-BE", name="Français")) == "french"
    assert config_for(Language(code="de", name="Deutsch")) == "simple"


@on_postgresql
def test_a_dutch_post_is_found_by_an_inflected_dutch_word(
    write: Any, languages: dict[str, Language]
) -> None:
    dutch = languages["nl"]
    pills = write("nl", "Partij pillen", "Twee waarschuwingen voor gebruikers: ze bevatten PMMA.")
    write("nl", "Over alcohol", "Drink water tussendoor.")
    # The singular finds the plural, the stem finds the conjugated verb.
    for word in ("waarschuwing", "gebruiker", "bevat"):
        assert found(word, dutch) == [pills.slug], word
    # French stems too: "comprimé" finds "comprimés".
    comprimes = write("fr", "Lot dangereux", "Ces comprimés contiennent trop de MDMA.")
    assert found("comprimé", languages["fr"]) == [comprimes.slug]


@on_postgresql
def test_a_title_match_ranks_before_a_body_match(
    write: Any, languages: dict[str, Language]
) -> None:
    body_only = write("en", "Weekend safety", "Ketamine and alcohol do not mix.")
    titled = write("en", "Ketamine bladder damage", "Frequent use hurts.")
    assert found("ketamine", languages["en"]) == [titled.slug, body_only.slug]


@on_postgresql
@pytest.mark.parametrize("code", ["nl", "fr", "en"])
def test_the_searched_text_is_the_indexed_expression(
    code: str, write: Any, languages: dict[str, Language]
) -> None:
    """`document()`, which search() matches, builds the expression migration 0017 indexed: if
    they drift apart, searching 10,000 posts reads every body again. With sequential and plain
    index scans switched off, the only way left to find matching revisions is that GIN index
    (a drifted expression leaves a disabled sequential scan in the plan)."""
    language = languages[code]
    write(code, "Some title", "Some body text.")
    config = config_for(language)
    assert config in INDEXED_CONFIGS
    wanted = SearchQuery("body", config=config, search_type="websearch")
    revisions = Revision.objects.alias(found=document(config, relation="")).filter(found=wanted)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = revisions.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on revision_search_{config}" in plan, plan
    assert revisions.count() == 1
