"""BBCode for phpBB, XenForo, vBulletin, SMF and MyBB (see bbcode_dialects for what each has)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from content.exporters.base import Exporter, top_level_groups
from content.exporters.bbcode_dialects import BOLD, DIALECTS, FALLBACK_HR, BBCodeDialect
from content.exporters.scanners import TagScanner

STRIKE_FALLBACK = "~~"
TAG_PATTERN = re.compile(r"\[(?P<slash>/?)(?P<name>[a-zA-Z]+|\*)(?:[= ][^\]\n]*)?\]")
UNSAFE_IN_URL = {"[": "%5B", "]": "%5D", "\n": "", "\r": "", '"': "%22"}
NOT_RENDERABLE = "The {format} exporter cannot render a {type!r} token."
_CODE_CLOSE = re.compile(r"\[\s*/\s*(?=code\b)", re.IGNORECASE)


class BBCodeExporter(Exporter):
    format = "bbcode"
    label = "BBCode"
    dialects = {d.name: d.label for d in DIALECTS.values()}
    content_type = "text/plain; charset=utf-8"
    extension = "bbcode.txt"

    @property
    def dialect(self) -> BBCodeDialect:
        return DIALECTS[self.settings.dialect]

    def render_blocks(self, tokens: Sequence[Token]) -> list[str]:
        return [
            self.block(node)
            for group in top_level_groups(tokens)
            for node in SyntaxTreeNode(group).children
        ]

    def plain(self, text: str, *, strong: bool = False) -> str:
        escaped = self.text(text)
        return f"[b]{escaped}[/b]" if strong else escaped

    def reference_marker(self, number: int) -> str:
        return self.text(f"[{number}]")

    def references(self, refs: Sequence[tuple[int, str]]) -> str:
        return "\n".join(self.text(f"[{n}] {url}") for n, url in refs)

    signs_copy = True

    def signable(self, text: str) -> str:
        # Inside [code] nothing is parsed except its own closing tag (some parsers even accept
        # "[/ code]"); the signed text must hold none, so its bracket is written full-width
        # ("\uff3b/code]"): visible, never a tag, signed and shown that way.
        return _CODE_CLOSE.sub("\uff3b/", text)

    def signed_block(self, signed: str) -> str:
        return f"[code]\n{signed.rstrip(chr(10))}\n[/code]"

    def splitter(self) -> TagScanner:
        return TagScanner(
            TAG_PATTERN,
            void=frozenset({"*", "hr"}),
            atomic=frozenset({"url", "plain", "noparse", "nobbc"}),
            close=lambda name: "" if name in {"*"} else f"[/{name}]",
            opaque=frozenset({"code", "icode"}),
        )

    # Text ------------------------------------------------------------------------------------

    def text(self, text: str) -> str:
        text = text.replace("[", self.dialect.open_bracket)
        for pattern, replacement in self.dialect.text_fixes:
            text = pattern.sub(replacement, text)
        return text

    def inline(self, nodes: Sequence[SyntaxTreeNode]) -> str:
        return "".join(self.inline_node(node) for node in nodes)

    def inline_node(self, node: SyntaxTreeNode) -> str:
        d = self.dialect
        kind = node.type
        if kind == "text":
            return self.text(node.content)
        if kind == "softbreak":
            return " "
        if kind == "hardbreak":
            return "\n"
        if kind == "strong":
            return f"[b]{self.inline(node.children)}[/b]"
        if kind == "em":
            return f"[i]{self.inline(node.children)}[/i]"
        if kind == "s":
            opening, closing = d.strike or (STRIKE_FALLBACK, STRIKE_FALLBACK)
            return f"{opening}{self.inline(node.children)}{closing}"
        if kind == "code_inline":
            return self.code_inline(node.content)
        if kind == "link":
            return self.link(str(node.attrs.get("href", "")), node.children)
        raise ValueError(NOT_RENDERABLE.format(format="BBCode", type=kind))

    def code_inline(self, code: str) -> str:
        pair = self.dialect.inline_code
        if pair is None or "[" in code:
            return self.text(code)
        if pair[0].lower() == "[icode]":  # ICODE does not parse its content
            return f"{pair[0]}{code}{pair[1]}"
        return f"{pair[0]}{self.text(code)}{pair[1]}"

    def link(self, href: str, label_nodes: Sequence[SyntaxTreeNode]) -> str:
        url = "".join(UNSAFE_IN_URL.get(ch, ch) for ch in href)
        label = self.inline(label_nodes) or self.text(href)
        return f"[url={url}]{label}[/url]"

    # Blocks ----------------------------------------------------------------------------------

    def block(self, node: SyntaxTreeNode, *, tight: bool = False) -> str:
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children[0].children) if node.children else ""
        if kind == "heading":
            return self.heading(int(node.tag[1]), self.inline(node.children[0].children))
        if kind in {"bullet_list", "ordered_list"}:
            return self.list(node)
        if kind == "blockquote":
            inner = "\n\n".join(self.block(child) for child in node.children)
            return f"[quote]\n{inner}\n[/quote]"
        if kind in {"fence", "code_block"}:
            return self.code_block(node.content)
        if kind == "hr":
            return self.dialect.hr or FALLBACK_HR
        if kind == "table":
            return self.table(node)
        raise ValueError(NOT_RENDERABLE.format(format="BBCode", type=kind))

    def heading(self, level: int, content: str) -> str:
        opening, closing = self.dialect.headings.get(level, BOLD)
        return f"{opening}{content}{closing}"

    def code_block(self, code: str) -> str:
        # A literal closing tag would end the block early; a zero-width space defuses it.
        code = re.sub(r"\[/(code)", "[/\u200b\\1", code.rstrip("\n"), flags=re.IGNORECASE)
        return f"[code]\n{code}\n[/code]"

    def list(self, node: SyntaxTreeNode) -> str:
        d = self.dialect
        opening, closing = d.ordered_list if node.type == "ordered_list" else d.bullet_list
        lines = [opening]
        for item in node.children:
            tight = all(child.hidden for child in item.children if child.type == "paragraph")
            joiner = "\n" if tight else "\n\n"
            body = joiner.join(self.block(child) for child in item.children)
            lines.append(f"{d.item[0]}{body}{d.item[1]}")
        lines.append(closing)
        return "\n".join(lines)

    def table(self, node: SyntaxTreeNode) -> str:
        rows = [
            (
                section.type == "thead",
                [self.inline(cell.children[0].children) for cell in row.children],
            )
            for section in node.children
            for row in section.children
        ]
        tags = self.dialect.table
        if tags is None:
            return "\n".join(
                " | ".join(f"[b]{c}[/b]" if head else c for c in cells) for head, cells in rows
            )
        out = [tags["table"][0]]
        for head, cells in rows:
            cell_open, cell_close = tags["th" if head else "td"]
            bold = head and tags["th"] == tags["td"]
            rendered = "".join(
                f"{cell_open}{'[b]' + c + '[/b]' if bold else c}{cell_close}" for c in cells
            )
            out.append(f"{tags['tr'][0]}{rendered}{tags['tr'][1]}")
        out.append(tags["table"][1])
        return "\n".join(out)
