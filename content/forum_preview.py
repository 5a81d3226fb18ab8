"""An export part as the forum will show it: BBCode and forum Markdown rendered to HTML.

The export page shows each part's raw markup to copy and, beside it, this rendering, so the
author sees lists, tables and links before pasting. The renderers are the forums' kind, not
ours: BBCode through the `bbcode` parser with each dialect's tags (content.exporters
.bbcode_dialects), forum Markdown through markdown-it-py with the options the forums switch on
(tables, strikethrough, bare addresses turned into links). Whatever they write then goes
through the project's one sanitizer, content.markdown.sanitize(): a part is text that left
the studio, so its rendering is treated as untrusted HTML. Plain text is shown as it is, in a
<pre>.

It is a preview, not the forum: sizes and fonts a forum would draw are left out (the
sanitizer allows no style), and a heading written as bold, enlarged text shows as bold text.
Renderings are cached by their input, like exports (the studio asks for the same parts again).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import bbcode
from django.core.cache import cache as django_cache
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from content.exporters.bbcode_dialects import DIALECTS as BBCODE_DIALECTS
from content.markdown import LINK_REL, sanitize

CACHE_SECONDS = 60 * 60
# Deeper nesting than a real post has is shown as text rather than recursed into.
MAX_TAG_DEPTH = 40
LINK_SCHEMES = ("http://", "https://", "mailto:")
ORDERED = frozenset({"1", "a", "A", "i", "I", "decimal"})

type Render = Callable[[str, str | None, Mapping[str, str], Any, Any], str]


def preview_html(part: str, *, format: str, dialect: str = "") -> str:
    """The sanitized HTML of `part` as a forum of `format` and `dialect` shows it."""
    digest = hashlib.sha256(f"{format}\0{dialect}\0{part}".encode()).hexdigest()
    key = f"forum-preview:{digest}"
    found = django_cache.get(key)
    if isinstance(found, str):
        return found
    rendered = sanitize(_render(part, format, dialect))
    django_cache.set(key, rendered, CACHE_SECONDS)
    return rendered


def _render(part: str, format: str, dialect: str) -> str:
    if format == "bbcode":
        return str(_bbcode_parser(dialect).format(part))
    if format == "forum_markdown":
        return str(_markdown_parser(dialect).render(part))
    if format == "html":
        return part  # the exporter's own sanitized HTML; sanitized again all the same
    return f"<pre>{escape(part)}</pre>"


# --- BBCode -------------------------------------------------------------------------------------


def _href(address: str) -> str:
    """A link's target as text, or "" for one a forum would not make a link of."""
    address = html.unescape(address).strip()
    return address if address.lower().startswith(LINK_SCHEMES) else ""


def _link(address: str, text: str) -> str:
    href = _href(address)
    return f'<a href="{escape(href)}" rel="{LINK_REL}">{text}</a>' if href else text


def _autolink(url: str) -> str:
    # The parser hands over a bare address before escaping the text around it.
    target = url if "://" in url else f"http://{url}"
    return _link(escape(target), escape(url))


def _wrap(tag: str) -> Render:
    return lambda name, value, options, parent, context: f"<{tag}>{value or ''}</{tag}>"


def _contents(name: str, value: str | None, options: Mapping[str, str], *_: Any) -> str:
    return value or ""


def _url(name: str, value: str | None, options: Mapping[str, str], *_: Any) -> str:
    address = options.get("url") or value or ""
    return _link(address, value or "")


def _list(name: str, value: str | None, options: Mapping[str, str], *_: Any) -> str:
    kind = options.get("list") or options.get("type") or ""
    tag = "ol" if kind in ORDERED else "ul"
    return f"<{tag}>{value or ''}</{tag}>"


def _heading(name: str, value: str | None, options: Mapping[str, str], *_: Any) -> str:
    level = options.get("heading", "")
    tag = f"h{int(level) + 1}" if level in {"1", "2", "3"} else "strong"
    return f"<{tag}>{value or ''}</{tag}>"


def _font(name: str, value: str | None, options: Mapping[str, str], *_: Any) -> str:
    family = (options.get("font") or "").lower()
    monospace = "mono" in family or "courier" in family
    return f"<code>{value or ''}</code>" if monospace else value or ""


BLOCK = {"strip": True, "swallow_trailing_newline": True}
OPAQUE = {"render_embedded": False, "replace_links": False, "replace_cosmetic": False}
# tag -> (render, tag options), for every tag a dialect may write (bbcode_dialects).
_TAGS: dict[str, tuple[Render, dict[str, bool]]] = {
    "b": (_wrap("strong"), {}),
    "i": (_wrap("em"), {}),
    "s": (_wrap("s"), {}),
    "size": (_contents, {}),
    "font": (_font, {}),
    "heading": (_heading, BLOCK),
    "list": (_list, {**BLOCK, "transform_newlines": False}),
    "*": (
        _wrap("li"),
        {"newline_closes": True, "same_tag_closes": True, "strip": True},
    ),
    "li": (_wrap("li"), {"strip": True, "swallow_trailing_newline": True}),
    "quote": (_wrap("blockquote"), BLOCK),
    "code": (
        lambda n, value, o, p, c: f"<pre><code>{(value or '').strip(chr(10))}</code></pre>",
        {**OPAQUE, **BLOCK, "strip": False, "transform_newlines": False},
    ),
    "icode": (_wrap("code"), OPAQUE),
    "plain": (_contents, OPAQUE),
    "noparse": (_contents, OPAQUE),
    "nobbc": (_contents, OPAQUE),
    "url": (_url, {"replace_links": False, "replace_cosmetic": False}),
    "hr": (lambda *_: "<hr>", {"standalone": True, "swallow_trailing_newline": True}),
    "table": (_wrap("table"), {**BLOCK, "transform_newlines": False}),
    "tr": (_wrap("tr"), {**BLOCK, "transform_newlines": False}),
    "th": (_wrap("th"), {"strip": True}),
    "td": (_wrap("td"), {"strip": True}),
}


@cache
def _bbcode_parser(dialect: str) -> bbcode.Parser:
    """A parser that knows the tags `dialect` has; anything else stays text, as on the forum.
    Forums turn bare addresses into links, so this one does too."""
    tags = BBCODE_DIALECTS[dialect].tags if dialect in BBCODE_DIALECTS else frozenset(_TAGS)
    parser = bbcode.Parser(
        newline="<br>\n",
        install_defaults=False,
        escape_html=True,
        replace_links=True,
        replace_cosmetic=False,
        linker=_autolink,
        max_tag_depth=MAX_TAG_DEPTH,
    )
    for tag in sorted(tags & _TAGS.keys()):
        render, options = _TAGS[tag]
        parser.add_formatter(tag, render, **options)
    return parser


# --- Forum Markdown -----------------------------------------------------------------------------


@cache
def _markdown_parser(dialect: str) -> MarkdownIt:
    """CommonMark as Discourse and Reddit-style forums (Dread) render it: tables,
    strikethrough and bare addresses made links, raw HTML off. The two dialects differ only in
    how the exporter writes (code blocks, hard breaks), which CommonMark reads either way."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "maxNesting": 40})
    md.enable(["table", "strikethrough", "linkify"])
    md.add_render_rule("link_open", _markdown_link_open)
    return md


def _markdown_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tokens[idx].attrSet("rel", LINK_REL)  # as on our own pages: no referrer, no ranking
    return self.renderToken(tokens, idx, options, env)
