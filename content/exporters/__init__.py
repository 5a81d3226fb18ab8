"""Exporters: approved revisions as forum posts (BBCode, forum Markdown, plain text, HTML).

Database-free: callers build an `ExportDocument` and `ExportSettings` and call `export()`.
Import direction: export -> (registry, policies, splitting, signing, placeholders) -> base;
registry -> format modules -> base. `registry.EXPORTERS` is the one list of formats.
"""

from __future__ import annotations

from content.exporters.base import (
    DRAFT_BANNER,
    ExportDocument,
    Exporter,
    ExportError,
    ExportResult,
    ExportSettings,
    ExportSource,
)
from content.exporters.export import export
from content.exporters.placeholders import PLACEHOLDERS, TemplateError, validate_template
from content.exporters.registry import EXPORTERS
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
