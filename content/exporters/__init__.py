"""Exporters: approved revisions as forum posts (BBCode, forum Markdown, plain text, HTML).

Database-free: callers build an `ExportDocument` and `ExportSettings` and call `export()`.
Import direction, every import at module top; a module imports only modules to its right:
export -> signed_copy -> policies -> settings -> registry -> format modules (bbcode,
forum_markdown, plaintext, html) -> base -> scanners. splitting and placeholders import only base
(and scanners); scanners, references, defang, bbcode_dialects and signing import nothing of the
package. base names `ExportSettings` for annotations only (under TYPE_CHECKING). No format module
imports another except signed_copy (the signed plain-text variant), which `export` chooses.
`registry.EXPORTERS` is the one list of formats.
"""

from __future__ import annotations

from content.exporters.base import (
    DRAFT_BANNER,
    ExportDocument,
    Exporter,
    ExportError,
    ExportResult,
    ExportSource,
)
from content.exporters.export import export
from content.exporters.placeholders import PLACEHOLDERS, TemplateError, validate_template
from content.exporters.registry import EXPORTERS
from content.exporters.settings import ExportSettings
from content.exporters.signing import Signer, SigningError

__all__ = [
    "DRAFT_BANNER",
    "EXPORTERS",
    "PLACEHOLDERS",
    "ExportDocument",
    "ExportError",
    "ExportResult",
    "ExportSettings",
    "ExportSource",
    "Exporter",
    "Signer",
    "SigningError",
    "TemplateError",
    "export",
    "validate_template",
]
