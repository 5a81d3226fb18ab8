from __future__ import annotations

import re

import cmarkgfm
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.exporters import ExportError, ExportSettings, export
from content.exporters.bbcode import BBCodeExporter
from content.exporters.splitting import Block, LineScanner, pack, rejoin, split_block
from tests.exporters.helpers import bbcode_problems, bbcode_visible, rich_document, visible_words

words = st.text(alphabet="abcdefghij.,! ", min_size=1, max_size=12).map(str.strip).filter(bool)
paragraphs = st.lists(words, min_size=1, max_size=120).map(" ".join)
bodies = st.lists(
    st.one_of(
        paragraphs,
        st.lists(paragraphs, min_size=1, max_size=6).map(lambda i: "\n".join(f"- {x}" for x in i)),
    ),
    min_size=1,
    max_size=25,
).map("\n\n".join)

FORMATS = [
    ("bbcode", "phpbb3"),
    ("bbcode", "smf21"),
    ("forum_markdown", "commonmark"),
    ("forum_markdown", "reddit"),
    ("plaintext", ""),
    ("html", ""),
]


@given(
    texts=st.lists(st.text(min_size=1, max_size=400), min_size=1, max_size=30),
    limit=st.integers(min_value=40, max_value=900),
)
def test_packed_chunks_fit_the_limit_and_rejoin_to_the_whole(texts: list[str], limit: int) -> None:
    blocks = [Block(t) for t in texts]
    chunks = pack(
        blocks, limit=limit, overhead=lambda refs: 10, separator="\n\n", scanner=LineScanner()
    )
    assert all(len("\n\n".join(p.render() for p in chunk)) + 10 <= limit for chunk in chunks)
    assert rejoin(chunks, "\n\n") == "\n\n".join(texts)


@given(body=bodies, limit=st.integers(min_value=300, max_value=3000), fmt=st.sampled_from(FORMATS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_part_fits_and_the_parts_hold_all_the_words(
    body: str, limit: int, fmt: tuple[str, str]
) -> None:
    profile = ExportSettings(
        format=fmt[0], dialect=fmt[1], header_template="v{version} {hash}", footer_template="end"
    )
    document = rich_document(body=body, sources=())
    whole = export(document, profile).bodies[0]
    result = export(document, ExportSettings(**{**profile.__dict__, "max_length": limit}))
    assert all(len(part) <= limit for part in result.parts)
    if fmt[0] == "bbcode":
        joined = [w for b in result.bodies for w in bbcode_visible(b, fmt[1])]
        assert joined == bbcode_visible(whole, fmt[1])
        assert all(bbcode_problems(part, fmt[1]) == [] for part in result.parts)
    elif fmt[0] in {"plaintext", "forum_markdown"}:
        assert [w for b in result.bodies for w in visible_words(b)] == visible_words(whole)


def test_parts_are_numbered_and_break_between_blocks() -> None:
    body = "\n\n".join(f"Paragraph {n} " + "word " * 30 for n in range(12))
    result = export(rich_document(body=body), ExportSettings(format="plaintext", max_length=700))
    total = len(result.parts)
    assert total > 2
    for number, part in enumerate(result.parts, start=1):
        assert f"({number}/{total})" in part
        assert len(part) <= 700


def test_a_list_is_kept_whole_when_it_fits_in_a_part() -> None:
    items = "\n".join(f"- item {n}" for n in range(8))
    body = ("filler " * 60 + "\n\n") * 2 + items
    result = export(rich_document(body=body), ExportSettings(dialect="phpbb3", max_length=600))
    assert sum("[list]" in part for part in result.parts) == 1


def test_an_oversize_block_is_cut_at_sentences_and_never_inside_a_link() -> None:
    text = " ".join(f"Sentence {n} has [url=https://x.org/{n}]a link {n}[/url]." for n in range(40))
    scanner = BBCodeExporter(ExportSettings()).splitter()
    pieces = split_block(text, 200, scanner)
    assert "".join(p.text for p in pieces) == text
    for piece in pieces:
        assert len(piece.render()) <= 200
        assert piece.render().count("[url=") == piece.render().count("[/url]")


def test_a_list_cut_inside_is_closed_and_reopened() -> None:
    text = "[list]\n" + "\n".join(f"[*]item number {n}" for n in range(30)) + "\n[/list]"
    pieces = split_block(text, 120, BBCodeExporter(ExportSettings()).splitter())
    assert len(pieces) > 1
    assert all(bbcode_problems(p.render(), "phpbb3") == [] for p in pieces)


def test_a_limit_too_small_for_header_and_footer_is_a_clear_error() -> None:
    profile = ExportSettings(header_template="{title} " * 5, max_length=60)
    with pytest.raises(ExportError, match="too small"):
        export(rich_document(), profile)


def test_a_small_limit_never_cuts_inside_a_word() -> None:
    sentence = "A drug-checking service tests what is really in a pill, for free and anonymously"
    body = " ".join([sentence] * 40)  # one long paragraph: it must be cut inside
    words = set(" ".join(body.split()).split(" "))
    for fmt, dialect in FORMATS:
        result = export(
            rich_document(body=body, sources=()),
            ExportSettings(format=fmt, dialect=dialect, max_length=500),
        )
        assert len(result.parts) > 3
        for text in result.bodies[1:]:
            plain = re.sub(r"<[^>]+>|\[/?[a-z]+\]", " ", text)
            assert set(plain.split()) <= words | {"(2/9)"}, (fmt, set(plain.split()) - words)


def test_each_part_lists_only_the_references_it_cites() -> None:
    links = " ".join(f"See [source {n}](https://example.org/{n}) for more." for n in range(60))
    result = export(
        rich_document(body=links, sources=()), ExportSettings(format="plaintext", max_length=600)
    )
    assert len(result.parts) > 3
    for part, body in zip(result.parts, result.bodies, strict=True):
        cited = set(re.findall(r"\[(\d+)\]", body))
        listed = set(re.findall(r"^\[(\d+)\] https://", part, re.MULTILINE))
        assert listed == cited


@pytest.mark.parametrize("dialect", ["commonmark", "reddit"])
def test_markdown_parts_render_alone_as_meant_when_a_block_is_cut(dialect: str) -> None:
    bold = " ".join(f"Take **dose {n} with real care** and wait." for n in range(80))
    rows = "\n".join(f"| S{n} | {n} mg |" for n in range(150))
    table = "| Substance | Dose |\n|---|--:|\n" + rows
    nested = "- top\n" + "\n".join(f"  - level two item {n}\n    - deeper {n}" for n in range(90))
    quote = "> " + " ".join(f"quoted sentence {n} here." for n in range(150))
    profile = ExportSettings(format="forum_markdown", dialect=dialect, max_length=700)
    for body, check in [
        (bold, lambda html: "**" not in html and "<strong>" in html),
        (table, lambda html: "<table>" in html and "|" not in html),
        (nested, lambda html: "<pre>" not in html and "<li>" in html),
        (quote, lambda html: re.fullmatch(r"<blockquote>\n<p>[^<]*</p>\n</blockquote>\n", html)),
    ]:
        result = export(rich_document(title="T", summary="", body=body, sources=()), profile)
        assert len(result.bodies) > 2
        for text in result.bodies[1:]:
            html = cmarkgfm.github_flavored_markdown_to_html(text)
            assert check(html), text[:300]
