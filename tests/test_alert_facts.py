"""A drug alert's facts: declared in the one content schema, hashed, diffed, read typed."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from content.alerts import AlertFacts, Substance, expires_on, facts_of
from content.diffs import compare
from content.revision_schema import RevisionContent
from tests.support import content_of

FACTS: dict[str, Any] = {
    "sold_as": "Ecstasy (orange Tesla)",
    "substances": [
        {"name": "MDMA", "amount": "240", "unit": "mg", "per": "pill"},
        {"name": "Caffeine", "amount": "", "unit": "", "per": ""},
    ],
    "colour": "orange",
    "logo": "Tesla",
    "shape": "shield",
    "weight_mg": "410",
    "tested_on": "2026-11-20",
    "tested_at": "Brussels",
    "tested_by": "Modus Vivendi drug checking",
    "severity": "high_dose",
    "expires_on": "2027-02-20",
}


def with_amount(amount: str) -> dict[str, Any]:
    rows = [dict(FACTS["substances"][0], amount=amount), FACTS["substances"][1]]
    return FACTS | {"substances": rows}


def test_content_without_facts_keeps_the_hash_it_always_had() -> None:
    plain = content_of()
    assert dataclasses.replace(plain, facts={}).content_hash == plain.content_hash
    assert dataclasses.replace(plain, facts={"colour": "  "}).content_hash == plain.content_hash


def test_structured_facts_are_hashed_in_canonical_form() -> None:
    alert = content_of(facts=FACTS)
    assert alert.content_hash != content_of().content_hash
    spaced = FACTS | {"sold_as": " Ecstasy  (orange Tesla) ", "colour": "orange"}
    assert content_of(facts=spaced).content_hash == alert.content_hash
    assert content_of(facts=with_amount("250")).content_hash != alert.content_hash
    # Stored as plain JSON, read back the same: the hash of a stored revision does not drift.
    assert content_of(facts=alert.columns()["facts"]).content_hash == alert.content_hash


def test_the_diff_shows_a_changed_amount_as_a_changed_substance_line() -> None:
    rows = {
        d.label: d for d in compare(content_of(facts=FACTS), content_of(facts=with_amount("250")))
    }
    changed = [label for label, d in rows.items() if d.changed]
    assert changed == ["Substances found"]
    html = str(rows["Substances found"].html)
    assert "240" in html and "250" in html and "Caffeine" in html
    assert not rows["Severity"].changed and "High dose" in str(rows["Severity"].html)


def test_facts_are_read_typed_and_missing_facts_are_not_stated() -> None:
    facts = facts_of(content_of(facts=FACTS))
    assert facts is not None
    assert facts.substances[0] == Substance("MDMA", Decimal(240), "mg", "pill")
    assert facts.substances[1] == Substance("Caffeine")
    assert facts.weight_mg == Decimal(410)
    assert facts.tested_on == datetime.date(2026, 11, 20)
    assert expires_on(content_of(facts=FACTS)) == datetime.date(2027, 2, 20)
    assert facts_of(content_of()) is None and expires_on(content_of()) is None
    assert expires_on(None) is None
    damaged = facts_of(RevisionContent(title="T", body="B", facts={"expires_on": "soon"}))
    assert damaged == AlertFacts() and expires_on(content_of(facts={"expires_on": "x"})) is None
