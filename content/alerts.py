"""Drug alerts' facts: read typed (`facts_of`), checked and shown (`facts_markdown`).

The facts are declared in content.revision_schema (DRUG_ALERT_FACTS) and stored in
`Revision.facts` as text: ISO dates, decimal numbers, the substances found as rows. This module
reads them as typed values for every consumer. Older alerts state no facts: `facts_of()` is then
None, and every consumer treats that as "not stated"; a fact that cannot be read (a damaged date)
is "not stated" too, never an exception, because a public page must always render.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

UNITS = ("mg", "µg", "%")
PER_UNITS = ("pill", "capsule", "gram", "blotter")
SEVERITIES = ("high_dose", "unexpected_substance", "dangerous_adulterant")


class HasFacts(Protocol):
    """A Revision, a RevisionContent or anything else that carries a revision's facts."""

    @property
    def facts(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Substance:
    """One substance the lab found: "MDMA, 180 mg per pill". Amount None when not stated."""

    name: str
    amount: Decimal | None = None
    unit: str = ""
    per: str = ""


@dataclass(frozen=True)
class AlertFacts:
    """A drug alert's facts, typed; text "" and dates/amounts None when not stated."""

    sold_as: str = ""
    substances: tuple[Substance, ...] = ()
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


def _substances(rows: Any) -> tuple[Substance, ...]:
    if not isinstance(rows, (list, tuple)):
        return ()
    return tuple(
        Substance(
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
