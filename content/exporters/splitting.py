"""Length splitting: pack rendered blocks into numbered parts that each fit a forum's limit.

Parts break between top-level blocks, so a link, list, table or code block is never cut. Only a
single block longer than a whole part is cut inside, as a last resort, preferring line ends, then
sentence ends, then spaces; never inside a link or a tag. Markup open at the cut (a BBCode list,
an HTML paragraph, a Markdown code fence) is closed at the end of the piece and reopened at the
start of the next, so every part is well-formed on its own. The pieces' texts, without those
wrappers, rejoin to the original exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from content.exporters.base import ExportError

LIMIT_TOO_SMALL = (
    "The length limit of {limit} characters is too small: the banner, header, footer and part "
    "marker alone take {overhead}. Raise the limit or shorten the templates."
)
CANNOT_CUT = (
    "A block cannot be cut to fit {budget} characters without breaking a link or tag. "
    "Raise the length limit."
)
_SENTENCE_END = re.compile(r"[.!?:;][)\"'\u201d\u2019]*\s")


@dataclass(frozen=True)
class Piece:
    text: str
    opening: str = ""
    closing: str = ""
    continues: bool = False  # True when this piece is the rest of the previous piece's block
    refs: tuple[int, ...] = ()  # reference numbers cited by the block this piece comes from

    def render(self) -> str:
        return self.opening + self.text + self.closing


@dataclass(frozen=True)
class Block:
    text: str
    refs: tuple[int, ...] = ()


class LineScanner:
    """For formats without nesting markup (plain text): any whitespace is a safe cut."""

    def prepare(self, text: str) -> None:
        self.text = text

    def forbidden(self, pos: int) -> bool:
        return False

    def wrappers(self, pos: int) -> tuple[str, str]:
        """(closing for the piece that ends at pos, opening for the piece that starts there)."""
        return "", ""


def rejoin(chunks: Sequence[Sequence[Piece]], separator: str) -> str:
    out: list[str] = []
    for piece in (p for chunk in chunks for p in chunk):
        if out and not piece.continues:
            out.append(separator)
        out.append(piece.text)
    return "".join(out)


def join_chunk(chunk: Sequence[Piece], separator: str) -> str:
    return separator.join(piece.render() for piece in chunk)


def pack(
    blocks: Sequence[Block],
    *,
    limit: int,
    overhead: Callable[[frozenset[int]], int],
    separator: str,
    scanner: LineScanner,
) -> list[list[Piece]]:
    """Greedy packing: each chunk's body plus `overhead(its refs)` stays within `limit`."""
    base = overhead(frozenset())
    if base >= limit:
        raise ExportError(LIMIT_TOO_SMALL.format(limit=limit, overhead=base))
    chunks: list[list[Piece]] = []
    current: list[Piece] = []
    size, refs = 0, frozenset[int]()
    for block in blocks:
        joined = refs | set(block.refs)
        if current and size + len(separator) + len(block.text) + overhead(joined) <= limit:
            current.append(Piece(block.text, refs=block.refs))
            size, refs = size + len(separator) + len(block.text), joined
            continue
        if current:
            chunks.append(current)
        refs = frozenset(block.refs)
        if len(block.text) + overhead(refs) <= limit:
            current, size = [Piece(block.text, refs=block.refs)], len(block.text)
            continue
        pieces = split_block(block.text, limit - overhead(refs), scanner, refs=block.refs)
        chunks.extend([piece] for piece in pieces[:-1])
        current, size = [pieces[-1]], len(pieces[-1].render())
    if current:
        chunks.append(current)
    return chunks


def split_block(
    text: str, budget: int, scanner: LineScanner, *, refs: tuple[int, ...] = ()
) -> list[Piece]:
    """Cut one block into pieces of at most `budget` characters each, wrappers included."""
    scanner.prepare(text)
    pieces: list[Piece] = []
    start, opening = 0, ""
    while len(opening) + len(text) - start > budget:
        cut = _best_cut(text, start, opening, budget, scanner)
        closing, next_opening = scanner.wrappers(cut)
        pieces.append(Piece(text[start:cut], opening, closing, bool(pieces), refs))
        start, opening = cut, next_opening
    pieces.append(Piece(text[start:], opening, "", bool(pieces), refs))
    return pieces


def _best_cut(text: str, start: int, opening: str, budget: int, scanner: LineScanner) -> int:
    room = budget - len(opening)
    end = min(len(text) - 1, start + room)
    fallback = None
    for kind in (_line_cuts, _sentence_cuts, _space_cuts, _any_cuts):
        for pos in kind(text, start, end):
            if scanner.forbidden(pos) or pos <= start:
                continue
            closing, _ = scanner.wrappers(pos)
            if pos - start + len(closing) > room:
                continue
            if pos - start >= room // 2:
                return pos
            fallback = fallback or pos
            break
    if fallback is None:
        raise ExportError(CANNOT_CUT.format(budget=budget))
    return fallback


def _line_cuts(text: str, start: int, end: int):  # type: ignore[no-untyped-def]
    pos = text.rfind("\n", start, end)
    while pos > start:
        yield pos + 1
        pos = text.rfind("\n", start, pos)


def _sentence_cuts(text: str, start: int, end: int):  # type: ignore[no-untyped-def]
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end + 1)]
    yield from reversed(ends)


def _space_cuts(text: str, start: int, end: int):  # type: ignore[no-untyped-def]
    pos = text.rfind(" ", start, end)
    while pos > start:
        yield pos + 1
        pos = text.rfind(" ", start, pos)


def _any_cuts(text: str, start: int, end: int):  # type: ignore[no-untyped-def]
    yield from range(end, start, -1)


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
