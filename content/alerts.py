"""Drug alerts' facts: read typed (`facts_of`) and shown (`facts_markdown`).

The facts are declared in content.revision_schema (DRUG_ALERT_FACTS) and stored in
`Revision.facts` as text: ISO dates, decimal numbers, the substances found as rows. This module
reads them as typed values for every consumer. Older alerts state no facts: `facts_of()` is then
None, and every consumer treats that as "not stated"; a fact that cannot be read (a damaged date)
is "not stated" too, never an exception, because a public page must always render.

It imports no model module (content.models.posts reads expiry dates through it); the rules a
new alert's facts must follow are in content.alert_rules.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils import formats, translation
from django.utils.translation import gettext, pgettext

UNITS = ("mg", "µg", "%")
PER_UNITS = ("pill", "capsule", "gram", "blotter")
SEVERITIES = ("high_dose", "unexpected_substance", "dangerous_adulterant")


class HasFacts(Protocol):
    """A Revision, a RevisionContent or anything else that carries a revision's facts."""

    @property
    def facts(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class SubstanceFound:
    """One substance the lab found: "MDMA, 180 mg per pill". Amount None when not stated."""

    name: str
    amount: Decimal | None = None
    unit: str = ""
    per: str = ""


@dataclass(frozen=True)
class AlertFacts:
    """A drug alert's facts, typed; text "" and dates/amounts None when not stated."""

    sold_as: str = ""
    substances: tuple[SubstanceFound, ...] = ()
    colour: str = ""
    logo: str = ""
    shape: str = ""
    weight_mg: Decimal | None = None
    photo: str = ""  # the URL of an uploaded image (content.images), as the body's Markdown has it
    tested_on: datetime.date | None = None
    tested_at: str = ""
    tested_by: str = ""  # an organisation, never a person
    severity: str = ""  # one of SEVERITIES, or ""
    expires_on: datetime.date | None = None

    @property
    def looks_like(self) -> bool:
        return any((self.colour, self.logo, self.shape, self.weight_mg, self.photo))


def parse_date(text: Any) -> datetime.date | None:
    """An ISO date, or None when `text` is none."""
    try:
        return datetime.date.fromisoformat(text) if isinstance(text, str) and text else None
    except ValueError:
        return None


def parse_amount(text: Any) -> Decimal | None:
    """A finite decimal number ("180", "0.5"; a decimal comma is read too), or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        amount = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _text(facts: Mapping[str, Any], name: str) -> str:
    value = facts.get(name, "")
    return value if isinstance(value, str) else ""


def _substances(rows: Any) -> tuple[SubstanceFound, ...]:
    if not isinstance(rows, (list, tuple)):
        return ()
    return tuple(
        SubstanceFound(
            name=_text(row, "name"),
            amount=parse_amount(row.get("amount")),
            unit=_text(row, "unit"),
            per=_text(row, "per"),
        )
        for row in rows
        if isinstance(row, Mapping) and any(row.values())
    )


def typed(facts: Mapping[str, Any]) -> AlertFacts | None:
    """`facts` (as stored) read as AlertFacts; None when no fact is stated."""
    if not facts:
        return None
    return AlertFacts(
        sold_as=_text(facts, "sold_as"),
        substances=_substances(facts.get("substances")),
        colour=_text(facts, "colour"),
        logo=_text(facts, "logo"),
        shape=_text(facts, "shape"),
        weight_mg=parse_amount(facts.get("weight_mg")),
        photo=_text(facts, "photo"),
        tested_on=parse_date(facts.get("tested_on")),
        tested_at=_text(facts, "tested_at"),
        tested_by=_text(facts, "tested_by"),
        severity=_text(facts, "severity") if facts.get("severity") in SEVERITIES else "",
        expires_on=parse_date(facts.get("expires_on")),
    )


def facts_of(revision: HasFacts | None) -> AlertFacts | None:
    """The alert facts `revision` states, or None (no revision, no facts: an older alert)."""
    if revision is None:
        return None
    return typed(revision.facts or {})


def expires_on(revision: HasFacts | None) -> datetime.date | None:
    """The day after which `revision`'s warning no longer holds; None when not stated."""
    facts = facts_of(revision)
    return facts.expires_on if facts else None


# --- Shown before the text: the same block in every export format and on the public page -------

_PLAIN_URL = re.compile(r"[\w/.:-]+")
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>|~^&!#()")


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown on one line: no link, emphasis, table cell or markup starts."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in flat)


def number_text(amount: Decimal) -> str:
    """180, 0.5, 1.25 (0,5 and 1,25 in Dutch and French: the active language's decimal mark):
    no exponent, no trailing zeros. The stored facts keep the canonical "1.5"."""
    return formats.number_format(amount.normalize())


def _per_label(per: str) -> str:
    labels = {
        "pill": pgettext("per unit", "pill"),
        "capsule": pgettext("per unit", "capsule"),
        "gram": pgettext("per unit", "gram"),
        "blotter": pgettext("per unit", "blotter"),
    }
    return labels.get(per, per)


def severity_label(severity: str) -> str:
    labels = {
        "high_dose": gettext("High dose"),
        "unexpected_substance": gettext("Unexpected substance"),
        "dangerous_adulterant": gettext("Dangerous adulterant"),
    }
    return labels.get(severity, severity)


def _substance_rows(facts: AlertFacts) -> list[str]:
    if not facts.substances:
        return []
    rows = [
        "| {} | {} | {} |".format(
            gettext("Substance found"), gettext("Amount"), pgettext("amount", "Per")
        ),
        "| --- | --- | --- |",
    ]
    for found in facts.substances:
        amount = (
            f"{number_text(found.amount)} {found.unit}".strip()
            if found.amount is not None
            else gettext("not measured")
        )
        per = _per_label(found.per) if found.amount is not None else ""
        rows.append(f"| {escape_markdown(found.name)} | {escape_markdown(amount)} | {per} |")
    return [*rows, ""]


def _looks_like(facts: AlertFacts) -> str:
    parts = [escape_markdown(facts.colour)] if facts.colour else []
    if facts.logo:
        parts.append(gettext("logo “%(logo)s”") % {"logo": escape_markdown(facts.logo)})
    if facts.shape:
        parts.append(escape_markdown(facts.shape))
    if facts.weight_mg is not None:
        parts.append(f"{number_text(facts.weight_mg)} mg")
    return ", ".join(parts)


def _tested(facts: AlertFacts) -> str:
    parts = [facts.tested_on.isoformat()] if facts.tested_on else []
    if facts.tested_at:
        parts.append(escape_markdown(facts.tested_at))
    if facts.tested_by:
        parts.append(
            gettext("by %(organisation)s") % {"organisation": escape_markdown(facts.tested_by)}
        )
    return ", ".join(parts)


def facts_markdown(revision: HasFacts | None, language: str) -> str:
    """The compact block of a drug alert's facts, in `language`, that exports and the public page
    put before the text: a table of the substances found, then one line per other fact. Every
    value the author typed is escaped (it never becomes a link or markup). "" without facts."""
    facts = facts_of(revision)
    if facts is None:
        return ""
    with translation.override(language):
        lines = [f"**{gettext('Drug checking result')}**", "", *_substance_rows(facts)]
        items = [
            (gettext("Sold as"), escape_markdown(facts.sold_as)),
            (gettext("Looks like"), _looks_like(facts)),
            (gettext("Tested"), _tested(facts)),
            (gettext("Severity"), severity_label(facts.severity)),
            (gettext("Valid until"), facts.expires_on.isoformat() if facts.expires_on else ""),
        ]
        lines += [f"- **{label}:** {value}" for label, value in items if value]
        if facts.photo and _PLAIN_URL.fullmatch(
            facts.photo
        ):  # checked on save; a damaged one is left out
            lines += ["", f"![{gettext('Photo of the tested sample')}](<{facts.photo}>)"]
    return "\n".join(lines).strip() + "\n"
