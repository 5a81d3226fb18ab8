"""Markdown for forums: CommonMark (also Discourse) and Reddit-style (as on Dread).

Every syntax character in text is backslash-escaped, so "~100 mg", "10^3" or ">!" read on the
forum exactly as in our preview. The dialects are data (`MarkdownDialect`, like the BBCode
ones): Reddit-style differs in two places, code blocks are indented (older Reddit-style parsers
have no fences) and hard breaks are two trailing spaces. A signed part's plain-text copy goes in
a fenced block in every dialect.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from content.exporters.base import Exporter, top_level_groups
from content.exporters.scanners import LineScanner

ESCAPED = frozenset("\\`*_[]<>|~^&")
_LINE_START = re.compile(r"^([ \t]*)([#+=-]|\d{1,9}(?=[.)]))", re.MULTILINE)
_URL_UNSAFE = {"(": "%28", ")": "%29", " ": "%20", "<": "%3C", ">": "%3E"}
NOT_RENDERABLE = "The Markdown exporter cannot render a {type!r} token."


@dataclass(frozen=True)
class MarkdownDialect:
    """One family of forum Markdown parsers: the key stored in profiles, its label, its syntax."""

    name: str
    label: str
    code_blocks: Literal["fenced", "indented"]
    hard_break: str  # a line break inside a paragraph, as this dialect writes it


COMMONMARK = MarkdownDialect(
    name="commonmark", label="CommonMark / Discourse", code_blocks="fenced", hard_break="\\\n"
)
REDDIT = MarkdownDialect(
    name="reddit", label="Reddit-style (Dread)", code_blocks="indented", hard_break="  \n"
)
# In the order editors see them; the registry and the model's choices read this.
DIALECTS = {d.name: d for d in (COMMONMARK, REDDIT)}


def escape_text(text: str) -> str:
    return "".join("\\" + ch if ch in ESCAPED else ch for ch in text)


def escape_line_starts(text: str) -> str:
    """Escape what would start a heading, list or setext underline at the start of a line."""

    def fix(match: re.Match[str]) -> str:
        indent, marker = match.groups()
        if marker[0].isdigit():
            return indent + marker + "\\"  # "1986." -> "1986\." (the dot follows)
        return f"{indent}\\{marker}"

    return _LINE_START.sub(fix, text)


def code_fence(code: str, char: str = "`") -> str:
    longest = max((len(run) for run in re.findall(f"{re.escape(char)}+", code)), default=0)
    return char * max(3, longest + 1)


class ForumMarkdownExporter(Exporter):
    format = "forum_markdown"
    label = "Forum Markdown"
    dialects = {d.name: d.label for d in DIALECTS.values()}
    content_type = "text/markdown; charset=utf-8"
    extension = "md"

    @property
    def dialect(self) -> MarkdownDialect:
        # ExportSettings only lets a known dialect through; CommonMark is the plain default.
        return DIALECTS.get(self.settings.dialect, COMMONMARK)

    def render_blocks(self, tokens: Sequence[Token]) -> list[str]:
        return [
            self.block(node)
            for group in top_level_groups(tokens)
            for node in SyntaxTreeNode(group).children
        ]

    def plain(self, text: str, *, strong: bool = False) -> str:
        lines = [escape_line_starts(escape_text(line)) for line in text.splitlines()]
        body = self.hard_break().join(lines)
        return f"**{body}**" if strong and body else body

    def reference_marker(self, number: int) -> str:
        return escape_text(f"[{number}]")

    def references(self, refs: Sequence[tuple[int, str]]) -> str:
        return self.plain("\n".join(f"[{n}] {url}" for n, url in refs))

    signs_copy = True

    def signed_block(self, signed: str) -> str:
        # A fence in both dialects (Dread and new Reddit render fences): an indented block would
        # put four spaces before the armor, and the file as downloaded would no longer verify.
        fence = code_fence(signed)
        return f"{fence}\n{signed.rstrip(chr(10))}\n{fence}"

    def splitter(self) -> MarkdownScanner:
        return MarkdownScanner()

    def hard_break(self) -> str:
        return self.dialect.hard_break

    # Inline ----------------------------------------------------------------------------------

    def inline(self, nodes: Sequence[SyntaxTreeNode]) -> str:
        return "".join(self.inline_node(node) for node in nodes)

    def inline_node(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "text":
            return escape_text(node.content)
        if kind == "softbreak":
            return "\n"
        if kind == "hardbreak":
            return self.hard_break()
        if kind == "strong":
            return f"**{self.inline(node.children)}**"
        if kind == "em":
            return f"*{self.inline(node.children)}*"
        if kind == "s":
            return f"~~{self.inline(node.children)}~~"
        if kind == "code_inline":
            return code_span(node.content)
        if kind == "link":
            href = "".join(_URL_UNSAFE.get(ch, ch) for ch in str(node.attrs.get("href", "")))
            return f"[{self.inline(node.children)}]({href})"
        raise ValueError(NOT_RENDERABLE.format(type=kind))

    # Blocks ----------------------------------------------------------------------------------

    def block(self, node: SyntaxTreeNode) -> str:
        kind = node.type
        if kind == "paragraph":
            return escape_line_starts(self.inline(node.children[0].children))
        if kind == "heading":
            content = self.inline(node.children[0].children).replace("\n", " ")
            return f"{'#' * int(node.tag[1])} {content}".rstrip()
        if kind in {"bullet_list", "ordered_list"}:
            return self.list(node)
        if kind == "blockquote":
            inner = "\n\n".join(self.block(child) for child in node.children)
            return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
        if kind in {"fence", "code_block"}:
            return self.code_block(node)
        if kind == "hr":
            return "---"
        if kind == "table":
            return self.table(node)
        raise ValueError(NOT_RENDERABLE.format(type=kind))

    def code_block(self, node: SyntaxTreeNode) -> str:
        code = node.content.rstrip("\n")
        if self.dialect.code_blocks == "indented":
            return "\n".join("    " + line if line else "" for line in code.split("\n"))
        fence = code_fence(code)
        info = node.info.strip() if node.type == "fence" else ""
        return f"{fence}{info}\n{code}\n{fence}"

    def list(self, node: SyntaxTreeNode) -> str:
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        delimiter = (node.markup or ".")[-1] if ordered else (node.markup or "-")
        items = []
        for index, item in enumerate(node.children):
            marker = f"{start + index}{delimiter} " if ordered else f"{delimiter} "
            tight = all(c.hidden for c in item.children if c.type == "paragraph")
            body = ("\n" if tight else "\n\n").join(self.block(c) for c in item.children)
            pad = " " * len(marker)
            lines = body.split("\n")
            lines = [marker + lines[0]] + [pad + line if line else "" for line in lines[1:]]
            items.append("\n".join(lines))
        loose = any(
            not c.hidden for i in node.children for c in i.children if c.type == "paragraph"
        )
        return ("\n\n" if loose else "\n").join(items)

    def table(self, node: SyntaxTreeNode) -> str:
        rows, aligns = [], []
        for section in node.children:
            for row in section.children:
                rows.append([self.inline(c.children[0].children) for c in row.children])
                if section.type == "thead":
                    aligns = [str(c.attrs.get("style", "")) for c in row.children]
        rule = [_align_rule(style) for style in aligns]
        lines = [rows[0], rule, *rows[1:]]
        return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _align_rule(style: str) -> str:
    return {"text-align:left": ":--", "text-align:center": ":-:", "text-align:right": "--:"}.get(
        style, "---"
    )


def code_span(code: str) -> str:
    longest = max((len(run) for run in re.findall("`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


class MarkdownScanner(LineScanner):
    """Where an oversize Markdown block may be cut so that each part still renders as meant.

    Never inside a link, a code span or an emphasis span; never in the middle of a quoted line
    or a table row; never just before a line indented four spaces or more (the next part would
    start with a code block). A cut inside a fenced block closes and reopens the fence; a cut
    between the rows of a table repeats its header in the next part.
    """

    _LINK = re.compile(r"(?<!\\)\[(?:\\.|[^\]\\])*\]\([^)\s]*\)")
    _CODE_SPAN = re.compile(r"(?<!\\)(`+)(?:(?!\1).)+?\1", re.DOTALL)
    _FENCE = re.compile(r"^(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
    _EMPHASIS = re.compile(r"(?<!\\)(\*\*|\*|~~)")
    _BULLET = re.compile(r"^[ \t]*\*[ \t]", re.MULTILINE)
    _QUOTE = re.compile(r"(?:[ \t]*>[ \t]?)+")
    _TABLE_HEAD = re.compile(r"\A(\|[^\n]*\|)\n(\|(?: *:?-+:? *\|)+)\n")

    def prepare(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in self._LINK.finditer(text)]
        self.spans += [m.span() for m in self._CODE_SPAN.finditer(text)]
        self.spans += self._emphasis_spans(text)
        self.fences = [
            (m.start(), m.end(), m.group(0), m.group(1)) for m in self._FENCE.finditer(text)
        ]
        head = self._TABLE_HEAD.match(text)
        self.table_head = head.group(0) if head else ""

    def _emphasis_spans(self, text: str) -> list[tuple[int, int]]:
        bullets = {m.end() - 2 for m in self._BULLET.finditer(text)}
        spans: list[tuple[int, int]] = []
        stack: list[tuple[int, str]] = []  # (where an emphasis opened, its marker)
        for match in self._EMPHASIS.finditer(text):
            if match.start() in bullets:
                continue
            if stack and stack[-1][1] == match.group(1):
                opened, _ = stack.pop()
                spans.append((opened, match.end()))
            else:
                stack.append((match.start(), match.group(1)))
        return spans

    def forbidden(self, pos: int) -> bool:
        if any(start < pos < end for start, end in self.spans):
            return True
        line_start = self.text.rfind("\n", 0, pos) + 1
        if self.table_head:
            return pos != line_start or pos < len(self.table_head)
        if self._fence_at(pos) is not None:
            return False
        return pos == line_start and self.text.startswith("    ", pos)

    def _fence_at(self, pos: int) -> tuple[str, str] | None:
        open_fence = None
        for start, end, line, fence in self.fences:
            if start >= pos:
                break
            if end > pos:
                return None  # never chosen: the cut is inside the fence line itself
            open_fence = None if open_fence else (line, fence)
        return open_fence

    def wrappers(self, pos: int) -> tuple[str, str]:
        if self.table_head:
            return "", self.table_head
        open_fence = self._fence_at(pos)
        if open_fence is None:
            # A cut inside a quoted line goes on quoted: the next part starts with its "> ".
            line_start = self.text.rfind("\n", 0, pos) + 1
            quote = self._QUOTE.match(self.text, line_start)
            return ("", quote.group(0)) if quote and pos > line_start else ("", "")
        line, fence = open_fence
        closing = fence if self.text[:pos].endswith("\n") else "\n" + fence
        return closing, line + "\n"
