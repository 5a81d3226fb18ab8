from __future__ import annotations

import dataclasses
import re

import pytest

from content.exporters import ExportDocument, ExportSettings, ExportSource, export
from tests.exporters.helpers import DIALECT_TAGS, rich_document

ALL_FORMATS = [("bbcode", d) for d in sorted(DIALECT_TAGS)] + [
    ("forum_markdown", "commonmark"),
    ("forum_markdown", "reddit"),
    ("plaintext", ""),
    ("html", ""),
]
IMAGE_BODY = (
    "![chart](https://cdn.example.org/chart.png) ![ours](/media/a.png) "
    "[clear](https://example.org/a) [hidden](http://abcdef.onion/b) [home](/posts/x)"
)
CLICKABLE = re.compile(r"\[url=([^\]]+)\]|href=\"([^\"]+)\"|\]\(([^)]+)\)", re.IGNORECASE)


def clickable_urls(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in CLICKABLE.finditer(text)]


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_tor_profiles_load_nothing_and_link_only_to_onion_sites(fmt: str, dialect: str) -> None:
    profile = ExportSettings(format=fmt, dialect=dialect, tor=True, link_policy="onion_internal")
    (part,) = export(rich_document(body=IMAGE_BODY), profile).parts
    lowered = part.lower()
    assert "[img" not in lowered and "<img" not in lowered and "src=" not in lowered
    assert all(".onion/" in url for url in clickable_urls(part))
    assert "http://hrexample.onion/posts/x" in part  # our own page, on our onion site


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_no_format_ever_embeds_an_image(fmt: str, dialect: str) -> None:
    (part,) = export(
        rich_document(body=IMAGE_BODY), ExportSettings(format=fmt, dialect=dialect)
    ).parts
    assert "[img" not in part.lower() and "<img" not in part and "![" not in part


def test_images_can_be_dropped() -> None:
    profile = ExportSettings(format="plaintext", image_policy="drop")
    (part,) = export(rich_document(body=IMAGE_BODY), profile).parts
    assert "chart" not in part and "cdn.example.org" not in part


def test_plain_text_policy_writes_label_and_url() -> None:
    profile = ExportSettings(format="html", link_policy="plain_text")
    (part,) = export(rich_document(body="[guide](https://example.org/g)"), profile).parts
    assert "guide (https://example.org/g)" in part and "<a " not in part


def test_references_policy_numbers_links_and_lists_them_in_each_part() -> None:
    profile = ExportSettings(format="bbcode", dialect="xenforo2", link_policy="references")
    body = "[a](https://a.example/) and [b](https://b.example/) and [a again](https://a.example/)"
    (part,) = export(rich_document(body=body, sources=()), profile).parts
    assert "[url" not in part.lower()
    assert part.count("https://a.example/") == 1 and "https://b.example/" in part


def test_plaintext_lists_every_link_as_a_reference() -> None:
    (part,) = export(
        rich_document(body="[home](/posts/x)"), ExportSettings(format="plaintext")
    ).parts
    assert "home [1]" in part and "[1] https://hr.example.org/posts/x" in part


def test_export_types_carry_no_names_emails_or_notes() -> None:
    forbidden = re.compile(r"author|reviewer|editor|email|note|user|name", re.IGNORECASE)
    for cls in (ExportDocument, ExportSource, ExportSettings):
        assert not [f.name for f in dataclasses.fields(cls) if forbidden.search(f.name)]
