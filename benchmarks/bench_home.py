"""The studio home by role at 10,000 posts: milliseconds per request, SQL queries, slowest ones.

    .venv/bin/python benchmarks/bench_home.py              # time the homes in-process
    .venv/bin/python benchmarks/bench_home.py --explain    # ... with the slowest queries' plans

It reads a database seeded by `manage.py seed_load` (bench_load.py seeds `bench_load`; any
other seeded database can be named with --database-url) and changes nothing in it. Each home
(the benchmark's editor, an author and a reviewer) is requested in-process with Django's test
client, signed in, under the benchmark's production settings: a few warm-up requests, then
--requests timed ones. It prints the median and 90th percentile, the number of queries and the
slowest queries of one request; --explain adds PostgreSQL's EXPLAIN ANALYZE of the slowest.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
HOMES = (("editor", "bench-editor"), ("author", "bench-author-1"), ("reviewer", "bench-reviewer-1"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time the studio home by role.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=30, help="timed requests per home")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--slowest", type=int, default=3, help="queries shown per home")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
    return parser.parse_args()


def setup(url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": url,
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # The pages' static URLs without a collected manifest (bench_load.py collects one).
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    override_settings(STORAGES=storages).enable()


def main() -> None:
    args = parse_args()
    setup(args.database_url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.loadsite.services_path import EDITOR_USERNAME
    from content.models import Post

    posts = Post.objects.count()
    print(f"{posts:,} posts in {connection.settings_dict['NAME']} ({connection.vendor}).\n")
    print("| home | p50 ms | p90 ms | queries |\n|---|---|---|---|")
    details: list[str] = []
    for role, username in HOMES:
        username = EDITOR_USERNAME if role == "editor" else username
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise SystemExit(f"No user {username}: seed the database with seed_load first.")
        client = Client()
        client.force_login(user)
        for _ in range(args.warmup):
            client.get("/studio/", secure=True)
        timings = []
        for _ in range(args.requests):
            began = time.perf_counter()
            response = client.get("/studio/", secure=True)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as captured:
            client.get("/studio/", secure=True)
        queries = captured.captured_queries
        p90 = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0]
        print(f"| {role} | {statistics.median(timings):.1f} | {p90:.1f} | {len(queries)} |")
        slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[: args.slowest]
        details.append(f"{role}: slowest queries of one request")
        for query in slowest:
            details.append(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
            if args.explain and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                    details.extend("      " + row[0] for row in cursor.fetchall())
    print()
    print("\n".join(details))


if __name__ == "__main__":
    main()
