"""Reading a combinations chart in TripSit's format into proposed changes of the table.

The chart is the JSON of TripSit's combinations table, a file the editor supplies (nothing is
fetched): `{"drugA": {"drugB": {"status": "Dangerous", "note": "..."}, ...}, ...}`, every pair
usually listed in both directions. Names go through the substances' names and aliases; a name
the table does not know is listed, never guessed. `plan()` says what the chart would change
(added pairs, changed levels or notes, how many are unchanged or already proposed);
`apply()` records those changes as proposals by one editor, which take effect only when
someone else approves them (content.interactions). The chart's notes are English: an import
sets the English explanation and keeps the Dutch and French ones of a pair (a reviewer sees
old and new side by side before approving).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from content import interactions
from content.actors import Actor
from content.models import Interaction, InteractionProposal, Substance
from content.models.interactions import EXPLANATION_LANGUAGES

# TripSit's statuses, in their order, -> our level codes.
TRIPSIT_LEVELS = {
    "Low Risk & Synergy": "low_synergy",
    "Low Risk & No Synergy": "low_no_synergy",
    "Low Risk & Decrease": "low_decrease",
    "Caution": "caution",
    "Unsafe": "unsafe",
    "Dangerous": "dangerous",
}


class ChartError(ValueError):
    """The file is not a combinations chart; nothing was read from it."""


@dataclass(frozen=True)
class Change:
    first: Substance
    second: Substance
    old_level: str
    new_level: str
    explanations: dict[str, str]
    note: str


@dataclass
class Plan:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    already_proposed: int = 0
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return self.added + self.changed


def _entries(chart: Any) -> list[tuple[str, str, str, str]]:
    """(name, name, status, note) for every entry, or ChartError for another shape."""
    if not isinstance(chart, dict):
        raise ChartError("A combinations chart is a JSON object of substances.")
    entries = []
    for a, row in chart.items():
        if not isinstance(row, dict):
            raise ChartError(f"The entry of {a!r} is not an object of substances.")
        for b, cell in row.items():
            if not isinstance(cell, dict) or not isinstance(cell.get("status"), str):
                raise ChartError(f"The entry {a!r} + {b!r} has no status.")
            note = cell.get("note", "")
            entries.append((str(a), str(b), cell["status"], note if isinstance(note, str) else ""))
    return entries


def plan(chart: Any) -> Plan:
    """What importing `chart` would change. Reads the database, changes nothing."""
    result = Plan()
    index = interactions.substance_index()
    unknown: set[str] = set()
    seen: dict[tuple[int, int], tuple[str, str]] = {}
    for a, b, status, note in _entries(chart):
        first, second = interactions.lookup(a, index), interactions.lookup(b, index)
        if first is None or second is None:
            unknown.update(name for name, found in ((a, first), (b, second)) if found is None)
            continue
        if first.pk == second.pk:
            continue
        level = TRIPSIT_LEVELS.get(status.strip())
        if level is None:
            result.problems.append(f"{a} + {b}: unknown status {status!r}")
            continue
        first, second = interactions.ordered(first, second)
        pair, value = (first.pk, second.pk), (level, " ".join(note.split()))
        if pair in seen:
            if seen[pair] != value:
                result.problems.append(
                    f"{first.name} + {second.name}: the chart says two different things; skipped"
                )
            continue
        seen[pair] = value
        _plan_pair(result, first, second, *value)
    # A pair whose two directions disagree is not imported at all.
    conflicting = {p.split(":")[0] for p in result.problems if p.endswith("skipped")}
    for changes in (result.added, result.changed):
        changes[:] = [c for c in changes if f"{c.first.name} + {c.second.name}" not in conflicting]
    result.unknown = sorted(unknown, key=str.casefold)
    return result


def _plan_pair(result: Plan, first: Substance, second: Substance, level: str, note: str) -> None:
    existing = Interaction.objects.filter(first=first, second=second).first()
    old = existing.explanations() if existing else dict.fromkeys(EXPLANATION_LANGUAGES, "")
    new = dict(old, en=note or old["en"])
    if existing is not None and existing.level == level and new == old:
        result.unchanged += 1
        return
    pending = InteractionProposal.objects.filter(
        first=first,
        second=second,
        status=InteractionProposal.Status.PENDING,
        new_level=level,
    )
    if any(proposal.new_explanations == new for proposal in pending):
        result.already_proposed += 1
        return
    change = Change(first, second, existing.level if existing else "", level, new, note)
    (result.changed if existing else result.added).append(change)


def apply(chart_plan: Plan, *, editor: Actor, source: str = "") -> list[InteractionProposal]:
    """Record every change of `chart_plan` as a proposal by `editor`, in one transaction."""
    note = f"Imported from {source}" if source else "Imported from a combinations chart"
    with transaction.atomic():
        return [
            interactions.propose(
                actor=editor,
                first=change.first,
                second=change.second,
                level=change.new_level,
                explanations=change.explanations,
                note=note,
                require_english=False,
            )
            for change in chart_plan.changes
        ]


def describe(chart_plan: Plan) -> list[str]:
    """The plan as lines for a terminal."""
    lines = []
    for label, changes in (("added", chart_plan.added), ("changed", chart_plan.changed)):
        for change in changes:
            was = f"{change.old_level} -> " if change.old_level else ""
            lines.append(
                f"{label}: {change.first.name} + {change.second.name}: {was}{change.new_level}"
            )
    lines.extend(f"problem: {problem}" for problem in chart_plan.problems)
    if chart_plan.unknown:
        lines.append("unknown names (add them as aliases first): " + ", ".join(chart_plan.unknown))
    lines.append(
        f"{len(chart_plan.added)} added, {len(chart_plan.changed)} changed, "
        f"{chart_plan.unchanged} unchanged, {chart_plan.already_proposed} already proposed, "
        f"{len(chart_plan.unknown)} unknown names"
    )
    return lines


def level_of(status: str) -> str | None:
    return TRIPSIT_LEVELS.get(status)


def as_mapping(chart_plan: Plan) -> Mapping[str, int]:
    return {
        "added": len(chart_plan.added),
        "changed": len(chart_plan.changed),
        "unchanged": chart_plan.unchanged,
        "already_proposed": chart_plan.already_proposed,
        "unknown": len(chart_plan.unknown),
    }
