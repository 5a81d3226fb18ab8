"""Shared helpers for exporter tests: sample documents and what "visible text" means."""

from __future__ import annotations

import re
from datetime import date

import bbcode
from markdown_it.token import Token

from content.exporters import ExportDocument, ExportSource
from content.exporters.bbcode_dialects import FALLBACK_HR
from content.markdown import parse

# Each dialect's tags as its own documentation lists them (see bbcode_dialects for sources),
# written out again here so the test does not trust the renderer's own table.
DIALECT_TAGS = {
    "phpbb3": {"b", "i", "u", "code", "color", "email", "img", "list", "*", "quote", "size", "url"},
    "xenforo2": {"b", "i", "u", "s", "heading", "list", "*", "quote", "code", "icode", "plain",
                 "spoiler", "table", "tr", "th", "td", "url", "img"},
    "vbulletin4": {"b", "i", "u", "color", "size", "font", "highlight", "indent", "email", "url",
                   "list", "*", "img", "code", "php", "html", "quote", "noparse"},
    "smf21": {"b", "i", "u", "s", "size", "font", "hr", "quote", "code", "list", "li", "table",
              "tr", "td", "nobbc", "url", "img"},
    "mybb18": {"b", "i", "u", "s", "hr", "size", "font", "align", "color", "url", "email", "quote",
               "code", "php", "list", "*", "img"},
}  # fmt: skip
ALL_FORMATS = [("bbcode", d) for d in sorted(DIALECT_TAGS)] + [
    ("forum_markdown", "commonmark"),
    ("forum_markdown", "reddit"),
    ("plaintext", ""),
    ("html", ""),
]
OPAQUE = {"code", "icode", "plain", "noparse", "nobbc", "php", "html"}
BLOCKISH = {"*", "li", "list", "quote", "tr", "td", "th", "table", "heading", "code"}
STANDALONE = {"*", "hr"}
TAG_LIKE = re.compile(r"\[/?[a-zA-Z*]+(?:[= ][^\]\n]*)?\]")
DECORATIONS = {"|", FALLBACK_HR}

RICH_BODY = """\
## Dosing basics

Start **low**, go *slow*: ~100 mg is a lot, 10^3 µg = 1 mg. People write >!spoiler!< and
[b]tags[/b] as text, and \\*stars\\* too. See [the guide](https://example.org/guide) or
[our page](/posts/dosing) and <https://example.onion/x>. Use `code [x]` inline.\\
A hard break above; 100 % sure & safe.

1. Weigh with a 0.001 g scale
2. Dissolve in water
   - 10 ml
   - label the bottle
3. Wait ~~30~~ 90 minutes

> Quote with a list:
>
> - one
> - two

| Substance | Dose |
|-----------|-----:|
| A | 10 mg |
| B [x] | 5 mg |

```
volumetric: 100 mg / 10 ml
```

---

\\# not a heading, 1986\\. not a list, + not a bullet.
"""


def rich_document(**changes: object) -> ExportDocument:
    values: dict[str, object] = {
        "title": "Dosing [b]basics[/b] ~ a guide",
        "summary": "How to dose ~100 mg safely, 10^3 ways.",
        "body": RICH_BODY,
        "sources": (
            ExportSource("A study", "https://pubmed.example.org/123", date(2024, 3, 1)),
            ExportSource("Our fact sheet", "/facts/1"),
        ),
        "version": 3,
        "content_hash": "abc123",
        "published_on": date(2024, 4, 1),
        "review_due": date(2025, 4, 1),
        "approvals": 2,
        "canonical_url": "https://hr.example.org/posts/dosing",
        "onion_url": "http://hrexample.onion/posts/dosing",
        "is_final": True,
    }
    values.update(changes)
    return ExportDocument(**values)  # type: ignore[arg-type]


def visible_words(text: str) -> list[str]:
    """Visible text, the one definition used by every comparison in these tests.

    The words (whitespace-separated) a reader sees, ignoring layout: line breaks, list numbers
    and bullets are markup, not text; the decorations renderers add where a dialect lacks a
    feature (table cell separators, a rule of box-drawing characters, ~~ for strikethrough) are
    dropped, on both sides of every comparison.
    """
    return [w for w in text.replace("~~", " ").split() if w not in DECORATIONS]


def markdown_visible(source: str) -> list[str]:
    return visible_words(" ".join(_token_text(t) for t in parse(source)))


def _token_text(token: Token) -> str:
    if token.type in {"fence", "code_block"}:
        return token.content
    if token.type != "inline":
        return ""
    out = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            out.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            out.append(" ")
    return "".join(out)


def bbcode_parser(dialect: str) -> bbcode.Parser:
    parser = bbcode.Parser(
        newline="\n",
        install_defaults=False,
        escape_html=False,
        replace_links=False,
        replace_cosmetic=False,
    )
    for tag in DIALECT_TAGS[dialect]:
        options: dict[str, bool] = {}
        if tag in OPAQUE:
            options = {"render_embedded": False, "transform_newlines": False}
        if tag in STANDALONE:
            options = {"standalone": True}
        pad = " " if tag in BLOCKISH else ""
        parser.add_formatter(
            tag,
            lambda name, value, opts, parent, ctx, pad=pad: f"{pad}{value or ''}{pad}",
            escape_html=False,
            replace_links=False,
            replace_cosmetic=False,
            **options,
        )
    return parser


def bbcode_visible(text: str, dialect: str) -> list[str]:
    return visible_words(bbcode_parser(dialect).format(text))


def bbcode_problems(text: str, dialect: str) -> list[str]:
    """Unbalanced or unknown tags in `text`, as the dialect's own tag list sees them."""
    parser = bbcode_parser(dialect)
    problems, stack = [], []
    opaque: str | None = None
    for kind, name, _options, raw in parser.tokenize(text):
        if opaque:
            if kind == parser.TOKEN_TAG_END and name == opaque:
                opaque = None
                stack.pop()
            continue
        if kind == parser.TOKEN_TAG_START and name not in STANDALONE:
            stack.append(name)
            opaque = name if name in OPAQUE else None
        elif kind == parser.TOKEN_TAG_END:
            if not stack or stack[-1] != name:
                problems.append(f"unexpected {raw}")
            else:
                stack.pop()
        elif kind == parser.TOKEN_DATA and TAG_LIKE.search(raw):
            problems.append(f"unknown tag in {raw!r}")
    problems += [f"unclosed [{name}]" for name in stack]
    return problems
