from __future__ import annotations

import dataclasses
import re

import pytest

from content.exporters import ExportDocument, ExportSettings, ExportSource, export
from tests.exporters.helpers import ALL_FORMATS, rich_document

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


# Dropped images leave nothing dangling ---------------------------------------------------------


def shown(part: str, fmt: str, dialect: str) -> str:
    from tests.readers import shown as forum_text

    return forum_text(part, fmt, dialect)


def dropped(body: str, fmt: str, dialect: str) -> str:
    profile = ExportSettings(format=fmt, dialect=dialect, image_policy="drop")
    (part,) = export(rich_document(title="T", summary="", body=body, sources=()), profile).parts
    return part


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_a_paragraph_that_only_announced_a_dropped_image_disappears(fmt: str, dialect: str) -> None:
    body = "Before.\n\nOur own photo: ![pills](/media/x.png)\n\n**Photo:** ![x](/a.png)\n\nAfter."
    part = dropped(body, fmt, dialect)
    assert shown(part, fmt, dialect).endswith(" Before. After.")
    assert "photo" not in part.lower() and "pills" not in part
    assert "\n\n\n" not in part and "<p></p>" not in part and "****" not in part


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_an_inline_image_takes_only_its_lead_in_with_it(fmt: str, dialect: str) -> None:
    body = (
        "We weighed it. Our own photo: ![pills](/media/x.png) Then we dissolved it.\n\n"
        "Look at ![x](/a.png) this. Photos: ![a](/a.png) ![b](/b.png)\n\n"
        "Line one\nThe scale: ![x](/a.png)\nLine three\n\n"
        "See [![badge](/b.png)](https://example.org) here."
    )
    text = shown(dropped(body, fmt, dialect), fmt, dialect)
    assert text.endswith(
        "We weighed it. Then we dissolved it. Look at this. Line one Line three See here."
    )


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_a_list_or_quote_left_empty_by_dropped_images_disappears(fmt: str, dialect: str) -> None:
    body = (
        "Text.\n\n- ![x](/a.png)\n\n> ![y](/b.png)\n\n## ![logo](/l.png)\n\n"
        "1. one\n2. The label: ![z](/c.png)\n3. three\n\nEnd."
    )
    part = dropped(body, fmt, dialect)
    numbers = re.compile(r"\b\d\. ")  # plain text shows list numbers as text
    assert numbers.sub("", shown(part, fmt, dialect)).endswith(" Text. one three End.")
    for markup in ("[list]", "[quote]", "<ul>", "<blockquote>", "\n- ", "\n> ", "\n|"):
        assert markup not in part.lower()


def test_a_table_keeps_its_cells_when_their_images_are_dropped() -> None:
    body = "| Pill | Photo |\n|---|---|\n| A | ![a](/a.png) |\n| B | ![b](/b.png) |"
    part = dropped(body, "forum_markdown", "commonmark")
    assert "| A |  |" in part and "| B |  |" in part


def test_with_image_policy_link_the_lead_in_stays_with_the_image_link() -> None:
    profile = ExportSettings(format="plaintext", image_policy="link", link_policy="plain_text")
    body = "Our own photo: ![pills](/media/x.png)"
    (part,) = export(rich_document(body=body, sources=()), profile).parts
    assert "Our own photo: image: pills (https://hr.example.org/media/x.png)" in part


def test_policies_leave_the_parsed_tokens_untouched() -> None:
    from content.exporters.policies import LinkRules, References, apply_policies
    from content.markdown import parse

    tokens = parse("Photo: ![x](/a.png)\n\n[tel](tel:+32) <ftp://x.org> www.example.org")
    before = [token.as_dict() for token in tokens]
    profile = ExportSettings(tor=True, link_policy="onion_internal", image_policy="drop")
    rules = LinkRules.build(profile, rich_document(), References())
    assert apply_policies(tokens, rules, image_policy="drop") != tokens
    assert [token.as_dict() for token in tokens] == before
