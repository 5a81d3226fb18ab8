"""The one registry of export formats: format key -> exporter class.

Each exporter class declares what the rest of the project needs to know about its format
(`format`, `label`, `dialects`, `content_type`, `extension`, `clickable_links`); this module only
lists the classes. Everything else is derived from it: `export()` picks its renderer here,
`ExportSettings` and `ExportProfile.clean()` validate against it, and the choices of
`ExportProfile.format` and `.dialect` are the callables below. Django keeps a callable `choices`
in migrations as a reference to the function, so a new format or dialect needs no migration.

Adding a format: write its exporter class (with the attributes above) and add it to
`_CLASSES`. Adding a dialect: see the recipe in `bbcode_dialects`.
"""

from __future__ import annotations

from content.exporters.base import UNKNOWN_FORMAT, Exporter, ExportError
from content.exporters.bbcode import BBCodeExporter
from content.exporters.forum_markdown import ForumMarkdownExporter
from content.exporters.html import HtmlExporter
from content.exporters.plaintext import PlainTextExporter

NO_DIALECT = ("", "(none)")

# In the order editors see them.
_CLASSES: tuple[type[Exporter], ...] = (
    BBCodeExporter,
    ForumMarkdownExporter,
    PlainTextExporter,
    HtmlExporter,
)
EXPORTERS: dict[str, type[Exporter]] = {cls.format: cls for cls in _CLASSES}


def exporter_class(format: str) -> type[Exporter]:
    try:
        return EXPORTERS[format]
    except KeyError:
        choices = ", ".join(EXPORTERS)
        raise ExportError(UNKNOWN_FORMAT.format(value=format, choices=choices)) from None


def dialect_keys(format: str) -> tuple[str, ...]:
    """The dialects of `format`; () for a format without dialects or an unknown one."""
    cls = EXPORTERS.get(format)
    return tuple(cls.dialects) if cls else ()


def format_choices() -> list[tuple[str, str]]:
    """Choices of ExportProfile.format."""
    return [(key, cls.label) for key, cls in EXPORTERS.items()]


def dialect_choices() -> list[tuple[str, str]]:
    """Choices of ExportProfile.dialect: "(none)", then every format's dialects in order."""
    return [NO_DIALECT] + [
        (key, label) for cls in EXPORTERS.values() for key, label in cls.dialects.items()
    ]


def grouped_dialect_choices() -> list[tuple[str, object]]:
    """The same choices grouped under each format's label, for a select an editor reads."""
    groups: list[tuple[str, object]] = [NO_DIALECT]
    for cls in EXPORTERS.values():
        if cls.dialects:
            groups.append((cls.label, list(cls.dialects.items())))
    return groups


def dialects_by_format() -> dict[str, tuple[str, ...]]:
    """Format -> its dialect keys, ("",) for a format without dialects (one profile each)."""
    return {key: tuple(cls.dialects) or ("",) for key, cls in EXPORTERS.items()}
