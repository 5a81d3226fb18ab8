from __future__ import annotations

import pytest

from content.exporters import ExportSettings, export
from content.exporters.bbcode import BBCodeExporter
from content.markdown import parse
from tests.exporters.helpers import (
    DIALECT_TAGS,
    RICH_BODY,
    bbcode_problems,
    bbcode_visible,
    markdown_visible,
    rich_document,
)

DIALECTS = sorted(DIALECT_TAGS)


def render_body(source: str, dialect: str) -> str:
    exporter = BBCodeExporter(ExportSettings(format="bbcode", dialect=dialect))
    return "\n\n".join(exporter.render_blocks(parse(source)))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_body_is_balanced_and_uses_only_the_dialects_tags(dialect: str) -> None:
    assert bbcode_problems(render_body(RICH_BODY, dialect), dialect) == []


@pytest.mark.parametrize("dialect", DIALECTS)
def test_body_shows_the_same_visible_text_as_the_markdown(dialect: str) -> None:
    assert bbcode_visible(render_body(RICH_BODY, dialect), dialect) == markdown_visible(RICH_BODY)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_whole_export_with_header_footer_and_sources_is_well_formed(dialect: str) -> None:
    settings = ExportSettings(
        format="bbcode",
        dialect=dialect,
        header_template="[v{version}] {title}",
        footer_template="{reviewers}, hash {hash}",
        link_policy="references",
    )
    for part in export(rich_document(), settings).parts:
        assert bbcode_problems(part, dialect) == []


@pytest.mark.parametrize("dialect", DIALECTS)
def test_literal_bbcode_in_text_stays_text(dialect: str) -> None:
    source = "Write [b]bold[/b] or [url=x]y[/url] and [*] as text; (c) stays (c)."
    output = render_body(source, dialect)
    assert bbcode_problems(output, dialect) == []
    assert " ".join(bbcode_visible(output, dialect)) == source


@pytest.mark.parametrize("dialect", DIALECTS)
def test_nested_lists_and_quotes_stay_balanced(dialect: str) -> None:
    source = "- a\n  - b\n    1. c\n\n    > d\n- e\n\n> - f\n>\n>   g\n"
    output = render_body(source, dialect)
    assert bbcode_problems(output, dialect) == []
    assert bbcode_visible(output, dialect) == markdown_visible(source)


def test_phpbb_has_no_strikethrough_tag_so_the_text_is_marked_with_tildes() -> None:
    assert render_body("~~old~~ new", "phpbb3") == "~~old~~ new"


def test_xenforo_uses_its_heading_and_table_tags() -> None:
    output = render_body("# Title\n\n| a |\n|---|\n| 1 |\n", "xenforo2")
    assert "[HEADING=1]Title[/HEADING]" in output
    assert "[TABLE]" in output and "[TH]a[/TH]" in output


def test_smf_lists_use_li_and_a_decimal_type() -> None:
    assert (
        render_body("1. a\n2. b\n", "smf21")
        == "[list type=decimal]\n[li]a[/li]\n[li]b[/li]\n[/list]"
    )


def test_code_blocks_keep_their_content_unparsed() -> None:
    output = render_body("```\n[b]not bold[/b]\n```\n", "phpbb3")
    assert output == "[code]\n[b]not bold[/b]\n[/code]"
