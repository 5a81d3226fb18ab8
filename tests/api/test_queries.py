"""The API's query counts do not grow with the number of posts: the same at 10 and at 200."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import PostKind

QUERIES = [
    {},
    {"language": "en"},
    {"kind": "drug_alert", "substance": "mdma"},
    {"topic": "safer-use", "updated_since": "2000-01-01T00:00:00Z", "page_size": "100"},
    {"page": "2", "page_size": "5"},
]


def counts(client, paths) -> list[int]:
    found = []
    for path, query in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, query)
        assert response.status_code == 200, (path, query, response.content)
        found.append(len(queries))
    return found


def test_list_and_detail_queries_are_the_same_at_10_and_200_posts(client, publish_post, languages):
    def add(start: int, stop: int) -> None:
        for n in range(start, stop):
            publish_post(
                f"Post {n}",
                kind=PostKind.DRUG_ALERT if n % 2 else PostKind.ARTICLE,
                substances=("MDMA", "ketamine") if n % 3 else ("MDMA",),
            )

    first = publish_post("First")
    publish_post("Premier", language=languages["fr"], translation_of=first)
    add(0, 8)
    paths = [("/api/v1/posts/", query) for query in QUERIES]
    paths.append((f"/api/v1/posts/en/{first.slug}/", {}))
    at_10 = counts(client, paths)
    add(8, 198)
    at_200 = counts(client, paths)
    assert at_10 == at_200
    # The list: the public version, the count, the page, its tags. The detail: the version, the
    # post with its revision and language, its tags, its translations, the signing profiles.
    assert at_10 == [4, 4, 4, 4, 4, 5]
