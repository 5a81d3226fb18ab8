"""The one Markdown pipeline: text -> tokens -> sanitized HTML.

Every consumer (the editor's live preview, stored revision HTML, the public site, feeds, the API
and every exporter) goes through `parse()` so that what a reviewer approved is what every format
says. The parser is CommonMark with tables and strikethrough; raw HTML is switched off, so the
only markup in the output is markup this module writes. bleach then runs over the HTML as a
second wall: it lives behind `sanitize()` alone, so replacing it (nh3 is its successor) touches
one function.

bleach is most of the cost (about 1 ms per KB of Markdown, two thirds of `render_html`; see
benchmarks/bench_markdown.py), so rendered blocks that come back, as they do in the live preview
while an author edits one paragraph, are not sanitized again (`_BlockMemo`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache

import bleach
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

LINK_REL = "nofollow noopener noreferrer"

# Real posts nest a few levels (a list in a quote in a list). Text nested deeper is refused with a
# clear message; markdown-it's own limit sits well above it, so it never truncates silently.
MAX_DEPTH = 30
_PARSER_MAX_NESTING = 100

# Shape limits, checked before parsing by counting (linear, C-speed scans), so that no text within
# the body limit keeps a worker busy for long: markdown-it's cost grows with the markup in a text,
# not its length, by 5-90 microseconds per markup character and per line (measured with
# benchmarks/bench_markdown_worst.py). Each sits above what a real post uses: a 53 KB fact sheet
# with 20 dose tables has about 2,300 '|', and a list of 300 references with their addresses
# about 4,100 markup characters ('&' and '_' in addresses count); the limits leave room for
# half as much again, at up to ~300 ms for the densest accepted text, rather than refuse one.
MAX_MARKUP_CHARS = 6_000
MARKUP_CHARS = "[]*_`~<&\\"
MAX_LINK_NESTING = 20
MAX_LINES = 2_500
MAX_TABLE_COLUMNS = 100
MAX_TABLE_CELLS = 6_000
# Each link costs ~90 microseconds (mostly the sanitizer reading its attributes); counted after
# parsing, because a link definition makes every '[name]' a link.
MAX_LINKS = 1_000
# A link definition used many times copies its address into each use; this bounds the HTML the
# addresses make, which the sanitizer then reads.
MAX_LINK_ADDRESS_CHARS = 200_000

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
            _(
                "The text is {length:,} characters long; the limit is {limit:,} characters. "
                "Split it into several posts or shorten it."
            ).format(length=length, limit=limit)
        )


class MarkdownTooDeep(MarkdownRefused):
    def __init__(self, depth: int) -> None:
        self.depth = depth
        super().__init__(
            _(
                "The text is nested {depth} levels deep; at most {limit} are allowed. "
                "Look for long runs of *, _ or > characters, or lists indented many times."
            ).format(depth=depth, limit=MAX_DEPTH)
        )


class MarkdownTooComplex(MarkdownRefused):
    """The text has a shape no real post has and that would cost seconds to render."""


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
    check_shape(text)
    tokens = _parser().parse(text)
    depth = _depth(tokens)
    if depth > MAX_DEPTH:
        raise MarkdownTooDeep(depth)
    _check_link_addresses(tokens)
    return tokens


_MARKUP = re.compile("[" + re.escape(MARKUP_CHARS) + "]")
_NON_BLANK_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)
# What moves the nesting of link and image labels: an escaped character (it does not count), a
# bracket, or a blank line (a new paragraph starts from no nesting).
_BRACKET_EVENT = re.compile(r"\\.|\[|\]|\n[ \t]*(?=\n)", re.DOTALL)
_OPEN_RUN = re.compile(r"(?:!?\[){2,}")


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def check_shape(text: str) -> None:
    """Refuse, before parsing, the shapes that make markdown-it slow; each message names the limit.

    Every check counts with str methods or a regex pass; the one loop in Python (over brackets)
    stops at the first bracket nested too deep. Link nesting is checked first because its
    message is the most precise (the line and the run of '[').
    """
    _check_link_nesting(text)
    markup = len(_MARKUP.findall(text))
    if markup > MAX_MARKUP_CHARS:
        count, number = max(
            (len(_MARKUP.findall(line)), number)
            for number, line in enumerate(text.split("\n"), start=1)
        )
        raise MarkdownTooComplex(
            _(
                "The text has {markup:,} markup characters ({chars}); at most {limit:,} are "
                "allowed. Line {number:,} has the most ({count:,}): remove repeated characters, "
                "or split the post."
            ).format(
                markup=markup,
                chars=" ".join(MARKUP_CHARS),
                limit=MAX_MARKUP_CHARS,
                number=number,
                count=count,
            )
        )
    lines = len(_NON_BLANK_LINE.findall(text))
    if lines > MAX_LINES:
        raise MarkdownTooComplex(
            _(
                "The text has {lines:,} lines; at most {limit:,} are allowed. "
                "Join short lines or split the post."
            ).format(lines=lines, limit=MAX_LINES)
        )
    pipes = text.count("|")
    if pipes > MAX_TABLE_COLUMNS:
        _check_table_columns(text)
    if pipes > MAX_TABLE_CELLS:
        raise MarkdownTooComplex(
            _(
                "The text has {pipes:,} '|' (table cell borders); at most {limit:,} are "
                "allowed. Make the tables smaller or split the post."
            ).format(pipes=pipes, limit=MAX_TABLE_CELLS)
        )


def _check_link_nesting(text: str) -> None:
    # markdown-it looks for the end of a link label from every '[', through every label nested
    # in it: links nested n deep cost n times their length, and a long run of '[' costs seconds.
    depth = 0
    for event in _BRACKET_EVENT.finditer(text):
        mark = event.group()
        if mark == "[":
            depth += 1
            if depth > MAX_LINK_NESTING:
                _refuse_link_nesting(text, event.start())
        elif mark == "]":
            depth = max(0, depth - 1)
        elif mark[0] == "\n":
            depth = 0


def _refuse_link_nesting(text: str, position: int) -> None:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    number = _line_of(text, position)
    longest = max((run.group() for run in _OPEN_RUN.finditer(line)), key=len, default="")
    if longest.count("[") > MAX_LINK_NESTING:
        mark = "![" if longest.count("![") * 2 > longest.count("[") else "["
        raise MarkdownTooComplex(
            _(
                "Line {number:,} has {count:,} '{mark}' in a row; links and images cannot nest "
                "more than {limit} deep. Shorten the run, or write \\[ for a bracket that is "
                "not a link."
            ).format(number=number, count=longest.count("["), mark=mark, limit=MAX_LINK_NESTING)
        )
    raise MarkdownTooComplex(
        _(
            "Line {number:,} opens more than {limit} '[' that are not closed with ']' in the "
            "same paragraph; links and images cannot nest more than {limit} deep. Close them, "
            "or write \\[ for a bracket that is not a link."
        ).format(number=number, limit=MAX_LINK_NESTING)
    )


def _check_table_columns(text: str) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        columns = line.strip().strip("|").count("|") + 1
        if columns > MAX_TABLE_COLUMNS:
            raise MarkdownTooComplex(
                _(
                    "Line {number:,} has {columns:,} table columns ('|'); at most {limit} are "
                    "allowed. Split the table."
                ).format(number=number, columns=columns, limit=MAX_TABLE_COLUMNS)
            )


def _check_link_addresses(tokens: Sequence[Token]) -> None:
    total = 0
    links = 0
    for block in tokens:
        for token in block.children or ():
            if token.type in {"link_open", "image"}:
                links += 1
                total += len(str(token.attrGet("href") or token.attrGet("src") or ""))
                total += len(str(token.attrGet("title") or ""))
    if links > MAX_LINKS:
        raise MarkdownTooComplex(
            _(
                "The text has {links:,} links and images; at most {limit:,} are allowed. "
                "Split the post."
            ).format(links=links, limit=MAX_LINKS)
        )
    if total > MAX_LINK_ADDRESS_CHARS:
        raise MarkdownTooComplex(
            _(
                "The links and images in the text add up to {total:,} characters of addresses; "
                "at most {limit:,} are allowed. A link definition with a long address is "
                "probably used many times: shorten the address or use it less often."
            ).format(total=total, limit=MAX_LINK_ADDRESS_CHARS)
        )


def _depth(tokens: Sequence[Token], base: int = 0) -> int:
    deepest = base
    for token in tokens:
        level = base + token.level
        if level > deepest:
            deepest = level
        if token.children:
            deepest = max(deepest, _depth(token.children, level))
    return deepest


def tokens_to_html(tokens: Sequence[Token]) -> str:
    """Render tokens from `parse()` to sanitized HTML."""
    return sanitize_blocks(render_blocks(tokens))


def render_blocks(tokens: Sequence[Token]) -> list[str]:
    """The HTML of each top-level block, not yet sanitized (a step of `tokens_to_html`)."""
    md = _parser()
    return [md.renderer.render(block, md.options, {}) for block in _top_level_blocks(tokens)]


def sanitize_blocks(blocks: Sequence[str]) -> str:
    """The sanitized HTML of rendered blocks, through the memo (a step of `tokens_to_html`)."""
    return _BLOCKS.clean_blocks(blocks)


def clear_memo() -> None:
    """Forget every sanitized block (tests and benchmarks measure first sight)."""
    _BLOCKS.clear()


def _top_level_blocks(tokens: Sequence[Token]) -> list[list[Token]]:
    """The tokens cut after each top-level block; one piece if they do not nest properly.

    Each piece renders to balanced markup, which is what lets the pieces be sanitized apart.
    """
    blocks: list[list[Token]] = []
    current: list[Token] = []
    depth = 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth < 0:
            return [list(tokens)]
        if depth == 0 and token.block:
            blocks.append(current)
            current = []
    if depth:
        return [list(tokens)]
    if current:
        blocks.append(current)
    return blocks


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


class _BlockMemo:
    """Sanitized HTML of rendered top-level blocks that come back.

    The live preview renders the whole text after each pause in typing, a save renders it again
    and exports render it block by block, while an author changes one block at a time. On first
    sight one bleach call over the whole document is cheaper than one call per block (per block
    costs 10-25% more, benchmarks/bench_markdown.py), so a block is sanitized on its own, and
    kept, only the second time it is seen; blocks seen for the first time go through bleach
    together, one call per run of them. The third time a block costs a dictionary lookup.

    Sanitizing balanced blocks apart gives exactly the HTML of sanitizing them together; the
    golden outputs in tests/test_markdown_golden.py hold every path to what revisions store.
    Entries are keyed by the exact HTML, so a kept value is bleach's output for that very input.
    Least recently used entries go first once `budget` characters are held (a few MB).
    """

    def __init__(self, budget: int) -> None:
        self._budget = budget
        # A block longer than this is never kept: it would push out everything else.
        self._largest = budget // 16
        self._held = 0
        # block HTML -> its sanitized HTML, or None once seen but not yet sanitized on its own
        self._entries: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0

    def clean_blocks(self, blocks: Sequence[str]) -> str:
        seen, kept = self._recall(blocks)
        pieces: list[str] = []
        new: list[str] = []
        done: dict[str, str] = {}  # sanitized alone during this call, for blocks repeated in it
        for block, was_seen, clean in zip(blocks, seen, kept, strict=True):
            if not was_seen:
                new.append(block)
                continue
            if new:
                pieces.append(sanitize("".join(new)))
                new = []
            if clean is None:
                clean = done[block] if block in done else sanitize(block)
                done[block] = clean
                self._keep(block, clean)
            pieces.append(clean)
        if new:
            pieces.append(sanitize("".join(new)))
        return "".join(pieces)

    def _recall(self, blocks: Sequence[str]) -> tuple[list[bool], list[str | None]]:
        # One look at the memo for the whole text, so that a block repeated within a text seen
        # for the first time (a rule, a warning said twice) does not split its bleach call.
        seen: list[bool] = []
        kept: list[str | None] = []
        with self._lock:
            for block in blocks:
                found = block in self._entries
                seen.append(found)
                kept.append(self._entries[block] if found else None)
                if found:
                    self._entries.move_to_end(block)
            for block, found in zip(blocks, seen, strict=True):
                if not found and len(block) <= self._largest and block not in self._entries:
                    self._entries[block] = None
                    self._held += len(block)
            self._evict()
        return seen, kept

    def _keep(self, block: str, clean: str) -> None:
        with self._lock:
            if block in self._entries and self._entries[block] is None:
                self._entries[block] = clean
                self._held += len(clean)
                self._evict()

    def _evict(self) -> None:
        while self._held > self._budget:
            block, clean = self._entries.popitem(last=False)
            self._held -= len(block) + len(clean or "")


_BLOCKS = _BlockMemo(budget=2_000_000)
