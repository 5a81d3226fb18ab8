"""Where one oversize block may be cut: a scanner per kind of markup, used by `splitting`.

Each exporter names its scanner (`Exporter.splitter()`); this module depends on nothing else in
the package, so `base` can name the default without importing the splitter.
"""

from __future__ import annotations

import re
from collections.abc import Callable


class LineScanner:
    """For formats without nesting markup (plain text): any whitespace is a safe cut."""

    def prepare(self, text: str) -> None:
        self.text = text

    def forbidden(self, pos: int) -> bool:
        return False

    def wrappers(self, pos: int) -> tuple[str, str]:
        """(closing for the piece that ends at pos, opening for the piece that starts there)."""
        return "", ""


class TagScanner(LineScanner):
    """Cut points in tag markup (BBCode, HTML): close open tags at a cut, reopen them after.

    `atomic` tags (links) are never cut inside; tag syntax itself is never cut.
    """

    def __init__(
        self,
        pattern: re.Pattern[str],
        *,
        void: frozenset[str],
        atomic: frozenset[str],
        close: Callable[[str], str],
        opaque: frozenset[str] = frozenset(),
    ) -> None:
        self.pattern = pattern
        self.void = void
        self.atomic = atomic
        self.close = close
        self.opaque = opaque

    def prepare(self, text: str) -> None:
        """Find the tags; inside an `opaque` tag (code) only its own closing tag counts."""
        self.text = text
        self.tags = []
        inside: str | None = None
        for match in self.pattern.finditer(text):
            name = match.group("name").lower()
            if inside and not (match.group("slash") and name == inside):
                continue
            inside = None if match.group("slash") else (name if name in self.opaque else None)
            self.tags.append((match.start(), match.end(), match))

    def _stack(self, pos: int) -> tuple[list[tuple[str, str]], bool]:
        stack: list[tuple[str, str]] = []
        for start, end, match in self.tags:
            if start >= pos:
                break
            if end > pos:
                return stack, True  # inside a tag's own syntax
            name = match.group("name").lower()
            if match.group("slash"):
                while stack and stack[-1][0] != name:
                    stack.pop()
                if stack:
                    stack.pop()
            elif name not in self.void:
                stack.append((name, match.group(0)))
        return stack, False

    def forbidden(self, pos: int) -> bool:
        stack, inside_tag = self._stack(pos)
        return inside_tag or any(name in self.atomic for name, _ in stack)

    def wrappers(self, pos: int) -> tuple[str, str]:
        stack, _ = self._stack(pos)
        closing = "".join(self.close(name) for name, _ in reversed(stack))
        return closing, "".join(raw for _, raw in stack)
