"""The one Markdown pipeline: text -> tokens -> sanitized HTML.

Every consumer (the editor's live preview, stored revision HTML, the public site, feeds, the API
and every exporter) goes through `parse()` so that what a reviewer approved is what every format
says. The parser is CommonMark with tables and strikethrough; raw HTML is switched off, so the
only markup in the output is markup this module writes. bleach then runs over the HTML as a
second wall: it lives behind `sanitize()` alone, so replacing it (nh3 is its successor) touches
one function.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache

import bleach
from django.conf import settings
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

LINK_REL = "nofollow noopener noreferrer"

# Real posts nest a few levels (a list in a quote in a list). Text nested deeper is refused with a
# clear message; markdown-it's own limit sits well above it, so it never truncates silently.
MAX_DEPTH = 30
_PARSER_MAX_NESTING = 100

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead",
        "tr", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


class MarkdownRefused(ValueError):
    """The text cannot be published as it is; the message tells the author why."""


class MarkdownTooLarge(MarkdownRefused):
    """The text is longer than the documented limit; it is refused before parsing."""

    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            f"The text is {length:,} characters long; the limit is {limit:,} characters. "
            "Split it into several posts or shorten it."
        )


class MarkdownTooDeep(MarkdownRefused):
    def __init__(self, depth: int) -> None:
        self.depth = depth
        super().__init__(
            f"The text is nested {depth} levels deep; at most {MAX_DEPTH} are allowed. "
            "Look for long runs of *, _ or > characters, or lists indented many times."
        )


def max_body_chars() -> int:
    return settings.CONTENT_MAX_BODY_CHARS


def check_length(text: str) -> None:
    limit = max_body_chars()
    if len(text) > limit:
        raise MarkdownTooLarge(len(text), limit)


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "maxNesting": _PARSER_MAX_NESTING, "typographer": False}
    )
    md.enable(["table", "strikethrough"])
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("th_open", _render_table_cell_open)
    md.add_render_rule("td_open", _render_table_cell_open)
    return md


def parse(text: str) -> list[Token]:
    """Parse Markdown into markdown-it tokens.

    Raises MarkdownTooLarge past the body limit and MarkdownTooDeep past MAX_DEPTH, so every
    consumer (including recursive exporters) gets a bounded token tree.
    """
    check_length(text)
    tokens = _parser().parse(text)
    depth = _depth(tokens)
    if depth > MAX_DEPTH:
        raise MarkdownTooDeep(depth)
    return tokens


def _depth(tokens: Sequence[Token], base: int = 0) -> int:
    deepest = base
    for token in tokens:
        deepest = max(deepest, base + token.level)
        if token.children:
            deepest = max(deepest, _depth(token.children, base + token.level))
    return deepest


def tokens_to_html(tokens: Sequence[Token]) -> str:
    """Render tokens from `parse()` to sanitized HTML."""
    md = _parser()
    return sanitize(md.renderer.render(list(tokens), md.options, {}))


def render_html(text: str) -> str:
    """Markdown -> sanitized HTML. Also the markdownx preview function."""
    return tokens_to_html(parse(text))


def is_local_url(url: str) -> bool:
    """A URL served by this site (a relative path), which a reader's browser may load."""
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _render_link_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    tokens[idx].attrSet("rel", LINK_REL)
    return self.renderToken(tokens, idx, options, env)


def _render_image(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Embed only images this site serves; anything else becomes a plain link.

    An <img> pointing elsewhere would make every reader's browser contact a third party.
    """
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if is_local_url(src):
        return f'<img src="{escape(src)}" alt="{escape(alt)}">'
    label = escape(alt or "image")
    return f'<a href="{escape(src)}" rel="{LINK_REL}">[image: {label}]</a>'


def _render_table_cell_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    # Alignment as a class: style attributes are not on the sanitizer's allowlist.
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    align = style.removeprefix("text-align:")
    attrs = f' class="align-{align}"' if align in {"left", "center", "right"} else ""
    return f"<{token.tag}{attrs}>"


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"} or (name == "rel" and value == LINK_REL)
    if tag == "img":
        return name == "alt" or (name == "src" and is_local_url(value)) or name == "title"
    if tag in {"th", "td"}:
        return name == "class" and value in {"align-left", "align-center", "align-right"}
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "code":
        return name == "class" and value.startswith("language-") and value[9:].isidentifier()
    return False


def _new_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


# bleach's Cleaner is not thread-safe ("the html parser has internal state. Create a separate
# cleaner per thread!", bleach/sanitizer.py): one shared by two threads mixes up or breaks both
# outputs. So each thread keeps its own; building one costs ~30 microseconds.
_per_thread = threading.local()


def _cleaner() -> bleach.Cleaner:
    cleaner: bleach.Cleaner | None = getattr(_per_thread, "cleaner", None)
    if cleaner is None:
        cleaner = _per_thread.cleaner = _new_cleaner()
    return cleaner


def sanitize(html: str) -> str:
    """Strip everything that is not on the allowlist. The only place bleach is called."""
    return _cleaner().clean(html)
