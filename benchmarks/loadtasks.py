"""The task queue's round trip (enqueue to done) for bench_load.py, on the bench_load database.

Import it only after `django.setup()` with the benchmark's settings. `measure()` runs
benchmarks/bench_tasks.py unchanged, as a subprocess pointed at the same database
(--database-url): it migrates, starts a real `manage.py db_worker`, sends the notification mail
task one at a time, then in a burst, and prints its own figures. Its task rows stay in the
database, so the p50 and p99 of enqueued_at to finished_at and the worker's throughput are read
from them here; then the rows, and the user and notifications bench_tasks.py made, are deleted,
so the seeded data is as it was.
"""

from __future__ import annotations

import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django_tasks_db.models import DBTaskResult

from benchmarks.loadgen import Result, percentile
from benchmarks.loadreport import Row

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_tasks.py"
BENCH_USER = "bench-tasks"  # made by bench_tasks.py
SUCCESSFUL = "SUCCESSFUL"


def names(burst: int, one_at_a_time: int) -> tuple[str, str]:
    return (
        f"tasks: one at a time x {one_at_a_time} (enqueue to done)",
        f"tasks: burst of {burst} (enqueue to done)",
    )


def measure(
    database_url: str, *, burst: int, one_at_a_time: int, timeout: float
) -> tuple[list[Row], list[str]]:
    """(the two rows, bench_tasks.py's own output lines)."""
    command = [
        sys.executable,
        str(SCRIPT),
        "-n",
        str(burst),
        "--one-at-a-time",
        str(one_at_a_time),
        "--database-url",
        database_url,
    ]
    try:
        out = subprocess.run(  # noqa: S603 - our own interpreter and script
            command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=timeout
        ).stdout
        tasks = list(DBTaskResult.objects.order_by("enqueued_at", "id"))
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"bench_tasks.py failed:\n{error.stdout}\n{error.stderr}") from error
    finally:
        _clean_up()
    if len(tasks) != burst + one_at_a_time:
        raise SystemExit(f"Expected {burst + one_at_a_time} task rows, found {len(tasks)}.")
    single_name, burst_name = names(burst, one_at_a_time)
    rows = [
        _row(single_name, tasks[:one_at_a_time], "sequential: 1 / mean round trip"),
        _row(burst_name, tasks[one_at_a_time:], "the worker's throughput"),
    ]
    return rows, out.strip().splitlines()


def _row(name: str, tasks: list[DBTaskResult], what: str) -> Row:
    latencies = [(t.finished_at - t.enqueued_at).total_seconds() for t in tasks if t.finished_at]
    finished = [t.finished_at for t in tasks if t.finished_at]
    span = (max(finished) - min(t.enqueued_at for t in tasks)).total_seconds() if finished else 0
    failed = sum(1 for t in tasks if t.status != SUCCESSFUL)
    result = Result(
        requests=len(latencies),
        seconds=span,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        errors=failed,
    )
    return Row(name, runs=[result], queries="-", note=f"tasks/s ({what})")


def _clean_up() -> None:
    DBTaskResult.objects.all().delete()
    with suppress(ProtectedError):  # its notifications go with it (CASCADE)
        get_user_model().objects.filter(username=BENCH_USER).delete()
