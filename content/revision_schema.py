"""What a reviewer judges, declared once: the fields of a revision's content.

`RevisionContent` declares each field with `content_field()`: its label in a diff, its kind
(plain text, Markdown, sources, tags, per-kind facts), whether exports show it and whether it is
hashed when empty. Everything else derives from that one declaration (as Wagtail derives a
page from its revision's `content`): the content hash, reading a stored revision (`of()`), the
columns written for a new revision (`columns()`), the diff rows (`diff_rows()`), the edit form's
initial values (`initial()`) and the text an export may show (`exported_from()`).

A translation's `translates` (the source revision it translates) and the author's
`safety_relevant` flag are content too: a reviewer judges them, and a diff shows them.

Adding a field means one `content_field()` line here, a column on `Revision` (with its
migration) and, if authors type it, a form field of the same name.

The hash must never change for content that exists: approvals are bound to it. A field added
later is therefore left out of the hash while it is empty (`hashed_when_empty=False`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from content.models import PostKind, Tag

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from content.models import Revision

ERROR_FACT_UNKNOWN = gettext_lazy(
    "“{name}” is not one of the facts this kind of post states; remove it."
)
ERROR_FACT_TOO_LONG = gettext_lazy("{label} is at most {limit} characters; shorten it.")
ERROR_FACT_NOT_TEXT = gettext_lazy("{label} must be text.")
ERROR_FACT_NOT_ROWS = gettext_lazy("{label} must be a list of rows.")
ERROR_FACT_TOO_MANY_ROWS = gettext_lazy("{label}: at most {limit} rows; remove some.")


class FactsInvalid(ValueError):
    """The content's facts do not fit the facts its post's kind declares."""


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""
    consulted: str = ""  # ISO date, or "" when unknown

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url, "consulted": self.consulted}


def tag_key(name: str) -> str:
    """What makes two tag names the same tag: "2C-B", "2c b" and "2c-b" are one."""
    return slugify(name)[:80] or " ".join(name.split()).casefold()


def _normalise_tags(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        cleaned = " ".join(name.split())
        if cleaned:
            seen.setdefault(tag_key(cleaned), cleaned)
    return tuple(sorted(seen.values(), key=str.casefold))


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- Per-kind facts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One structured fact a kind of post states, e.g. a drug alert's "sold as".

    A fact is text, or, when it declares `columns`, a list of rows {column: text} (a drug
    alert's substances found). Typed values (dates, amounts) are stored as text in a canonical
    form (ISO dates, decimal numbers), so the hash and the diff read them as typed; what they
    mean is checked by the kind's own rules (content.alerts for drug alerts). `choices` name the
    stored values in a diff.
    """

    name: str
    label: str
    max_length: int = 200
    columns: tuple[str, ...] = ()
    max_rows: int = 20
    choices: tuple[tuple[str, str], ...] = ()

    def shown(self, value: Any) -> str:
        """The value as a diff shows it: one line per row, a choice by its label."""
        if self.columns:
            rows = value if isinstance(value, (list, tuple)) else ()
            return "\n".join(
                " | ".join(str(row.get(column, "")) for column in self.columns if row.get(column))
                for row in rows
                if isinstance(row, Mapping)
            )
        labels = dict(self.choices)
        return str(labels.get(value, value)) if value else ""


SEVERITY_CHOICES: tuple[tuple[str, str], ...] = (
    ("high_dose", cast("str", gettext_lazy("High dose"))),
    ("unexpected_substance", cast("str", gettext_lazy("Unexpected substance"))),
    ("dangerous_adulterant", cast("str", gettext_lazy("Dangerous adulterant"))),
)
SUBSTANCE_COLUMNS = ("name", "amount", "unit", "per")


def _fact(name: str, label: Any, **options: Any) -> Fact:
    # A lazy label stays lazy: a diff reads it in the language of the page that shows it.
    return Fact(name=name, label=cast("str", label), **options)


# The facts of a drug alert (issue 14): text, ISO dates and decimal numbers as text, and the
# substances found as rows. What each means (units, bounds, dates) is checked in content.alerts.
DRUG_ALERT_FACTS: tuple[Fact, ...] = (
    _fact("sold_as", gettext_lazy("Sold as")),
    _fact("substances", gettext_lazy("Substances found"), columns=SUBSTANCE_COLUMNS, max_length=80),
    _fact("colour", gettext_lazy("Colour"), max_length=80),
    _fact("logo", gettext_lazy("Logo or imprint"), max_length=80),
    _fact("shape", gettext_lazy("Shape"), max_length=80),
    _fact("weight_mg", gettext_lazy("Weight (mg)"), max_length=12),
    _fact("photo", gettext_lazy("Photo"), max_length=300),
    _fact("tested_on", gettext_lazy("Tested on"), max_length=10),
    _fact("tested_at", gettext_lazy("Tested at"), max_length=120),
    _fact("tested_by", gettext_lazy("Tested by"), max_length=120),
    _fact("severity", gettext_lazy("Severity"), max_length=40, choices=SEVERITY_CHOICES),
    _fact("expires_on", gettext_lazy("Valid until"), max_length=10),
)

# PostKind -> the facts a post of that kind may state, in the order a diff shows them: a kind's
# facts are declared here, and nothing else has to change.
KIND_FACTS: dict[str, tuple[Fact, ...]] = {PostKind.DRUG_ALERT: DRUG_ALERT_FACTS}


def validate_facts(kind: str, facts: Mapping[str, Any]) -> None:
    """Raise FactsInvalid unless every fact is one `kind` declares, as text within its limit
    (or, for a fact with columns, as rows of such text)."""
    declared = {fact.name: fact for fact in KIND_FACTS.get(kind, ())}
    for name, value in facts.items():
        fact = declared.get(name)
        if fact is None:
            raise FactsInvalid(ERROR_FACT_UNKNOWN.format(name=name[:80]))
        if fact.columns:
            _validate_rows(fact, value)
            continue
        if not isinstance(value, str):
            raise FactsInvalid(ERROR_FACT_NOT_TEXT.format(label=fact.label))
        if len(value) > fact.max_length:
            raise FactsInvalid(ERROR_FACT_TOO_LONG.format(label=fact.label, limit=fact.max_length))


def _validate_rows(fact: Fact, rows: Any) -> None:
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, Mapping) for r in rows):
        raise FactsInvalid(ERROR_FACT_NOT_ROWS.format(label=fact.label))
    if len(rows) > fact.max_rows:
        raise FactsInvalid(ERROR_FACT_TOO_MANY_ROWS.format(label=fact.label, limit=fact.max_rows))
    for number, row in enumerate(rows, start=1):
        for column, text in row.items():
            if column not in fact.columns:
                raise FactsInvalid(ERROR_FACT_UNKNOWN.format(name=str(column)[:80]))
            label = f"{fact.label} {number}"
            if not isinstance(text, str):
                raise FactsInvalid(ERROR_FACT_NOT_TEXT.format(label=label))
            if len(text) > fact.max_length:
                raise FactsInvalid(ERROR_FACT_TOO_LONG.format(label=label, limit=fact.max_length))


def _declared_facts() -> dict[str, Fact]:
    """Fact name -> Fact, in declaration order, over every kind (a diff need not know it)."""
    return {fact.name: fact for facts in KIND_FACTS.values() for fact in facts}


def _clean_fact(value: Any) -> Any:
    """Text squashed; rows as read-only mappings of squashed text, rows left empty dropped.
    Anything else is kept as given, for validate_facts() to refuse with a message."""
    if isinstance(value, str):
        return _squash(value)
    if isinstance(value, (list, tuple)) and all(isinstance(row, Mapping) for row in value):
        rows = (
            {str(k): _squash(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in value
        )
        return tuple(
            MappingProxyType({k: v for k, v in row.items() if v})
            for row in rows
            if any(row.values())
        )
    return value


def _plain(value: Any) -> Any:
    """JSON-ready: read-only mappings as dicts, tuples as lists."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


# --- Field kinds: how a value is cleaned, hashed, stored, read, diffed and edited -----------


class TextKind:
    """Text kept as typed, in the Revision column of the same name."""

    column: ClassVar[bool] = True  # stored in a Revision column of the field's name
    in_form: ClassVar[bool] = True  # a RevisionForm field of the field's name

    def clean(self, value: Any) -> Any:
        return value

    def canonical(self, value: Any) -> Any:
        return value

    def read(self, revision: Revision, name: str) -> Any:
        return getattr(revision, name)

    def column_name(self, name: str) -> str:
        return name

    def stored(self, value: Any) -> Any:
        return value

    def initial(self, value: Any) -> Any:
        return value

    def rows(self, label: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
        return [(label, old, new)]


class MarkdownKind(TextKind):
    """The body: Markdown, kept exactly as typed (white space matters in Markdown)."""


class NoteKind(TextKind):
    """A one-paragraph note: runs of white space are one space, so they make no new revision."""

    def clean(self, value: Any) -> Any:
        return _squash(value)


class SourcesKind(TextKind):
    """Sources in the author's order; edited in their own formset, not as a form field."""

    in_form = False

    def canonical(self, value: Any) -> Any:
        return [source.as_dict() for source in value]

    def read(self, revision: Revision, name: str) -> Any:
        return tuple(
            Source(
                title=str(source.get("title", "")),
                url=str(source.get("url", "")),
                consulted=str(source.get("consulted", "")),
            )
            for source in getattr(revision, name)
        )

    def stored(self, value: Any) -> Any:
        return self.canonical(value)

    def rows(self, label: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
        return [(label, _sources_text(old), _sources_text(new))]


class TagsKind(TextKind):
    """Tag names, a set: order and case-duplicates make no new revision. Stored as Tag rows."""

    column = False

    def __init__(self, tag_kind: str) -> None:
        self.tag_kind = tag_kind

    def clean(self, value: Any) -> Any:
        return _normalise_tags(value)

    def canonical(self, value: Any) -> Any:
        # Compared by their key, as they are stored: recasing a tag is no change.
        return sorted(tag_key(name) for name in value)

    def read(self, revision: Revision, name: str) -> Any:
        return tuple(revision.tag_names(self.tag_kind))

    def initial(self, value: Any) -> Any:
        return list(value)

    def rows(self, label: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
        return [(label, ", ".join(old), ", ".join(new))]


class FactsKind(TextKind):
    """Per-kind facts {name: text or rows}; an empty value is no fact. One diff row per fact
    stated (rows as one line each, so a changed amount is a changed line). Hashed and stored in
    the same plain form, so a fact written as text hashes as it always did."""

    in_form = False  # asked for by the kind's own fieldset (content.forms.alerts)

    def clean(self, value: Any) -> Any:
        facts = {str(name): _clean_fact(item) for name, item in dict(value).items()}
        return MappingProxyType({name: item for name, item in facts.items() if item})

    def canonical(self, value: Any) -> Any:
        return _plain(value)

    def read(self, revision: Revision, name: str) -> Any:
        return getattr(revision, name) or {}

    def stored(self, value: Any) -> Any:
        return _plain(value)

    def rows(self, label: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
        declared = _declared_facts()
        stated = old.keys() | new.keys()
        names: list[str] = [name for name in declared if name in stated]
        names += sorted(stated - declared.keys())
        rows = []
        for name in names:
            fact = declared.get(name) or Fact(name=name, label=name)
            rows.append((fact.label, fact.shown(old.get(name, "")), fact.shown(new.get(name, ""))))
        return rows


@dataclass(frozen=True)
class SourceRef:
    """The source post's revision a translation translates (Revision.translates)."""

    revision_id: int
    post_id: int
    number: int
    title: str

    def __str__(self) -> str:
        return gettext("revision %(number)s of “%(title)s”") % {
            "number": self.number,
            "title": self.title,
        }

    @classmethod
    def of(cls, revision: Revision) -> SourceRef:
        return cls(revision.pk, revision.post_id, revision.number, revision.title)


class TranslatesKind(TextKind):
    """The source revision a translation translates: stored as the `translates` foreign key,
    hashed as (source post, revision number), set by content.translations, not typed. None for
    a post that is no translation, and then it makes no diff row."""

    in_form = False

    def column_name(self, name: str) -> str:
        return f"{name}_id"

    def canonical(self, value: Any) -> Any:
        return [value.post_id, value.number] if value else None

    def read(self, revision: Revision, name: str) -> Any:
        source = revision.translates
        return SourceRef.of(source) if source is not None else None

    def stored(self, value: Any) -> Any:
        return value.revision_id if value else None

    def rows(self, label: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
        if old is None and new is None:
            return []
        return [(label, str(old) if old else "", str(new) if new else "")]


class FlagKind(TextKind):
    """A yes/no the author states about this revision's change. A new edit starts unmarked (the
    flag says something of the change, not of the text); shown in a diff only while set."""

    def clean(self, value: Any) -> Any:
        return bool(value)

    def initial(self, value: Any) -> Any:
        return False

    def rows(self, label: str, old: Any, new: Any) -> list[tuple[str, str, str]]:
        if not (old or new):
            return []
        return [(label, gettext("yes") if old else "", gettext("yes") if new else "")]


def _sources_text(sources: Sequence[Source]) -> str:
    return "\n".join(
        " | ".join(part for part in (s.title, s.url, s.consulted) if part) for s in sources
    )


@dataclass(frozen=True)
class ContentField:
    """One field of RevisionContent, as declared with content_field()."""

    name: str
    label: str  # as a diff names it (lazy: in the language of the page that shows it)
    kind: TextKind
    exported: bool  # an export shows it (ExportDocument has a field of the same name)
    hashed_when_empty: bool  # False for fields added later, so existing hashes hold

    def hashed(self, value: Any) -> bool:
        return self.hashed_when_empty or bool(value)


_SPEC = "content_field"


def content_field(
    label: StrOrPromise,
    kind: TextKind | None = None,
    *,
    exported: bool = False,
    hashed_when_empty: bool = True,
    **options: Any,
) -> Any:
    """A dataclass field of RevisionContent with its schema (options: default, default_factory)."""
    # A lazy label stays lazy: it is read where a page shows it, in that page's language.
    spec = ContentField("", cast("str", label), kind or TextKind(), exported, hashed_when_empty)
    return field(metadata={_SPEC: spec}, **options)


@dataclass(frozen=True, kw_only=True)
class RevisionContent:
    """Everything a reviewer judges. Its hash binds an approval to exactly this content."""

    title: str = content_field(gettext_lazy("Title"), exported=True)
    summary: str = content_field(gettext_lazy("Summary"), exported=True, default="")
    body: str = content_field(gettext_lazy("Body"), MarkdownKind(), exported=True)
    sources: tuple[Source, ...] = content_field(
        gettext_lazy("Sources"), SourcesKind(), exported=True, default=()
    )
    substances: tuple[str, ...] = content_field(
        gettext_lazy("Substances"), TagsKind(Tag.Kind.SUBSTANCE), default=()
    )
    topics: tuple[str, ...] = content_field(
        gettext_lazy("Topics"), TagsKind(Tag.Kind.TOPIC), default=()
    )
    # Public "what changed, for readers" (a replacement repost opens with it); not change_note.
    # Hashed only when set, so revisions written before the note existed keep their hash.
    public_change_note: str = content_field(
        gettext_lazy("What changed, for readers"), NoteKind(), hashed_when_empty=False, default=""
    )
    # Structured facts of the post's kind (KIND_FACTS); hashed only when some are stated.
    facts: Mapping[str, Any] = content_field(
        gettext_lazy("Facts"),
        FactsKind(),
        hashed_when_empty=False,
        default_factory=dict,
        hash=False,
    )
    # A translation: the source revision it translates (content.translations), shown in the
    # diff; hashed only when set, so posts that are no translation keep their hash.
    translates: SourceRef | None = content_field(  # noqa: RUF009 - a field spec, as above
        gettext_lazy("Translates"), TranslatesKind(), hashed_when_empty=False, default=None
    )
    # The author's word that this revision's change matters for safety: translations behind it
    # warn readers and are not exported as final. Hashed only when set.
    safety_relevant: bool = content_field(
        gettext_lazy("This change matters for safety"),
        FlagKind(),
        hashed_when_empty=False,
        default=False,
    )

    def __post_init__(self) -> None:
        for spec in CONTENT_FIELDS:
            object.__setattr__(self, spec.name, spec.kind.clean(getattr(self, spec.name)))

    @classmethod
    def of(cls, revision: Revision) -> RevisionContent:
        return cls(**{spec.name: spec.kind.read(revision, spec.name) for spec in CONTENT_FIELDS})

    @staticmethod
    def exported_from(revision: Revision) -> dict[str, Any]:
        """The fields an export shows, read from `revision` (no query: tags are not among them)."""
        return {
            spec.name: spec.kind.clean(spec.kind.read(revision, spec.name))
            for spec in CONTENT_FIELDS
            if spec.exported
        }

    @property
    def content_hash(self) -> str:
        canonical = {
            spec.name: spec.kind.canonical(value)
            for spec, value in self._values()
            if spec.hashed(value)
        }
        encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()

    def columns(self) -> dict[str, Any]:
        """The Revision columns that hold this content (tags are rows: see tag_names())."""
        return {
            spec.kind.column_name(spec.name): spec.kind.stored(value)
            for spec, value in self._values()
            if spec.kind.column
        }

    def tag_names(self) -> list[tuple[str, str]]:
        """(Tag.Kind, name) of every tag, in field order."""
        return [
            (spec.kind.tag_kind, name)
            for spec, value in self._values()
            if isinstance(spec.kind, TagsKind)
            for name in value
        ]

    def initial(self) -> dict[str, Any]:
        """The edit form's initial values (sources have their own formset)."""
        return {
            spec.name: spec.kind.initial(value)
            for spec, value in self._values()
            if spec.kind.in_form
        }

    def _values(self) -> list[tuple[ContentField, Any]]:
        return [(spec, getattr(self, spec.name)) for spec in CONTENT_FIELDS]


CONTENT_FIELDS: tuple[ContentField, ...] = tuple(
    dataclasses.replace(f.metadata[_SPEC], name=f.name) for f in fields(RevisionContent)
)
FORM_FIELD_NAMES = frozenset(spec.name for spec in CONTENT_FIELDS if spec.kind.in_form)


def diff_rows(old: RevisionContent, new: RevisionContent) -> list[tuple[str, str, str]]:
    """(label, old text, new text) for every field, in declaration order; facts one row each."""
    rows: list[tuple[str, str, str]] = []
    for spec in CONTENT_FIELDS:
        rows += spec.kind.rows(spec.label, getattr(old, spec.name), getattr(new, spec.name))
    return rows
