"""Load benchmark: the site under gunicorn on PostgreSQL with 10,000 posts, against a bare view.

    .venv/bin/pip install -e '.[bench]'       # gunicorn (wrk: apt-get install wrk, optional)
    .venv/bin/python benchmarks/bench_load.py            # seed 10,000 posts, then measure
    .venv/bin/python benchmarks/bench_load.py --reuse    # measure the data already seeded
    .venv/bin/python benchmarks/bench_load.py --posts 1000 --seconds 2 --rounds 1   # a quick look

Steps: (re)create the PostgreSQL database `bench_load` (the only name it accepts: it is dropped
and rebuilt unless --reuse finds it seeded with --posts posts), migrate, seed it with
`manage.py seed_load` (which checks its bulk rows against the services every time), collect the
static files into a temporary directory, start gunicorn (--workers sync workers, production
settings: DEBUG off, a random SECRET_KEY) on a free loopback port, sign in as the benchmark's
editor through the login form, count each page's SQL queries in-process with Django's test
client, then load each page for --seconds per run in --rounds rounds, interleaving the bare
one-query view (/_bench/bare/<id>/: the post page's stored HTML, padded to the post page's size),
the page and, for the post page, a Wagtail page with the same body when --wagtail-python names
an interpreter with Wagtail installed (benchmarks/wagtail_site/). Prints one table.

Also measured: /healthz, and the public verify page: its form, and two pastes POSTed with the
token read from the server's page and the site's own Origin (a paragraph of a published post,
unsigned, and a clear-signed part of the typical post's export, which gpg checks on every
request; benchmarks/loadkeys.py generates the run's signing key in its temporary GNUPG_HOME).
The server runs with VERIFY_RATE_LIMIT raised and the API's throttle off, or the rate limits
would answer the load. Last, with gunicorn stopped, the task queue's round trip, enqueue to
done: benchmarks/bench_tasks.py against bench_load (--tasks, --tasks-one-at-a-time;
benchmarks/loadtasks.py).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import loadgen, loadserver, wagtail_compare  # noqa: E402
from benchmarks.loadreport import Row, goals, table  # noqa: E402

if TYPE_CHECKING:
    from benchmarks.loadpages import Page

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
# Production allows 60 checks a minute per site address; the load would measure refusals.
VERIFY_RATE_LIMIT = 1_000_000_000
TASKS_TIMEOUT_SECONDS = 600.0
# A page whose single request takes more than this share of --seconds is loaded by the Python
# loader, which lets requests still running at the end finish and counts them.
SLOW_SHARE = 0.5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load benchmark of the public site and studio.")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="its database: bench_load")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--revisions-per-post", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the data if it is seeded")
    parser.add_argument("--seconds", type=float, default=3.0, help="per run of one URL")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    parser.add_argument(
        "--tasks", type=int, default=200, help="the task queue's burst (0: no task queue rows)"
    )
    parser.add_argument("--tasks-one-at-a-time", type=int, default=30, help="round trips")
    parser.add_argument(
        "--wagtail-python", default="", help="a Python with Wagtail installed (a separate venv)"
    )
    return parser.parse_args()


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> float | None:
    """Migrate, and seed unless --reuse finds the data; the seconds seeding took (None: reused)."""
    url = args.database_url
    if loadserver.database_name(url) != "bench_load":
        raise SystemExit("The load benchmark uses only the database named bench_load.")
    manage = [sys.executable, "manage.py"]
    if args.reuse and loadserver.seeded_posts(url) == args.posts:
        print(f"Reusing the {args.posts:,} posts seeded in bench_load.", flush=True)
        loadserver.run([*manage, "migrate", "--noinput", "-v0"], env)
        return None
    loadserver.recreate_database(url, drop=True)
    loadserver.run([*manage, "migrate", "--noinput", "-v0"], env)
    began = time.monotonic()
    loadserver.run(
        [
            *manage,
            "seed_load",
            f"--posts={args.posts}",
            f"--revisions-per-post={args.revisions_per_post}",
            f"--reposts={args.posts * 3 // 10}",
        ],
        env,
    )
    return time.monotonic() - began


def measure(
    args: argparse.Namespace, env: dict[str, str], work: Path
) -> tuple[list[Row], Row | None, list[str]]:
    """(the pages' rows and the task queue's, the bare view's row, notes to print under them)."""
    import django

    django.setup()
    from benchmarks import loadkeys, loadpages, loadtasks

    notes: list[str] = []
    rows: list[Row] = []
    bare: Row | None = None
    gnupghome = Path(env["GNUPG_HOME"])
    with loadkeys.run_key(gnupghome) as key:
        typical = loadpages.typical_post()
        signed = loadkeys.signed_part(typical, key, gnupghome)
        pages = [page for page in loadpages.pages(signed) if args.only in page.name]
        if pages:
            notes.append(
                "One current signing key, generated for this run in its temporary GNUPG_HOME "
                "(seed_load makes none): /healthz and /pgp/ read a key store holding a key in "
                "use, and the signed paste verifies."
            )
            if any(page.path == loadpages.VERIFY_PATH for page in pages):
                notes.append(
                    f"The benchmark server runs with VERIFY_RATE_LIMIT={VERIFY_RATE_LIMIT:,} "
                    "(production: 60 checks a minute per site address), or the verify rows "
                    "would measure its refusals (HTTP 429); the API's throttle is off "
                    "(API_THROTTLE_RATE empty) for the same reason."
                )
            for page in pages:
                if page.path == loadpages.VERIFY_PATH and page.method == "POST":
                    answer = loadkeys.answer(dict(page.form)["text"])
                    notes.append(f"{page.name} is answered (checked in-process): {answer}.")
            rows, bare = _measure_pages(args, env, work, pages)
    single, burst = loadtasks.names(args.tasks, args.tasks_one_at_a_time)
    if args.tasks and (args.only in single or args.only in burst):
        print("Task queue: benchmarks/bench_tasks.py against bench_load...", flush=True)
        task_rows, out = loadtasks.measure(
            args.database_url,
            burst=args.tasks,
            one_at_a_time=args.tasks_one_at_a_time,
            timeout=TASKS_TIMEOUT_SECONDS,
        )
        rows += task_rows
        notes.append(
            "Task rows: benchmarks/bench_tasks.py on bench_load (a real db_worker, the "
            "notification mail task; after the pages, with gunicorn stopped); p50/p99 of "
            "enqueued_at to finished_at in its task rows. Its own output:"
        )
        notes += [f"    {line}" for line in out]
    return rows, bare, notes


def _measure_pages(
    args: argparse.Namespace, env: dict[str, str], work: Path, pages: list[Page]
) -> tuple[list[Row], Row]:
    from django.db import connections

    from benchmarks import loadpages
    from benchmarks.loadsite.services_path import EDITOR_USERNAME

    password = secrets.token_urlsafe(24)
    loadpages.set_editor_password(password)
    typical = loadpages.typical_post()
    typical_html = typical.expect_published_revision()
    print("Counting SQL queries in-process...", flush=True)
    queries = {page.name: loadpages.count_queries(page) for page in pages}
    connections.close_all()

    with ExitStack() as stack:
        site = stack.enter_context(
            loadserver.gunicorn(
                "site",
                python=sys.executable,
                app="harmreduction.wsgi:application",
                env=env,
                workers=args.workers,
                timeout=args.timeout,
                logs=work,
            )
        )
        wagtail = wagtail_compare.start(
            stack, args, work, title=typical_html.title, html=typical_html.rendered_html
        )
        bare_path = f"/_bench/bare/{typical.pk}/"
        site.wait_ready(bare_path)
        signed_in = loadserver.sign_in(site.port, EDITOR_USERNAME, password)
        # The verify form carries a token from the page itself, as a browser posts it.
        token = loadserver.form_token(site.port, loadpages.VERIFY_PATH)
        _, post_body, _ = loadgen.fetch(site.port, loadgen.Request(typical.get_public_url()))
        bare_request = loadgen.Request(f"{bare_path}?size={len(post_body)}")
        loader = loadgen.make_loader(args.loader, site.port, args.connections, args.timeout, work)
        print(f"Load generator: {loader.name}; {args.rounds} rounds of {args.seconds:g} s per URL.")
        rows = []
        for listed in pages:
            page = listed
            if page.path == loadpages.VERIFY_PATH and page.method == "POST":
                page = page.with_field("token", token)  # the server's token, not ours
            request = loadgen.Request(
                page.path, page.method, page.body, signed_in if page.studio else {}
            )
            rows.append(
                _measure_page(args, page, request, bare_request, loader, site.port, wagtail)
            )
            row, counted = rows[-1], queries[page.name]
            row.queries = (
                str(counted.warm)
                if counted.warm == counted.cold
                else f"{counted.cold}/{counted.warm}"
            )
            print(f"  {row.name}: {row.rps:,.1f} req/s, {row.ratio:.2f}x bare", flush=True)
        _, bare_body, _ = loadgen.fetch(site.port, bare_request)
        bare = Row(
            "bare view (1 query)",
            runs=[r for row in rows for r in row.bare],
            queries="1",
            size=len(bare_body),
            status=200,
        )
        bare.bare = bare.runs
        if wagtail is not None and wagtail.row.runs:  # measured beside the post page
            rows.append(wagtail.row)
    return rows, bare


def _measure_page(
    args: argparse.Namespace,
    page: object,
    request: loadgen.Request,
    bare_request: loadgen.Request,
    loader: loadgen.WrkLoader | loadgen.PythonLoader,
    port: int,
    wagtail: wagtail_compare.Wagtail | None,
) -> Row:
    from benchmarks.loadpages import Page

    assert isinstance(page, Page)
    row = Row(page.name, goal=page.goal)
    took = 0.0
    for _ in range(args.workers + 1):  # every worker has compiled its templates
        began = time.monotonic()
        row.status, body, _ = loadgen.fetch(port, request, timeout=args.timeout)
        row.size, took = len(body), time.monotonic() - began
        if took > args.seconds * SLOW_SHARE:  # its own work, not compiling templates
            break
    page_loader = loader
    if took > args.seconds * SLOW_SHARE and isinstance(loader, loadgen.WrkLoader):
        # wrk counts no request still running when its time is up: a page slower than that
        # would show no request at all. The Python loader lets each one finish.
        page_loader = loadgen.PythonLoader(port, args.connections, args.timeout)
        row.note = "slow: Python loader, lets in-flight requests finish"
    for _ in range(args.rounds):
        row.bare.append(loader.run(bare_request, args.seconds))
        row.runs.append(page_loader.run(request, args.seconds))
        if page.goal == "post" and wagtail is not None:
            wagtail.row.runs.append(wagtail.loader.run(wagtail.request, args.seconds))
            wagtail.row.bare.append(row.bare[-1])
    return row


def main() -> None:
    args = parse_args()
    began = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BENCH_STATIC_ROOT": str(work / "static"),
        "GNUPG_HOME": str(work / "gnupg"),
        "MEDIA_ROOT": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "VERIFY_RATE_LIMIT": str(VERIFY_RATE_LIMIT),
        "API_THROTTLE_RATE": "",  # no limit: the rows would measure its 429s
        # gunicorn stands behind a TLS-terminating proxy in production; the loaders send the
        # header such a proxy sets (loadgen._headers), so no request is redirected to https.
        "SECURE_PROXY_SSL_HEADER": os.environ.get("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"),
    }
    try:
        seeded_in = prepare_database(args, env)
        loadserver.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        os.environ.update(env)
        measured = time.monotonic()
        rows, bare, notes = measure(args, env, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    done = time.monotonic()
    print()
    print(table(rows, bare))
    print()
    print(goals(rows, next((row for row in rows if row.name.startswith("Wagtail")), None)))
    print()
    print("\n".join(notes))
    seeding = "reused" if seeded_in is None else f"{seeded_in:.0f} s"
    print(
        f"\nSeeding: {seeding}; measuring: {done - measured:.0f} s; total {done - began:.0f} s. "
        f"gunicorn {args.workers} sync workers, {args.connections} connections, "
        f"{args.rounds} x {args.seconds:g} s per URL."
    )


if __name__ == "__main__":
    main()
