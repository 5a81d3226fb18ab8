"""Plain text: wrapped at 72 columns, headings underlined, links as numbered references.

Links never reach this renderer as links: the class says `clickable_links = False`, so
`policies.effective_link_policy` turns "keep" into numbered references for this format, and the
references are listed at the end of each part.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from content.exporters.base import Exporter, top_level_groups

WIDTH = 72
UNDERLINES = {1: "=", 2: "-"}
NOT_RENDERABLE = "The plain-text exporter cannot render a {type!r} token."


def wrap(text: str, width: int, *, first: str = "", rest: str = "") -> str:
    lines = []
    for index, line in enumerate(text.split("\n")):
        lines += textwrap.wrap(
            line,
            width=max(width, 20),
            initial_indent=first if index == 0 else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [(first if index == 0 else rest).rstrip()]
    return "\n".join(lines)


class PlainTextExporter(Exporter):
    format = "plaintext"
    label = "Plain text"
    content_type = "text/plain; charset=utf-8"
    extension = "txt"
    clickable_links = False  # see the module docstring
    bullet = "- "
    underlines = UNDERLINES
    other_underline = "~"
    table_rule = "-+-", "-"

    def render_blocks(self, tokens: Sequence[Token]) -> list[str]:
        return [
            self.block(node, WIDTH)
            for group in top_level_groups(tokens)
            for node in SyntaxTreeNode(group).children
        ]

    def plain(self, text: str, *, strong: bool = False) -> str:
        return text.upper() if strong else text

    def inline(self, nodes: Sequence[SyntaxTreeNode]) -> str:
        out = []
        for node in nodes:
            if node.type in {"text", "code_inline"}:
                out.append(node.content)
            elif node.type == "softbreak":
                out.append(" ")
            elif node.type == "hardbreak":
                out.append("\n")
            elif node.type == "s":
                out.append(f"~~{self.inline(node.children)}~~")
            elif node.type == "link":
                out.append(self.link(str(node.attrs.get("href", "")), self.inline(node.children)))
            elif node.type in {"strong", "em"}:
                out.append(self.inline(node.children))
            else:
                raise ValueError(NOT_RENDERABLE.format(type=node.type))
        return "".join(out)

    def link(self, href: str, label: str) -> str:
        """Links reach plain text as numbered references (see the module docstring)."""
        return label

    def block(self, node: SyntaxTreeNode, width: int) -> str:
        kind = node.type
        if kind == "paragraph":
            return wrap(self.inline(node.children[0].children), width)
        if kind == "heading":
            title = self.inline(node.children[0].children).replace("\n", " ")
            level = int(node.tag[1])
            underline = self.underlines.get(level, self.other_underline)
            return f"{title}\n{underline * min(len(title), width)}"
        if kind in {"bullet_list", "ordered_list"}:
            return self.list(node, width)
        if kind == "blockquote":
            inner = "\n\n".join(self.block(c, width - 2) for c in node.children)
            return "\n".join(f"| {line}".rstrip() for line in inner.split("\n"))
        if kind in {"fence", "code_block"}:
            return "\n".join(
                f"    {line}".rstrip() for line in node.content.rstrip("\n").split("\n")
            )
        if kind == "hr":
            return "* * *"
        if kind == "table":
            return self.table(node)
        raise ValueError(NOT_RENDERABLE.format(type=kind))

    def list(self, node: SyntaxTreeNode, width: int) -> str:
        ordered = node.type == "ordered_list"
        start = int(node.attrs.get("start", 1)) if ordered else 1
        items = []
        for index, item in enumerate(node.children):
            marker = f"{start + index}. " if ordered else self.bullet
            pad = " " * len(marker)
            parts = [self.block(c, width - len(marker)) for c in item.children]
            lines = "\n".join(parts).split("\n")
            lines = [marker + lines[0]] + [(pad + line).rstrip() for line in lines[1:]]
            items.append("\n".join(lines))
        return "\n".join(items)

    def table(self, node: SyntaxTreeNode) -> str:
        rows = [
            [self.inline(cell.children[0].children) for cell in row.children]
            for section in node.children
            for row in section.children
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [
            " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
            for row in rows
        ]
        joint, dash = self.table_rule
        lines.insert(1, joint.join(dash * w for w in widths))
        return "\n".join(lines)
