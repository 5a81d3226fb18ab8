"""Merge help for an edit conflict: the author's text and the newer revision, three ways.

Both started from the same revision (`base`); the author's edit (`yours`) was refused because
another revision (`theirs`) was saved meanwhile. The multi-line text fields (summary, body) are
merged line by line with merge3 (Breezy's three-way merge); where both changed the same lines,
conflict markers hold both versions for the author to resolve. Fields that cannot hold markers
(a one-line title, sources, tags) take whichever side changed them, and the author's when both
did. Nothing is saved here: the result only fills the form.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy
from merge3 import Merge3

from content.revision_schema import CONTENT_FIELDS, ContentField, RevisionContent

START_MARKER = "<<<<<<< your text"
MID_MARKER = "======="
END_MARKER = ">>>>>>> {theirs}"
# The mid marker alone is a Markdown heading underline, so only the outer markers give a
# leftover conflict away.
_LEFTOVER_MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)
# Fields merged line by line, with markers where both sides changed the same lines.
LINE_MERGED = frozenset({"summary", "body"})

ERROR_CONFLICT_MARKERS = gettext_lazy(
    "The text still has conflict markers (lines starting with <<<<<<< or >>>>>>>). Keep the "
    "text that should stay, delete the marker lines and the version you do not want, then save."
)


class Outcome(enum.StrEnum):
    UNCHANGED = "unchanged"  # neither side changed it
    YOURS = "yours"  # only the author changed it: their text is kept
    THEIRS = "theirs"  # only the newer revision changed it: taken over
    SAME = "same"  # both made the same change
    MERGED = "merged"  # both changed it, on different lines: merged cleanly
    CONFLICT = "conflict"  # both changed the same lines: marked in the text
    KEPT_YOURS = "kept_yours"  # both changed a field that cannot hold markers: the author's kept


@dataclass(frozen=True)
class FieldMerge:
    name: str
    label: str
    value: Any
    outcome: Outcome
    theirs: Any  # the newer revision's value, to show when the author's was kept

    @property
    def theirs_text(self) -> str:
        """The newer revision's value as a sentence can quote it."""
        if isinstance(self.theirs, str):
            return self.theirs
        if isinstance(self.theirs, Mapping):
            return "; ".join(f"{name}: {text}" for name, text in self.theirs.items())
        return ", ".join(getattr(item, "title", str(item)) for item in self.theirs)


@dataclass(frozen=True)
class ContentMerge:
    fields: tuple[FieldMerge, ...]
    theirs_label: str  # "revision 3 by anna"

    @property
    def content(self) -> RevisionContent:
        return RevisionContent(**{f.name: f.value for f in self.fields})

    def having(self, *outcomes: Outcome) -> list[FieldMerge]:
        return [f for f in self.fields if f.outcome in outcomes]

    @property
    def has_conflicts(self) -> bool:
        return bool(self.having(Outcome.CONFLICT))


def has_conflict_markers(text: str) -> bool:
    return bool(_LEFTOVER_MARKER.search(text))


def _lines(text: str) -> list[str]:
    # A browser sends a textarea's lines ending in CRLF: line endings are not a change.
    return text.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)


def _ended(lines: list[str]) -> list[str]:
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def merge_text(base: str, yours: str, theirs: str, *, theirs_label: str) -> tuple[str, Outcome]:
    """Merge two edits of `base` line by line; conflicting lines are put between markers."""
    old, mine, other = _lines(base), _lines(yours), _lines(theirs)
    if mine == other:
        return "".join(mine), Outcome.UNCHANGED if mine == old else Outcome.SAME
    if mine == old:
        return "".join(other), Outcome.THEIRS
    if other == old:
        return "".join(mine), Outcome.YOURS
    out: list[str] = []
    conflicted = False
    for group in Merge3(old, mine, other).merge_groups():
        if group[0] == "conflict":
            conflicted = True
            _, _base, a, b = group
            out += [START_MARKER + "\n", *_ended(list(a)), MID_MARKER + "\n", *_ended(list(b))]
            out.append(END_MARKER.format(theirs=theirs_label) + "\n")
        else:
            out += group[1]
    text = "".join(out)
    if not (yours.endswith(("\n", "\r")) or theirs.endswith(("\n", "\r"))):
        text = text.removesuffix("\n")
    return text, Outcome.CONFLICT if conflicted else Outcome.MERGED


def _merge_whole(spec: ContentField, base: Any, yours: Any, theirs: Any) -> tuple[Any, Outcome]:
    same = spec.kind.canonical
    if same(yours) == same(theirs):
        return yours, Outcome.UNCHANGED if same(yours) == same(base) else Outcome.SAME
    if same(yours) == same(base):
        return theirs, Outcome.THEIRS
    if same(theirs) == same(base):
        return yours, Outcome.YOURS
    return yours, Outcome.KEPT_YOURS


def merge_content(
    *, base: RevisionContent, yours: RevisionContent, theirs: RevisionContent, theirs_label: str
) -> ContentMerge:
    """Every content field of `yours` and `theirs` merged against `base` (see the module)."""
    merged = []
    for spec in CONTENT_FIELDS:
        old, mine, other = (getattr(c, spec.name) for c in (base, yours, theirs))
        if spec.name in LINE_MERGED:
            value, outcome = merge_text(old, mine, other, theirs_label=theirs_label)
        else:
            value, outcome = _merge_whole(spec, old, mine, other)
        merged.append(FieldMerge(spec.name, spec.label, value, outcome, other))
    return ContentMerge(tuple(merged), theirs_label)
