"""Searching published posts: PostgreSQL full-text search in the post's language, a plain word
match on SQLite.

On PostgreSQL each published revision gets a `SearchDocument` when it is published: its title
and tags, and a drug alert's "sold as" and substances found (weight A), its colour, logo and
shape and the summary (B), and the body (C) as one `tsvector` in the text search
configuration of the post's language (`CONFIGS`: Dutch, French and English stem words, so
"waarschuwing" finds "waarschuwingen"; a language we have no configuration for uses `simple`,
which only folds case). A reader's words become `websearch_to_tsquery` (quoted phrases, `or`,
`-word`; it never fails on odd input), matched through the GIN index on the stored vectors, so
no text is read or stemmed at search time, and ranked with `ts_rank` over the same vector (a
title or tag match first), then newest first. The vectors are written with one SQL statement
(`_INDEX_SQL`) for one revision (`index()`, from content.workflow.publish) or for every
published one (`rebuild()`, after a restore; migration 0017 runs the same statement).

Stemming at search time instead (an expression index over the revisions' text) was measured at
10,000 posts: a common word made PostgreSQL stem every matching body again, about 3 s a search.

SQLite has no full-text search of this kind (its FTS5 module would need tables of its own): there
every word must occur in the title, summary, body or an alert's facts, with SQLite's `LIKE`,
which ignores case for ASCII letters only and knows no inflection. Newest first.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q

from content.models import Language, Post, PostQuerySet, Revision, SearchDocument, Tag
from content.revision_schema import DRUG_ALERT_FACTS

# A language's primary subtag (nl, fr-BE -> fr) -> PostgreSQL's text search configuration.
CONFIGS = {"nl": "dutch", "fr": "french", "en": "english"}
FALLBACK_CONFIG = "simple"

# What a reader may type: longer input is cut here, and at most this many words are matched
# on SQLite (each is a LIKE over the text).
MAX_QUERY_CHARS = 200
MAX_FALLBACK_WORDS = 8
# A drug alert's facts that are searched besides its text (content.alerts): what it was sold as,
# the names of the substances found (weight A on PostgreSQL, as tags), and what it looks like
# (weight B). On SQLite each is a LIKE over one JSON value, for as many substance rows as an
# alert may state.
FACT_WORDS = ("sold_as", "colour", "logo", "shape")
SUBSTANCE_ROWS = next(f.max_rows for f in DRUG_ALERT_FACTS if f.name == "substances")


def config_for(language: Language) -> str:
    """The text search configuration of `language` ("simple" when we have none for it)."""
    return CONFIGS.get(language.code.split("-")[0].lower(), FALLBACK_CONFIG)


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
    vector = "published_revision__search__vector"
    return (
        posts.filter(**{vector: wanted})
        .annotate(rank=SearchRank(F(vector), wanted))
        .order_by("-rank", "-published_at", "-pk")
    )


def _words(posts: PostQuerySet, query: str) -> PostQuerySet:
    for word in query.split()[:MAX_FALLBACK_WORDS]:
        posts = posts.filter(
            Q(published_revision__title__icontains=word)
            | Q(published_revision__summary__icontains=word)
            | Q(published_revision__body__icontains=word)
            | _facts_contain(word)
        )
    return posts.order_by("-published_at", "-pk")


def _facts_contain(word: str) -> Q:
    """A drug alert's facts readers search by (FACT_WORDS, and each substance found's name)."""
    facts = "published_revision__facts"
    found = Q()
    for name in FACT_WORDS:
        found |= Q(**{f"{facts}__{name}__icontains": word})
    for row in range(SUBSTANCE_ROWS):
        found |= Q(**{f"{facts}__substances__{row}__name__icontains": word})
    return found


# --- Writing the search documents (PostgreSQL) ---------------------------------------------


def _config_sql() -> str:
    """CONFIGS as SQL: the configuration of the language `l` (constants from this module)."""
    cases = " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in CONFIGS.items())
    return f"(CASE split_part(lower(l.code), '-', 1) {cases} ELSE '{FALLBACK_CONFIG}' END)"


def _index_sql(where: str) -> str:
    tags = Revision.tags.through._meta.db_table
    return f"""
        INSERT INTO {SearchDocument._meta.db_table} (revision_id, vector)
        SELECT r.id,
               setweight(to_tsvector(c.config, coalesce(r.title, '')), 'A')
               || setweight(to_tsvector(c.config, coalesce(g.names, '')), 'A')
               || setweight(to_tsvector(c.config, coalesce(f.found, '')), 'A')
               || setweight(to_tsvector(c.config, coalesce(f.looks, '')), 'B')
               || setweight(to_tsvector(c.config, coalesce(r.summary, '')), 'B')
               || setweight(to_tsvector(c.config, coalesce(r.body, '')), 'C')
        FROM {Revision._meta.db_table} r
        JOIN {Post._meta.db_table} p ON p.id = r.post_id
        JOIN {Language._meta.db_table} l ON l.id = p.language_id
        CROSS JOIN LATERAL (SELECT {_config_sql()}::regconfig AS config) c
        LEFT JOIN LATERAL (
            SELECT string_agg(t.name, ' ' ORDER BY t.name) AS names
            FROM {tags} rt JOIN {Tag._meta.db_table} t ON t.id = rt.tag_id
            WHERE rt.revision_id = r.id
        ) g ON true
        CROSS JOIN LATERAL (
            SELECT concat_ws(' ', r.facts ->> 'sold_as', (
                       SELECT string_agg(s ->> 'name', ' ')
                       FROM jsonb_array_elements(CASE jsonb_typeof(r.facts -> 'substances')
                            WHEN 'array' THEN r.facts -> 'substances' ELSE '[]' END) s
                       WHERE jsonb_typeof(s) = 'object'
                   )) AS found,
                   concat_ws(' ', r.facts ->> 'colour', r.facts ->> 'logo', r.facts ->> 'shape')
                       AS looks
        ) f
        WHERE {where}
        ON CONFLICT (revision_id) DO NOTHING
    """  # noqa: S608 - table names and this module's constants, no input


def index(revision: Revision) -> None:
    """Make `revision` searchable (call it when it is published; a revision never changes, so
    a document once written stays right). Nothing on SQLite."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_index_sql("r.id = %s"), [revision.pk])


def rebuild() -> int:
    """Write the missing documents of every published revision (after a restore, which keeps
    none). Returns how many were written; 0 on SQLite."""
    if connection.vendor != "postgresql":
        return 0
    published = f"SELECT published_revision_id FROM {Post._meta.db_table}"  # noqa: S608
    written = f"SELECT 1 FROM {SearchDocument._meta.db_table} d WHERE d.revision_id = r.id"  # noqa: S608
    missing = f"r.id IN ({published}) AND NOT EXISTS ({written})"
    with connection.cursor() as cursor:
        cursor.execute(_index_sql(missing))
        return int(cursor.rowcount)
