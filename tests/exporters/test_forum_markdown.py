from __future__ import annotations

import pytest

from content.exporters import ExportSettings, export
from content.exporters.forum_markdown import ForumMarkdownExporter
from content.markdown import parse
from tests.exporters.helpers import RICH_BODY, rich_document


def render_body(source: str, dialect: str) -> str:
    exporter = ForumMarkdownExporter(ExportSettings(format="forum_markdown", dialect=dialect))
    return "\n\n".join(exporter.render_blocks(parse(source)))


def structure(source: str) -> list[tuple[str, str, bool, str]]:
    """Block and inline structure with text, blind to markup choices (fences vs indents)."""
    out: list[tuple[str, str, bool, str]] = []
    for token in parse(source):
        kind = "code_block" if token.type == "fence" else token.type
        content = token.content.rstrip("\n") if kind == "code_block" else ""
        if kind != "inline":
            out.append((kind, token.tag, token.hidden, content))
            continue
        for child in token.children or []:
            if child.type == "text" and out and out[-1][0] == "text":
                out[-1] = ("text", "", False, out[-1][3] + child.content)
            else:
                out.append((child.type, child.tag, False, child.content))
    return out


@pytest.mark.parametrize("dialect", ["commonmark", "reddit"])
def test_export_parses_back_to_the_same_structure_and_text(dialect: str) -> None:
    assert structure(render_body(RICH_BODY, dialect)) == structure(RICH_BODY)


@pytest.mark.parametrize(
    "text", ["~100 mg", "10^3 µg", "see >!spoiler!<", "[b]x[/b]", "*a* _b_", "a | b", "&amp; \\"]
)
def test_reddit_style_keeps_syntax_characters_as_text(text: str) -> None:
    source = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    source = source.replace("&", "\\&")
    output = render_body(source, "reddit")
    assert structure(output) == structure(source)
    assert [t for t in structure(output) if t[0] == "text"] == [("text", "", False, text)]


def test_reddit_superscript_and_strike_markers_are_escaped() -> None:
    output = render_body("~100 mg, 10^3, >!x!<", "reddit")
    assert output == "\\~100 mg, 10\\^3, \\>!x!\\<"


def test_line_starts_that_would_become_markup_are_escaped() -> None:
    source = "\\# one\n1986\\. two\n\\- three\n"
    assert structure(render_body(source, "commonmark")) == structure(source)


def test_export_has_no_images_and_no_raw_html() -> None:
    document = rich_document(body="![chart](https://cdn.example.org/c.png) <b>x</b>")
    settings = ExportSettings(format="forum_markdown", dialect="commonmark", image_policy="link")
    (part,) = export(document, settings).parts
    tokens = parse(part)
    kinds = {c.type for t in tokens for c in (t.children or [])} | {t.type for t in tokens}
    assert "image" not in kinds and "html_inline" not in kinds and "html_block" not in kinds
