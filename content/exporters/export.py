"""The one entry point: a document and a profile in, the parts to paste out.

Title, summary and sources are written as Markdown and parsed by the same parser as the body, so
every piece of an export goes through the same policies and the same renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy, gettext_noop

from content.exporters.base import (
    DRAFT_BANNER,
    ExportDocument,
    Exporter,
    ExportError,
    ExportResult,
    top_level_groups,
)
from content.exporters.defang import defang
from content.exporters.forum_markdown import escape_line_starts, escape_text
from content.exporters.placeholders import render_template
from content.exporters.plaintext import PlainTextExporter
from content.exporters.policies import LinkRules, apply_policies, scheme_allowed
from content.exporters.references import References
from content.exporters.registry import exporter_class
from content.exporters.settings import ExportSettings
from content.exporters.signed_copy import SignedTextExporter, attestation, intro
from content.exporters.signing import DRAFT_NEVER_SIGNED, Signer, SigningError
from content.exporters.splitting import COPY_SEPARATOR, Block, Piece, join_chunk, join_copy, pack
from content.exporters.wording import ours, writing_in
from content.markdown import parse

SOURCES_HEADING = gettext_noop("Sources")
CONSULTED = gettext_noop("consulted {date}")
SIGNER_REQUIRED = gettext_lazy("This profile signs its exports, but no signing key was given.")
SIGNED_TOO_LONG = gettext_lazy(
    "Signed parts do not fit {limit} characters even after re-splitting; raise the limit."
)
_SIGNING_ATTEMPTS = 8

Sign = Callable[[str], str]


def export(
    document: ExportDocument, settings: ExportSettings, *, signer: Signer | None = None
) -> ExportResult:
    """The parts to paste. Our own words in them are in the post's language (wording)."""
    with writing_in(document.language):
        return _export(document, settings, signer=signer)


def _export(
    document: ExportDocument, settings: ExportSettings, *, signer: Signer | None
) -> ExportResult:
    if settings.sign and not document.is_final:
        raise SigningError(DRAFT_NEVER_SIGNED)
    if settings.sign and signer is None:
        raise ExportError(SIGNER_REQUIRED)
    exporter = renderer(settings)
    copier = SignedTextExporter(settings) if settings.sign and exporter.signs_copy else None
    refs = References()
    blocks = document_blocks(document, settings, exporter, refs, copier=copier)
    frame = Frame.build(document, settings, exporter, refs, copier=copier)
    if not settings.sign or signer is None:
        chunks = _split(blocks, frame, settings.max_length, reserve=0)
        return _result(exporter, chunks, frame.parts(chunks), signed=False)
    reserve = len(signer.sign("x\n")) - len("x\n")
    for _attempt in range(_SIGNING_ATTEMPTS):
        chunks = _split(blocks, frame, settings.max_length, reserve=reserve)
        signed = frame.parts(chunks, sign=signer.sign)
        excess = max(len(s) for s in signed) - (settings.max_length or len(max(signed, key=len)))
        if excess <= 0:
            return _result(exporter, chunks, signed, signed=True)
        reserve += excess
    raise ExportError(SIGNED_TOO_LONG.format(limit=settings.max_length))


def renderer(settings: ExportSettings) -> Exporter:
    """The renderer for one profile, chosen here so that no format module imports another."""
    cls = exporter_class(settings.format)
    # A signed plain-text export is itself the signed copy: it uses the copy's line style.
    if settings.sign and cls is PlainTextExporter:
        return SignedTextExporter(settings)
    return cls.for_settings(settings)


def _result(
    exporter: Exporter, chunks: list[list[Piece]], parts: list[str], *, signed: bool
) -> ExportResult:
    bodies = [join_chunk(c, exporter.block_separator) for c in chunks]
    return ExportResult(parts, exporter.content_type, exporter.extension, signed, bodies)


def document_blocks(
    document: ExportDocument,
    settings: ExportSettings,
    exporter: Exporter,
    refs: References,
    *,
    copier: Exporter | None = None,
) -> list[Block]:
    """Title, summary, body and sources as rendered top-level blocks, with their references.

    With a `copier` each block also carries its plain-text copy, rendered from the very same
    tokens (after the same link and image policies), for the signed copy of each part.
    """
    rules = LinkRules.build(settings, document, refs)
    blocks = []
    for markdown in (_head_markdown(document), document.body, _sources_markdown(document)):
        if not markdown.strip():
            continue
        tokens = apply_policies(parse(markdown), rules, image_policy=settings.image_policy)
        for group in top_level_groups(tokens):
            texts = exporter.render_blocks(group)
            copies = copier.render_blocks(group) if copier else []
            used = refs.take_used()
            for index, text in enumerate(texts):
                copy = "\n\n".join(copies) if copier and index == len(texts) - 1 else ""
                blocks.append(Block(text, used, copy))
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
        if source.url and scheme_allowed(source.url):
            item = f"[{item}](<{source.url.replace('>', '%3E').replace(chr(10), '')}>)"
        if source.consulted:
            item += " (" + ours(CONSULTED).format(date=source.consulted.isoformat()) + ")"
        items.append(f"1. {item}")
    return f"## {_md(ours(SOURCES_HEADING))}\n\n" + "\n".join(items)


@dataclass(frozen=True)
class Frame:
    """What surrounds the content in every part: banner, header, marker, references, footer,
    and on signing profiles the signed copy with its attestation."""

    exporter: Exporter
    banner: str
    header: str
    footer: str
    refs: References
    document: ExportDocument
    settings: ExportSettings
    copier: Exporter | None = None

    @classmethod
    def build(
        cls,
        document: ExportDocument,
        settings: ExportSettings,
        exporter: Exporter,
        refs: References,
        *,
        copier: Exporter | None = None,
    ) -> Frame:
        def block(template: str) -> str:
            text = render_template(template, document) if template.strip() else ""
            if settings.tor:  # a template may name a clear-net address ({url}, or typed in)
                text = defang(text)
            return exporter.plain(text) if text else ""

        banner = "" if document.is_final else exporter.plain(ours(DRAFT_BANNER), strong=True)
        return cls(
            exporter,
            banner,
            block(settings.header_template),
            block(settings.footer_template),
            refs,
            document,
            settings,
            copier,
        )

    def compose(self, body: str, marker: str, numbers: Sequence[int]) -> str:
        refs = self.exporter.references(self.refs.urls(numbers)) if numbers else ""
        marker_block = self.exporter.plain(marker) if marker else ""
        sections = [self.banner, self.header, marker_block, body, refs, self.footer]
        return self.exporter.block_separator.join(s for s in sections if s)

    def part(
        self, chunk: Sequence[Piece], index: int, total: int, sign: Sign | None = None
    ) -> str:
        marker = f"({index}/{total})" if total > 1 else ""
        numbers = _numbers(chunk)
        body = join_chunk(chunk, self.exporter.block_separator)
        formatted = self.compose(body, marker, numbers)
        if sign is None:
            return formatted
        proof = attestation(self.document, self.settings, part=index, total=total)
        if self.copier is None:  # plain text and HTML: the part itself is signed
            return sign(formatted + self.exporter.block_separator + self.exporter.plain(proof))
        refs = self.copier.references(self.refs.urls(numbers)) if numbers else ""
        copy = COPY_SEPARATOR.join(s for s in (join_copy(chunk), refs, proof) if s)
        signed = sign(self.exporter.signable(copy))
        lead = self.exporter.plain(intro(self.document, self.settings))
        return self.exporter.block_separator.join(
            [formatted, lead, self.exporter.signed_block(signed)]
        )

    def parts(self, chunks: list[list[Piece]], *, sign: Sign | None = None) -> list[str]:
        total = len(chunks)
        return [self.part(chunk, n, total, sign) for n, chunk in enumerate(chunks, start=1)]

    def overhead(self, marker: str, reserve: int) -> Callable[[frozenset[int]], int]:
        signing = reserve > 0 or self.settings.sign

        # A marker "(99/99)" stands for the widest part number of that many digits.
        total = int(marker[1 : marker.index("/")]) if marker else 1

        def size(numbers: frozenset[int]) -> int:
            piece = Piece("x", refs=tuple(sorted(numbers)), copy="x" if self.copier else "")
            sign: Sign | None = _unsigned if signing else None
            empty = len(piece.text) + len(piece.copy)
            return len(self.part([piece], total, total, sign)) - empty + reserve

        return size


def _unsigned(text: str) -> str:
    """Stands in for signing when measuring: the signature's own size is the reserve."""
    return text


def _numbers(chunk: Sequence[Piece]) -> list[int]:
    return sorted({n for piece in chunk for n in piece.refs})


def _split(
    blocks: list[Block], frame: Frame, limit: int | None, *, reserve: int
) -> list[list[Piece]]:
    separator = frame.exporter.block_separator
    whole = [Piece(block.text, refs=block.refs, copy=block.copy) for block in blocks]
    if limit is None:
        return [whole]
    numbers = frozenset(n for block in blocks for n in block.refs)
    size = len(join_chunk(whole, separator)) + len(join_copy(whole))
    if size + frame.overhead("", reserve)(numbers) <= limit:
        return [whole]
    exporter = frame.exporter

    def refs_in(text: str, refs: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(n for n in refs if exporter.reference_marker(n) in text)

    for digits in (1, 2, 3, 4):
        marker = f"({'9' * digits}/{'9' * digits})"
        chunks = pack(
            blocks,
            limit=limit,
            overhead=frame.overhead(marker, reserve),
            separator=separator,
            scanner=frame.exporter.splitter(),
            refs_in=refs_in,
        )
        if len(chunks) < 10**digits:
            return chunks
    return chunks
