"""Checking the audit log's hash chain (how it is built: content/models/audit.py).

`verify_chain()` walks the events in sequence order, a batch at a time (the log may hold
hundreds of thousands), recomputes each hash and stops at the first broken link:

- missing:   a sequence number is absent (a row was deleted);
- changed:   the stored fields no longer give the stored hash (a row was edited);
- unlinked:  `previous_hash` is not the previous event's hash (a row was replaced, with a hash
             made to fit its new content);
- reordered: the ids run against the sequence (rows were renumbered or swapped);
- head mismatch: the chain head does not name the last event (the last events were deleted,
             an event was added without the head, or the head itself was changed or lost).

The head is read first and the walk stops at its sequence, so events appended meanwhile are
not mistaken for damage. A chain rebuilt from scratch, hashes and head included, by someone
with write access to both tables checks as intact: compare the printed last hash with one
kept elsewhere (the output of an earlier run, for instance) to catch that.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Subquery

from content.models.audit import GENESIS, HEAD_ROW, AuditChainHead, AuditEvent, event_hash

BATCH = 2000
FIELDS = (
    "id",
    "sequence",
    "created_at",
    "action",
    "actor_id",
    "post_id",
    "revision_id",
    "details",
    "previous_hash",
    "hash",
)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a check: `problem` is empty when the chain is intact."""

    count: int
    last_hash: str
    problem: str = ""
    sequence: int | None = None
    event_id: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problem

    def summary(self) -> str:
        if self.intact:
            return f"Audit log intact: {self.count} events, last {self.last_hash[:12]}"
        where = f"event {self.sequence}" if self.sequence is not None else "the chain head"
        if self.event_id is not None:
            where += f" (id {self.event_id})"
        return f"Audit log broken at {where}: {self.problem}"


def _rows(up_to: int | None, batch: int) -> Iterator[dict[str, Any]]:
    """Events in sequence order, `batch` at a time: memory stays flat however long the log."""
    after = 0
    while True:
        events = AuditEvent.objects.order_by("sequence").filter(sequence__gt=after)
        if up_to is not None:
            events = events.filter(sequence__lte=up_to)
        rows = list(events.values(*FIELDS)[:batch])
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1]["sequence"]


def _first_break(row: dict[str, Any], previous: dict[str, Any] | None) -> ChainReport | None:
    expected = previous["sequence"] + 1 if previous else 1
    count = previous["sequence"] if previous else 0
    last = previous["hash"] if previous else GENESIS

    def broken(problem: str, sequence: int, event_id: int | None) -> ChainReport:
        return ChainReport(count, last, problem, sequence, event_id)

    if row["sequence"] != expected:
        gap = f"events {expected} to {row['sequence'] - 1}"
        if row["sequence"] == expected + 1:
            gap = f"event {expected}"
        return broken(f"missing: {gap} deleted", expected, None)
    fields = {k: v for k, v in row.items() if k not in ("id", "hash")}
    if event_hash(**fields) != row["hash"]:
        return broken("changed: its fields do not give its hash", row["sequence"], row["id"])
    if row["previous_hash"] != last:
        problem = f"unlinked: its previous hash is not the hash of event {expected - 1}"
        return broken(problem, row["sequence"], row["id"])
    if previous and row["id"] <= previous["id"]:
        problem = f"reordered: its id comes before event {expected - 1}'s (id {previous['id']})"
        return broken(problem, row["sequence"], row["id"])
    return None


def _head_break(head: AuditChainHead | None, count: int, last: str) -> ChainReport | None:
    def broken(problem: str, sequence: int | None) -> ChainReport:
        return ChainReport(count, last, f"head mismatch: {problem}", sequence)

    if head is None:
        return broken("the chain head is missing", None) if count else None
    if head.sequence > count:
        problem = f"the head names event {head.sequence}, the log ends at event {count}"
        return broken(f"{problem} (the last events were deleted)", count + 1)
    if head.hash != last:
        return broken(f"the head's hash is not event {count}'s", count)
    newest = AuditChainHead.objects.filter(pk=HEAD_ROW).values("sequence")
    # One statement, one snapshot: a committed event the committed head does not count was
    # written without the head (an append moves both in the same transaction).
    beyond = AuditEvent.objects.filter(sequence__gt=Subquery(newest[:1])).order_by("sequence")
    stray = beyond.values_list("sequence", flat=True).first()
    if stray is not None:
        return broken(f"event {stray} is not counted by the chain head", stray)
    return None


def verify_chain(batch: int = BATCH) -> ChainReport:
    """Walk the whole chain and report the first broken link, or that it is intact."""
    head = AuditChainHead.objects.filter(pk=HEAD_ROW).first()
    previous: dict[str, Any] | None = None
    for row in _rows(head.sequence if head else None, batch):
        report = _first_break(row, previous)
        if report:
            return report
        previous = row
    count = previous["sequence"] if previous else 0
    last = previous["hash"] if previous else GENESIS
    return _head_break(head, count, last) or ChainReport(count, last)
