"""Searching published posts: PostgreSQL full-text search in the post's language, a plain word
match on SQLite.

On PostgreSQL a post's published title, summary and body are matched with `to_tsvector` in the
text search configuration of its language (`CONFIGS`: Dutch, French and English stem words, so
"pil" finds "pillen"; a language we have no configuration for uses `simple`, which only folds
case), against `websearch_to_tsquery` of what the reader typed (quoted phrases, `or`, `-word`;
it never fails on odd input). Nothing is stored for it: migration 0017 puts one GIN expression
index per configuration on the revisions' text, and `document()` builds the very same
expression, so the planner finds matches through the index (a test holds the two together with
EXPLAIN). Matches are ordered by how well the title and summary match, then newest first;
ranking the body too would compute every match's body vector again.

SQLite has no full-text search of this kind (its FTS5 module would need tables of its own): there
every word must occur in the title, summary or body, with SQLite's `LIKE`, which ignores case for
ASCII letters only and knows no inflection. Newest first.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from content.models import Language, PostQuerySet

# A language's primary subtag (nl, fr-BE -> fr) -> PostgreSQL's text search configuration.
CONFIGS = {"nl": "dutch", "fr": "french", "en": "english"}
FALLBACK_CONFIG = "simple"
# The configurations migration 0017 indexes (a language mapped elsewhere would search unindexed).
INDEXED_CONFIGS = ("dutch", "english", "french", "simple")

# What a reader may type: longer input is cut here, and at most this many words are matched
# on SQLite (each is a LIKE over the text).
MAX_QUERY_CHARS = 200
MAX_FALLBACK_WORDS = 8

TEXT_FIELDS = ("title", "summary", "body")


def config_for(language: Language) -> str:
    """The text search configuration of `language` ("simple" when we have none for it)."""
    return CONFIGS.get(language.code.split("-")[0].lower(), FALLBACK_CONFIG)


def document(config: str, relation: str = "published_revision") -> SearchVector:
    """The searched text of a revision as a tsvector, reached from a post through `relation`
    ("" for the revision itself, as the index is built)."""
    prefix = f"{relation}__" if relation else ""
    return SearchVector(*(prefix + field for field in TEXT_FIELDS), config=config)


def cleaned(query: str) -> str:
    """What is searched for: the reader's words, white space squashed, at most
    MAX_QUERY_CHARS characters. "" means there is nothing to search for."""
    return " ".join(query.split())[:MAX_QUERY_CHARS].strip()


def search(posts: PostQuerySet, query: str, language: Language) -> PostQuerySet:
    """`posts` (of `language`) that match `query`, best first. An empty query matches all."""
    query = cleaned(query)
    if not query:
        return posts
    if connection.vendor == "postgresql":
        return _full_text(posts, query, config_for(language))
    return _words(posts, query)


def _full_text(posts: PostQuerySet, query: str, config: str) -> PostQuerySet:
    wanted = SearchQuery(query, config=config, search_type="websearch")
    heading = SearchVector(
        "published_revision__title", "published_revision__summary", config=config
    )
    return (
        posts.alias(found=document(config))
        .filter(found=wanted)
        .annotate(rank=SearchRank(heading, wanted))
        .order_by("-rank", "-published_at", "-pk")
    )


def _words(posts: PostQuerySet, query: str) -> PostQuerySet:
    for word in query.split()[:MAX_FALLBACK_WORDS]:
        posts = posts.filter(
            Q(published_revision__title__icontains=word)
            | Q(published_revision__summary__icontains=word)
            | Q(published_revision__body__icontains=word)
        )
    return posts.order_by("-published_at", "-pk")
