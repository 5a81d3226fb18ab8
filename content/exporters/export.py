"""The one entry point: a document and a profile in, the parts to paste out.

Title, summary and sources are written as Markdown and parsed by the same parser as the body, so
every piece of an export goes through the same policies and the same renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from content.exporters.base import (
    DRAFT_BANNER,
    ExportDocument,
    Exporter,
    ExportError,
    ExportResult,
    ExportSettings,
    top_level_groups,
)
from content.exporters.bbcode import BBCodeExporter
from content.exporters.forum_markdown import ForumMarkdownExporter, escape_line_starts, escape_text
from content.exporters.html import HtmlExporter
from content.exporters.plaintext import PlainTextExporter
from content.exporters.policies import LinkRules, References, apply_policies
from content.exporters.signing import DRAFT_NEVER_SIGNED, Signer, SigningError
from content.exporters.splitting import Block, Piece, join_chunk, pack
from content.exporters.templates import render_template
from content.markdown import parse

EXPORTERS: dict[str, type[Exporter]] = {
    "bbcode": BBCodeExporter,
    "forum_markdown": ForumMarkdownExporter,
    "plaintext": PlainTextExporter,
    "html": HtmlExporter,
}

SOURCES_HEADING = "Sources"
CONSULTED = "consulted {date}"
SIGNER_REQUIRED = "This profile signs its exports, but no signing key was given."
SIGNED_TOO_LONG = (
    "Signed parts do not fit {limit} characters even after re-splitting; raise the limit."
)
_SIGNING_ATTEMPTS = 8


def export(
    document: ExportDocument, settings: ExportSettings, *, signer: Signer | None = None
) -> ExportResult:
    if settings.sign and not document.is_final:
        raise SigningError(DRAFT_NEVER_SIGNED)
    if settings.sign and signer is None:
        raise ExportError(SIGNER_REQUIRED)
    exporter = EXPORTERS[settings.format](settings)
    refs = References()
    blocks = document_blocks(document, settings, exporter, refs)
    frame = Frame.build(document, settings, exporter, refs)
    if not settings.sign or signer is None:
        chunks = _split(blocks, frame, settings.max_length, reserve=0)
        return _result(exporter, frame, chunks, signed=False)
    reserve = len(exporter.wrap_signed(signer.sign("x\n"))) - len("x\n")
    for _attempt in range(_SIGNING_ATTEMPTS):
        chunks = _split(blocks, frame, settings.max_length, reserve=reserve)
        texts = frame.parts(chunks)
        signed = [exporter.wrap_signed(signer.sign(text)) for text in texts]
        excess = max(len(s) for s in signed) - (settings.max_length or len(max(signed, key=len)))
        if excess <= 0:
            bodies = [join_chunk(c, exporter.block_separator) for c in chunks]
            return ExportResult(signed, exporter.content_type, exporter.extension, True, bodies)
        reserve += excess
    raise ExportError(SIGNED_TOO_LONG.format(limit=settings.max_length))


def _result(
    exporter: Exporter, frame: Frame, chunks: list[list[Piece]], *, signed: bool
) -> ExportResult:
    bodies = [join_chunk(c, exporter.block_separator) for c in chunks]
    return ExportResult(
        frame.parts(chunks), exporter.content_type, exporter.extension, signed, bodies
    )


def document_blocks(
    document: ExportDocument, settings: ExportSettings, exporter: Exporter, refs: References
) -> list[Block]:
    """Title, summary, body and sources as rendered top-level blocks, with their references."""
    rules = LinkRules.build(settings, document, refs)
    blocks = []
    for markdown in (_head_markdown(document), document.body, _sources_markdown(document)):
        if not markdown.strip():
            continue
        tokens = apply_policies(parse(markdown), rules, image_policy=settings.image_policy)
        for group in top_level_groups(tokens):
            for text in exporter.render_blocks(group):
                blocks.append(Block(text, refs.take_used()))
    return blocks


def _md(text: str) -> str:
    return escape_line_starts(escape_text(" ".join(text.split())))


def _head_markdown(document: ExportDocument) -> str:
    head = f"# {_md(document.title)}"
    return f"{head}\n\n{_md(document.summary)}" if document.summary.strip() else head


def _sources_markdown(document: ExportDocument) -> str:
    if not document.sources:
        return ""
    items = []
    for source in document.sources:
        item = _md(source.title) or _md(source.url)
        if source.url:
            item = f"[{item}](<{source.url.replace('>', '%3E').replace(chr(10), '')}>)"
        if source.consulted:
            item += " (" + CONSULTED.format(date=source.consulted.isoformat()) + ")"
        items.append(f"1. {item}")
    return f"## {SOURCES_HEADING}\n\n" + "\n".join(items)


@dataclass(frozen=True)
class Frame:
    """What surrounds the content in every part: banner, header, marker, references, footer."""

    exporter: Exporter
    banner: str
    header: str
    footer: str
    refs: References

    @classmethod
    def build(
        cls,
        document: ExportDocument,
        settings: ExportSettings,
        exporter: Exporter,
        refs: References,
    ) -> Frame:
        def block(template: str) -> str:
            text = render_template(template, document) if template.strip() else ""
            return exporter.plain(text) if text else ""

        banner = "" if document.is_final else exporter.plain(DRAFT_BANNER, strong=True)
        return cls(
            exporter, banner, block(settings.header_template), block(settings.footer_template), refs
        )

    def compose(self, body: str, marker: str, numbers: Sequence[int]) -> str:
        refs = self.exporter.references(self.refs.urls(numbers)) if numbers else ""
        marker_block = self.exporter.plain(marker) if marker else ""
        sections = [self.banner, self.header, marker_block, body, refs, self.footer]
        return self.exporter.block_separator.join(s for s in sections if s)

    def parts(self, chunks: list[list[Piece]]) -> list[str]:
        total = len(chunks)
        out = []
        for index, chunk in enumerate(chunks, start=1):
            marker = f"({index}/{total})" if total > 1 else ""
            body = join_chunk(chunk, self.exporter.block_separator)
            out.append(self.compose(body, marker, _numbers(chunk)))
        return out

    def overhead(self, marker: str, reserve: int) -> Callable[[frozenset[int]], int]:
        def size(numbers: frozenset[int]) -> int:
            return len(self.compose("x", marker, sorted(numbers))) - 1 + reserve

        return size


def _numbers(chunk: Sequence[Piece]) -> list[int]:
    return sorted({n for piece in chunk for n in piece.refs})


def _split(
    blocks: list[Block], frame: Frame, limit: int | None, *, reserve: int
) -> list[list[Piece]]:
    separator = frame.exporter.block_separator
    whole = [Piece(block.text, refs=block.refs) for block in blocks]
    if limit is None:
        return [whole]
    numbers = frozenset(n for block in blocks for n in block.refs)
    if len(join_chunk(whole, separator)) + frame.overhead("", reserve)(numbers) <= limit:
        return [whole]
    for digits in (1, 2, 3, 4):
        marker = f"({'9' * digits}/{'9' * digits})"
        chunks = pack(
            blocks,
            limit=limit,
            overhead=frame.overhead(marker, reserve),
            separator=separator,
            scanner=frame.exporter.splitter(),
        )
        if len(chunks) < 10**digits:
            return chunks
    return chunks
