"""The table bench_load.py prints: one row per page (and the task queue's round trip), and the
goals it is measured against."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from benchmarks.loadgen import Result

# A page's req/s at least this share of the bare view's, measured in the same rounds.
GOALS = {"post": 0.8, "list": 0.5}
WAGTAIL_GOAL = 5.0  # the post page at least this many times a Wagtail page's req/s


@dataclass
class Row:
    name: str
    runs: list[Result] = field(default_factory=list)
    bare: list[Result] = field(default_factory=list)  # the bare view's runs interleaved with it
    queries: str = ""
    size: int = 0
    status: int = 0
    goal: str = ""
    note: str = ""  # said first in the notes column

    @property
    def rps(self) -> float:
        """The median over the rounds (other work on the machine comes and goes)."""
        return statistics.median(r.rps for r in self.runs) if self.runs else 0.0

    @property
    def ratio(self) -> float:
        """The median of each round's ratio to the bare run right before it."""
        return paired_ratio(self.runs, self.bare)

    @property
    def notes(self) -> str:
        notes = [self.note] if self.note else []
        if self.status and self.status != 200:
            notes.append(f"HTTP {self.status}")
        errors = sum(r.errors for r in self.runs)
        if errors:
            notes.append(f"{errors} errors")
        if self.runs and not sum(r.requests for r in self.runs):
            notes.append("no request finished in time")
        return ", ".join(notes)


def paired_ratio(runs: list[Result], baseline: list[Result]) -> float:
    """Median over rounds of runs[i] req/s / baseline[i] req/s: each run is compared with the
    run next to it in time, so noise that lasts a few seconds hits both sides."""
    ratios = [a.rps / b.rps for a, b in zip(runs, baseline, strict=False) if b.rps]
    return statistics.median(ratios) if ratios else math.nan


def _ms(values: list[float]) -> str:
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return "-"
    value = statistics.median(finite)
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(rows: list[Row], bare: Row | None) -> str:
    """One line per row, the bare view's first; "-" where a row has no size or no bare runs
    (the task queue's rows)."""
    header = ("page", "req/s", "p50 ms", "p99 ms", "queries", "bytes", "x bare", "notes")
    lines = [
        (
            row.name,
            f"{row.rps:,.1f}",
            _ms([r.p50_ms for r in row.runs]),
            _ms([r.p99_ms for r in row.runs]),
            row.queries,
            f"{row.size:,}" if row.size else "-",
            "1.00" if row is bare else f"{row.ratio:.2f}" if row.bare else "-",
            row.notes,
        )
        for row in ([bare] if bare is not None else []) + rows
    ]
    widths = [max(len(x) for x in column) for column in zip(header, *lines, strict=True)]
    out = []
    for i, line in enumerate([header, *lines]):
        cells = [
            cell.ljust(width) if j in (0, 7) else cell.rjust(width)
            for j, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if i == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def goals(rows: list[Row], wagtail: Row | None) -> str:
    out = ["Goals (median over rounds of req/s against the run beside it):"]
    for row in rows:
        if row.goal in GOALS:
            want = GOALS[row.goal]
            verdict = "met" if row.ratio >= want else "NOT met"
            out.append(f"  {row.name}: {row.ratio:.2f}x the bare view (goal >= {want}x): {verdict}")
    post = next((row for row in rows if row.goal == "post"), None)
    if post is not None:
        if wagtail is None:
            out.append("  post page against Wagtail: Wagtail: not installed (skipped)")
        elif not wagtail.rps:
            out.append("  post page against Wagtail: no Wagtail request finished")
        else:
            times = paired_ratio(post.runs, wagtail.runs)
            verdict = "met" if times >= WAGTAIL_GOAL else "NOT met"
            out.append(
                f"  post page: {times:.1f}x the Wagtail page's req/s "
                f"(goal >= {WAGTAIL_GOAL:.0f}x): {verdict}"
            )
    return "\n".join(out)
