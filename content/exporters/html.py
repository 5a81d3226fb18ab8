"""Sanitized HTML through the site's own renderer and sanitizer (content.markdown).

The tokens arrive with links and images already rewritten by the policies, so the output has no
<img> at all and only the links the profile allows; the site's sanitizer runs over every block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.html import escape
from markdown_it.token import Token

from content.exporters.base import Exporter, top_level_groups
from content.exporters.scanners import TagScanner
from content.markdown import sanitize, tokens_to_html

TAG_PATTERN = re.compile(r"<(?P<slash>/?)(?P<name>[a-zA-Z][a-zA-Z0-9]*)[^>]*>")
VOID = frozenset({"br", "hr", "img"})
_NEEDS_NO_ESCAPE = str.maketrans({"&": "\uff06", "<": "\u2039", ">": "\u203a"})


class HtmlExporter(Exporter):
    format = "html"
    label = "Sanitized HTML"
    content_type = "text/html; charset=utf-8"
    extension = "html"
    block_separator = "\n"

    def render_blocks(self, tokens: Sequence[Token]) -> list[str]:
        return [tokens_to_html(group).strip() for group in top_level_groups(tokens)]

    signs_copy = True

    def signable(self, text: str) -> str:
        # The copy stands in <pre> unescaped, so that the .html file as downloaded verifies too:
        # the three characters HTML would escape are signed as look-alikes that need no escape.
        return text.translate(_NEEDS_NO_ESCAPE)

    def signed_block(self, signed: str) -> str:
        return f"<pre>\n{signed.rstrip(chr(10))}\n</pre>"

    def plain(self, text: str, *, strong: bool = False) -> str:
        lines = "<br>\n".join(escape(line) for line in text.splitlines())
        return sanitize(f"<p><strong>{lines}</strong></p>" if strong else f"<p>{lines}</p>")

    def references(self, refs: Sequence[tuple[int, str]]) -> str:
        return self.plain("\n".join(f"[{n}] {url}" for n, url in refs))

    def splitter(self) -> TagScanner:
        return TagScanner(
            TAG_PATTERN,
            void=VOID,
            atomic=frozenset({"a"}),
            close=lambda name: f"</{name}>",
        )
