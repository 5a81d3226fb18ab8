"""Links in a post to our own public site are kept in an export only when a reader can open
them (content.exports.public_page_exists): a page of the site, or a post, language, substance
or feed that has something published."""

from __future__ import annotations

from typing import Any

import pytest

from content.exports import public_page_exists
from content.models import Post


@pytest.mark.parametrize(
    ("path", "opens"),
    [
        ("/", True),
        ("/verify/", True),
        ("/pgp.txt", True),
        ("/en/", True),
        ("/nl/", False),  # nothing published in Dutch
        ("/zz/", False),
        ("/en/substances/", True),
        ("/en/substances/ketamine/", True),
        ("/en/substances/heroin/", False),
        ("/nl/substances/ketamine/", False),
        ("/en/feed/", True),
        ("/en/feed/alerts/", True),
        ("/en/feed/nonsense/", False),
        ("/en/feed/articles.json", True),
        ("/en/POST/", True),
        ("/en/POST/signed/phpbb/", True),
        ("/en/no-such-post/", False),
        ("/en/no-such-post/signed/phpbb/", False),
        ("/studio/", False),
    ],
)
def test_a_link_to_our_site_counts_only_where_a_reader_finds_something(
    path: str, opens: bool, published: Post, languages: Any
) -> None:
    assert public_page_exists(path.replace("POST", published.slug)) is opens
