"""An opsec finding's place ("body, line 3") is shown in the page's language, while the place
it stores (part of the finding's key, which binds an override, and of the audit log) stays the
same in every language."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override

from content import opsec
from content.languages import set_studio_language
from content.models import Post, PostKind
from content.revisions import create_post
from tests.support import content_of

STORED = [
    "title",
    "summary, line 2",
    "body, line 3",
    "source 1, title",
    "source 2, URL",
    "tag “ketamine”",
    "address (slug)",
]
BODY = "Frequent use hurts.\nInternal note: ask first."


@pytest.mark.parametrize("where", STORED)
def test_every_place_is_read_in_english_as_stored(where: str) -> None:
    with override("en"):
        assert opsec.place_of(where) == where


@pytest.mark.parametrize("code", ["nl", "fr"])
@pytest.mark.parametrize("where", STORED)
def test_every_place_is_translated_and_keeps_its_number_or_name(where: str, code: str) -> None:
    with override(code):
        place = opsec.place_of(where)
    if (where, code) != ("tag “ketamine”", "nl"):  # Dutch says "tag" too, and quotes alike
        assert place != where  # an untranslated place fails here
    for part in ("1", "2", "3", "ketamine"):
        assert (part in place) == (part in where)


def test_a_place_of_no_known_form_is_shown_as_it_is() -> None:
    with override("nl"):
        assert opsec.place_of("somewhere else") == "somewhere else"


@pytest.fixture
def exposed(author: Any, english: Any) -> Post:
    return create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(body=BODY)
    )


def test_the_key_and_the_stored_place_do_not_depend_on_the_language(exposed: Post) -> None:
    revision = exposed.expect_latest_revision()
    with override("en"):
        english = opsec.run_checks(revision=revision).findings
    with override("nl"):
        dutch = opsec.run_checks(revision=revision).findings
        shown = [finding.place for finding in dutch]
    assert [(f.key, f.where) for f in dutch] == [(f.key, f.where) for f in english]
    assert "body, line 2" in [f.where for f in dutch]
    assert "body, line 2" not in shown and "tekst, regel 2" in shown


def test_a_dutch_author_reads_the_place_in_dutch_on_the_post_page(
    client: Any, author: Any, exposed: Post
) -> None:
    set_studio_language(user=author, language="nl")
    client.force_login(author)
    page = html.unescape(
        client.get(reverse("content:post_detail", args=[exposed.pk])).content.decode()
    )
    assert "<strong>tekst, regel 2</strong>" in page
    assert "body, line 2" not in page
