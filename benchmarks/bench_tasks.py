"""Task queue round trip: enqueue to done, with a real `manage.py db_worker` running.

Run: .venv/bin/python benchmarks/bench_tasks.py [-n 200] [--interval 1] [--database-url URL]

The task is the real notification mail (content.tasks.send_notification_mail) with the locmem
mail backend, so each run reads a notification and its recipient and builds the message. By
default a throwaway SQLite file in a temporary directory (migrated here); --database-url points
at another database, which must be empty or this benchmark's own.

Two figures:
- one at a time: enqueue a task, wait until it is done, again. On an idle queue the worker is
  asleep for up to --interval seconds between looks, so that is what a single task waits.
- a burst of N: enqueue N at once; latency of each (enqueued to finished, from the task rows)
  and the worker's throughput. The worker does not sleep while tasks are waiting.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(database_url: str) -> dict[str, str]:
    """The environment of this process and of the worker: the same settings and database."""
    env = {
        "DJANGO_SETTINGS_MODULE": "harmreduction.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "MAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return {**os.environ, **env}


def percentiles(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):7.1f} ms, p95 {p95:7.1f} ms, max {ms[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="tasks in the burst (default 200)")
    parser.add_argument("--one-at-a-time", type=int, default=30, help="round trips (default 30)")
    parser.add_argument("--interval", type=float, default=1.0,
                        help="the worker's sleep when idle, in seconds (db_worker's default: 1)")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="bench-tasks-")
    env = configure(args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from content.models import Notification
    from content.tasks import send_notification_mail

    call_command("migrate", verbosity=0)
    DBTaskResult.objects.all().delete()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-tasks", defaults={"email": "bench@example.org"}
    )
    count = args.n + args.one_at_a_time
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, message=f"Benchmark notification {i}") for i in range(count)]
    )
    ids = [n.pk for n in notifications]

    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", str(args.interval), "--verbosity", "0"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        time.sleep(2)  # the worker's start (Django setup), not part of any round trip
        wall, enqueue_times = [], []
        for notification_id in ids[: args.one_at_a_time]:
            start = time.perf_counter()
            result = send_notification_mail.enqueue(notification_id)
            enqueue_times.append(time.perf_counter() - start)
            while not result.is_finished:
                time.sleep(0.002)
                result.refresh()
            wall.append(time.perf_counter() - start)
        print(f"backend django-tasks-db on {django.db.connection.vendor}, "
              f"worker --interval {args.interval:g} s")  # fmt: skip
        print(f"enqueue (one INSERT):        {percentiles(enqueue_times)}")
        print(f"one at a time, {len(wall):4d} tasks: {percentiles(wall)}")

        burst_ids = ids[args.one_at_a_time :]
        start = time.perf_counter()
        results = [send_notification_mail.enqueue(i) for i in burst_ids]
        enqueued = time.perf_counter() - start
        pending = {r.id for r in results}
        while pending:
            time.sleep(0.02)
            done = DBTaskResult.objects.finished().filter(id__in=pending)
            pending -= {str(pk) for pk in done.values_list("id", flat=True)}
        elapsed = time.perf_counter() - start
        rows = DBTaskResult.objects.filter(id__in=[r.id for r in results])
        latencies = [(row.finished_at - row.enqueued_at).total_seconds() for row in rows]
        failed = rows.exclude(status="SUCCESSFUL").count()
        print(f"burst of {len(results):4d}, enqueued in {enqueued * 1000:.0f} ms: "
              f"{percentiles(latencies)}")  # fmt: skip
        print(f"burst throughput: {len(results) / elapsed:.0f} tasks/s "
              f"({elapsed:.2f} s for all; {failed} failed)")  # fmt: skip
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        tmp.cleanup()


if __name__ == "__main__":
    main()
