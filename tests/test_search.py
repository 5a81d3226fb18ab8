"""Searching published posts (content.search): full-text in the post's language on PostgreSQL,
every word as a plain match on SQLite; only published text is ever found."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from content.backup.tables import tables
from content.models import Language, Post, SearchDocument
from content.revisions import create_post, save_revision
from content.search import cleaned, config_for, rebuild, search
from tests.support import content_of, publish_latest

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


@pytest.fixture
def write(author: Any, reviewer: Any, languages: dict[str, Language]) -> Any:
    def make(
        code: str, title: str, body: str, summary: str = "", publish: bool = True, **extra: Any
    ) -> Post:
        post = create_post(
            author=author,
            language=languages[code],
            kind="article",
            content=content_of(title=title, summary=summary, body=body, **extra),
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
def test_tags_are_searched_and_rank_with_the_title(
    write: Any, languages: dict[str, Language]
) -> None:
    """content_of() tags the post "ketamine": a search for the tag finds it, before a post that
    only mentions the word in its body."""
    tagged = write("en", "Your bladder", "Frequent use hurts.")
    mentions = write(
        "en", "Weekend safety", "Some take ketamine with alcohol.", substances=("alcohol",)
    )
    assert found("ketamine", languages["en"]) == [tagged.slug, mentions.slug]


@on_postgresql
def test_a_search_reads_no_text_it_finds_matches_through_the_index(
    write: Any, languages: dict[str, Language]
) -> None:
    """The stored vectors are matched through their GIN index: with sequential scans switched
    off, the plan for the documents is that index (a query that stemmed the bodies again at
    search time took 3 s at 10,000 posts)."""
    write("nl", "Partij pillen", "Twee waarschuwingen voor gebruikers.")
    wanted = SearchQuery("waarschuwing", config="dutch", search_type="websearch")
    documents = SearchDocument.objects.filter(vector=wanted)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = documents.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "content_searchdocument_vector" in plan, plan
    assert documents.count() == 1


@on_postgresql
def test_rebuild_writes_the_documents_of_every_published_revision_and_only_those(
    write: Any, languages: dict[str, Language]
) -> None:
    published = write("en", "Ketamine bladder", "Frequent use hurts.")
    write("en", "Draft", "Unpublished words.", publish=False)
    SearchDocument.objects.all().delete()
    assert found("bladder", languages["en"]) == []
    assert rebuild() == 1
    assert found("bladder", languages["en"]) == [published.slug]
    assert list(SearchDocument.objects.values_list("revision", flat=True)) == [
        published.published_revision_id
    ]
    assert rebuild() == 0  # nothing missing


def test_no_search_document_is_kept_in_backups() -> None:
    """They are PostgreSQL's tsvectors, derived from the revisions: a restore writes them."""
    assert "content.searchdocument" not in {table.name for table in tables()}
