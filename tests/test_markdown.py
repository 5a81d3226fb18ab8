"""The one Markdown pipeline: structure, the sanitizer against XSS vectors, pathological input."""

from __future__ import annotations

import html.parser

import pytest
from django.test import override_settings

from content import markdown


class _ActiveContentFinder(html.parser.HTMLParser):
    """Collects anything a browser would execute or load from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in markdown.ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name in {"style", "srcset", "formaction"}:
                self.problems.append(f"attribute {name}")
            if name in {"href", "src"} and not value.startswith(
                ("http:", "https:", "mailto:", "/")
            ):
                self.problems.append(f"{name}={value}")
            if name == "src" and not markdown.is_local_url(value):
                self.problems.append(f"external src={value}")


def active_content(html_text: str) -> list[str]:
    finder = _ActiveContentFinder()
    finder.feed(html_text)
    return finder.problems


XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](/media/a.png" onerror="alert(1))',
    '[a](http://x.org "title" onclick="alert(1)")',
    '[a](http://x.org "\\" onmouseover=alert(1) x=\\"")',
    "<javascript:alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "***<b onmouseover=alert(1)>nested</b>***",
    "_*<u>__<i onclick=alert(1)>x</i>__</u>*_",
    '```"><script>alert(1)</script>\ncode\n```',
    "``` onerror=alert(1)\nx\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "[![img](/media/a.png)](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    "[x]: javascript:alert(1)\n\n[link][x]",
    "<form action=https://evil.example><button>go</button></form>",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_no_markdown_construct_produces_active_content(vector: str) -> None:
    rendered = markdown.render_html(vector)
    assert active_content(rendered) == []
    assert "<script" not in rendered.lower()


def test_sanitizer_strips_raw_html_even_when_handed_html_directly() -> None:
    dirty = '<p onclick="x()">hi<script>alert(1)</script><a href="javascript:x">l</a></p>'
    clean = markdown.sanitize(dirty)
    assert active_content(clean) == []
    assert "hi" in clean


def test_commonmark_with_tables_and_strikethrough_renders_structure() -> None:
    text = "# Title\n\n| Dose | Effect |\n|:--|--:|\n| low | mild |\n\n~~old~~ **new** *it*"
    rendered = markdown.render_html(text)
    assert "<h1>Title</h1>" in rendered
    assert '<th class="align-left">Dose</th>' in rendered
    assert '<td class="align-right">mild</td>' in rendered
    assert "<s>old</s>" in rendered
    assert "<strong>new</strong>" in rendered and "<em>it</em>" in rendered


def test_links_get_rel_nofollow_noopener_noreferrer() -> None:
    rendered = markdown.render_html("[EUDA](https://www.euda.europa.eu/) <https://a.example>")
    assert rendered.count(f'rel="{markdown.LINK_REL}"') == 2


def test_external_images_become_links_so_readers_load_nothing_from_elsewhere() -> None:
    rendered = markdown.render_html("![a pill](https://tracker.example/p.png) ![ok](/media/x.png)")
    assert "<img" in rendered and 'src="/media/x.png"' in rendered
    assert 'src="https://tracker.example' not in rendered
    assert '<a href="https://tracker.example/p.png"' in rendered and "[image: a pill]" in rendered


def test_raw_html_is_shown_as_text_not_dropped() -> None:
    rendered = markdown.render_html("Use <b>less</b>")
    assert "&lt;b&gt;less&lt;/b&gt;" in rendered


@pytest.mark.parametrize(
    "text",
    [
        ">" * 5000 + " deep",
        "*" * 20000 + "a" + "*" * 20000,
        "- " * 2000 + "x",
        "\n".join("  " * i + "- item" for i in range(500)),
    ],
)
def test_pathologically_nested_text_is_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(markdown.MarkdownRefused) as refused:
        markdown.parse(text[: markdown.max_body_chars()])
    if isinstance(refused.value, markdown.MarkdownTooDeep):
        assert f"at most {markdown.MAX_DEPTH}" in str(refused.value)


def test_text_nested_within_the_limit_keeps_every_word() -> None:
    text = "> " * 10 + "still here"
    assert "still here" in markdown.render_html(text)


def test_a_one_megabyte_line_is_refused_before_parsing() -> None:
    with pytest.raises(markdown.MarkdownTooLarge) as refused:
        markdown.render_html("a" * 1_000_000)
    assert "1,000,000 characters" in str(refused.value)
    assert f"{markdown.max_body_chars():,}" in str(refused.value)


def test_a_thousand_links_render_completely() -> None:
    text = " ".join(f"[l{i}](https://example.org/{i})" for i in range(markdown.MAX_LINKS))
    rendered = markdown.render_html(text)
    assert rendered.count("<a href=") == markdown.MAX_LINKS


def test_more_links_than_the_limit_are_refused_with_the_limit_named() -> None:
    text = " ".join(f"[l{i}](/p/{i})" for i in range(markdown.MAX_LINKS + 1))
    with pytest.raises(markdown.MarkdownTooComplex) as refused:
        markdown.parse(text)
    assert f"at most {markdown.MAX_LINKS:,}" in str(refused.value)


def test_a_wall_of_brackets_is_refused_naming_the_line_and_the_run() -> None:
    # Rendering this took seconds of CPU; refusing it takes a scan up to the 21st '['.
    text = "Intro\n\n" + "[" * 20000 + "a" + "]" * 20000
    with pytest.raises(markdown.MarkdownTooComplex) as refused:
        markdown.parse(text)
    assert "Line 3 has 20,000 '[' in a row" in str(refused.value)


def test_a_few_nested_brackets_still_render_as_text() -> None:
    text = "[" * 20 + "a" + "]" * 20
    assert markdown.render_html(text).count("[") == 20


def test_brackets_and_emphasis_soup_renders_or_is_refused_with_a_message() -> None:
    text = ("[a](b *c _d [e](f) g_ h* " * 2000)[: markdown.max_body_chars()]
    with pytest.raises(markdown.MarkdownTooComplex) as refused:
        markdown.parse(text)
    assert "markup characters" in str(refused.value)
    assert markdown.render_html(text[:2000]).startswith("<p>")


@override_settings(CONTENT_MAX_BODY_CHARS=50)
def test_the_body_limit_comes_from_settings() -> None:
    with pytest.raises(markdown.MarkdownTooLarge):
        markdown.parse("x" * 51)
    assert markdown.parse("x" * 50)
