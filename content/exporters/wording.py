"""The language of the words an export writes itself: the post's, not the person's exporting.

Banner, "Sources" heading, "reviewed by N professionals", the signed copy's lead line, image
labels and "address not configured" are our words inside a reader's text, so they follow the
language of the post (`ExportDocument.language`). `export()` sets it once for the whole
rendering (`writing_in`); the words are read with `ours()` or under `in_export_language()`.
A language without a catalogue reads the English source.

Only those words switch: an error raised while rendering (a length limit, a key that cannot
sign) is for the person exporting and stays in their studio language.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import translation

_LANGUAGE: ContextVar[str] = ContextVar("export_language", default="")


@contextmanager
def writing_in(language: str) -> Iterator[None]:
    """Inside, `ours()` and `in_export_language()` speak `language`."""
    token = _LANGUAGE.set(language)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


@contextmanager
def in_export_language() -> Iterator[None]:
    """The export's language active (for ngettext); outside an export, the active one."""
    language = _LANGUAGE.get()
    if not language:
        yield
        return
    with translation.override(language):
        yield


def ours(message: str) -> str:
    """`message` (marked with gettext_noop where it is defined) in the export's language."""
    with in_export_language():
        return translation.gettext(message)
