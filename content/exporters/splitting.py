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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from content.exporters.base import ExportError
from content.exporters.scanners import LineScanner

LIMIT_TOO_SMALL = gettext_lazy(
    "The length limit of {limit} characters is too small: the banner, header, footer and part "
    "marker alone take {overhead}. Raise the limit or shorten the templates."
)
CANNOT_CUT = gettext_lazy(
    "A block cannot be cut to fit {budget} characters without breaking a link or tag. "
    "Raise the length limit."
)
_SENTENCE_END = re.compile(r"[.!?:;][)\"'\u201d\u2019]*\s")


# Between the blocks of a signed plain-text copy (see content.exporters.signed_copy).
COPY_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Piece:
    text: str
    opening: str = ""
    closing: str = ""
    continues: bool = False  # True when this piece is the rest of the previous piece's block
    refs: tuple[int, ...] = ()  # reference numbers cited in this piece
    copy: str = ""  # the same content as plain text, for the signed copy ("" when unsigned)

    def render(self) -> str:
        return self.opening + self.text + self.closing


@dataclass(frozen=True)
class Block:
    text: str
    refs: tuple[int, ...] = ()
    copy: str = ""

    def size(self, separator: str) -> int:
        """Characters this block adds to a part after another block."""
        extra = len(COPY_SEPARATOR) + len(self.copy) if self.copy else 0
        return len(separator) + len(self.text) + extra


def rejoin(chunks: Sequence[Sequence[Piece]], separator: str) -> str:
    out: list[str] = []
    for piece in (p for chunk in chunks for p in chunk):
        if out and not piece.continues:
            out.append(separator)
        out.append(piece.text)
    return "".join(out)


def join_chunk(chunk: Sequence[Piece], separator: str) -> str:
    return separator.join(piece.render() for piece in chunk)


def join_copy(chunk: Sequence[Piece]) -> str:
    return COPY_SEPARATOR.join(piece.copy for piece in chunk if piece.copy)


RefsIn = Callable[[str, tuple[int, ...]], tuple[int, ...]]


def _all_refs(text: str, refs: tuple[int, ...]) -> tuple[int, ...]:
    return refs


def pack(
    blocks: Sequence[Block],
    *,
    limit: int,
    overhead: Callable[[frozenset[int]], int],
    separator: str,
    scanner: LineScanner,
    refs_in: RefsIn = _all_refs,
) -> list[list[Piece]]:
    """Greedy packing: each chunk's body plus `overhead(its refs)` stays within `limit`.

    `refs_in(text, refs)` says which of a block's references a piece cut out of it still cites,
    so a part lists only the references it uses.
    """
    base = overhead(frozenset())
    if base >= limit:
        raise ExportError(LIMIT_TOO_SMALL.format(limit=limit, overhead=base))
    chunks: list[list[Piece]] = []
    current: list[Piece] = []
    size, refs = 0, frozenset[int]()
    for block in blocks:
        joined = refs | set(block.refs)
        if current and size + block.size(separator) + overhead(joined) <= limit:
            current.append(Piece(block.text, refs=block.refs, copy=block.copy))
            size, refs = size + block.size(separator), joined
            continue
        if current:
            chunks.append(current)
        refs = frozenset(block.refs)
        alone = block.size(separator) - len(separator)
        if alone + overhead(refs) <= limit:
            current, size = [Piece(block.text, refs=block.refs, copy=block.copy)], alone
            continue
        pieces = _split_to_fit(block, limit, overhead, scanner, refs_in)
        chunks.extend([piece] for piece in pieces[:-1])
        last = pieces[-1]
        refs = frozenset(last.refs)
        current, size = [last], len(last.render()) + len(last.copy)
    if current:
        chunks.append(current)
    return chunks


def _split_to_fit(
    block: Block,
    limit: int,
    overhead: Callable[[frozenset[int]], int],
    scanner: LineScanner,
    refs_in: RefsIn,
) -> list[Piece]:
    """Cut a block so that each piece, with the references it cites, fits in a part."""
    budget = limit - overhead(frozenset())
    for _attempt in range(_FIT_ATTEMPTS):
        if budget <= 0:
            break
        pieces = _split_oversize(block, budget, scanner, refs_in)
        excess = max(
            len(p.render()) + len(p.copy) + overhead(frozenset(p.refs)) - limit for p in pieces
        )
        if excess <= 0:
            return pieces
        budget -= excess
    raise ExportError(CANNOT_CUT.format(budget=max(budget, 0)))


_FIT_ATTEMPTS = 20


def _split_oversize(
    block: Block, budget: int, scanner: LineScanner, refs_in: RefsIn
) -> list[Piece]:
    """Cut a block that fills more than a part; with a signed copy, cut both in step.

    The budget is shared between the formatted text and its copy in proportion to their
    lengths, and the shorter list of pieces is padded, so piece k of each lands in part k.
    """
    if not block.copy:
        pieces = split_block(block.text, budget, scanner, refs=block.refs)
        return [_with_refs(p, refs_in(p.text, block.refs)) for p in pieces]
    room = budget - len(COPY_SEPARATOR)
    text_budget = max(1, room * len(block.text) // (len(block.text) + len(block.copy)))
    formatted = split_block(block.text, text_budget, scanner, refs=block.refs)
    copies = split_block(block.copy, max(1, room - text_budget), LineScanner())
    pieces = []
    for index in range(max(len(formatted), len(copies))):
        piece = formatted[index] if index < len(formatted) else Piece("", continues=True)
        copy = copies[index].text if index < len(copies) else ""
        refs = refs_in(piece.text, block.refs)
        pieces.append(Piece(piece.text, piece.opening, piece.closing, index > 0, refs, copy))
    return pieces


def _with_refs(piece: Piece, refs: tuple[int, ...]) -> Piece:
    return Piece(piece.text, piece.opening, piece.closing, piece.continues, refs, piece.copy)


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
    """Prefer a line end, then a sentence end, then a space, each in the later half of the room;
    else the latest of those anywhere. Only a word longer than a whole part is cut inside."""
    room = budget - len(opening)
    end = min(len(text) - 1, start + room)
    fallback = None
    for kind in (_line_cuts, _sentence_cuts, _space_cuts, _any_cuts):
        if kind is _any_cuts and fallback is not None:
            break
        for pos in kind(text, start, end):
            if scanner.forbidden(pos) or pos <= start:
                continue
            closing, _ = scanner.wrappers(pos)
            if pos - start + len(closing) > room:
                continue
            if pos - start >= room // 2:
                return pos
            fallback = max(fallback or 0, pos)
            break
    if fallback is None:
        raise ExportError(CANNOT_CUT.format(budget=budget))
    return fallback


def _line_cuts(text: str, start: int, end: int) -> Iterator[int]:
    pos = text.rfind("\n", start, end)
    while pos > start:
        yield pos + 1
        pos = text.rfind("\n", start, pos)


def _sentence_cuts(text: str, start: int, end: int) -> Iterator[int]:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, end + 1)]
    yield from reversed(ends)


def _space_cuts(text: str, start: int, end: int) -> Iterator[int]:
    pos = text.rfind(" ", start, end)
    while pos > start:
        yield pos + 1
        pos = text.rfind(" ", start, pos)


def _any_cuts(text: str, start: int, end: int) -> Iterator[int]:
    yield from range(end, start, -1)
