"""The Wagtail row of bench_load.py: a Wagtail page with the same body, under the same gunicorn.

Wagtail is never installed in the project's virtualenv (it would bring its own Django). Give
bench_load.py `--wagtail-python PATH` naming the Python of a separate virtualenv, e.g.

    python3 -m venv ../wagtail-venv
    ../wagtail-venv/bin/pip install wagtail gunicorn 'psycopg[binary]'

and the site in benchmarks/wagtail_site/ is migrated into the database `bench_wagtail`, its one
page is published with the post page's stored HTML, and it is served with as many sync workers.
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from benchmarks import loadgen, loadserver
from benchmarks.loadreport import Row

WAGTAIL_DATABASE = "bench_wagtail"
PAGE_PATH = "/bench-post/"


@dataclass
class Wagtail:
    row: Row
    loader: loadgen.WrkLoader | loadgen.PythonLoader
    request: loadgen.Request


def installed(python: str) -> str:
    """Wagtail's version in `python`, or "" when it cannot be imported there."""
    if not python:
        return ""
    try:
        found = subprocess.run(  # noqa: S603 - the interpreter the user named
            [python, "-c", "import wagtail, gunicorn; print(wagtail.__version__)"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except OSError:
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


def start(
    stack: ExitStack, args: argparse.Namespace, work: Path, *, title: str, html: str
) -> Wagtail | None:
    """Set up and start the Wagtail site; None (and a line saying so) when it is not installed."""
    version = installed(args.wagtail_python)
    if not version:
        print("Wagtail: not installed (skipped)", flush=True)
        return None
    url = args.database_url.rsplit("/", 1)[0] + "/" + WAGTAIL_DATABASE
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "benchmarks.wagtail_site.settings",
        "WAGTAIL_DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONPATH": str(loadserver.ROOT),
    }
    python = args.wagtail_python
    loadserver.recreate_database(url, drop=True)
    loadserver.run([python, "-m", "django", "migrate", "--noinput", "-v0"], env)
    html_file = work / "wagtail-body.html"
    html_file.write_text(html, encoding="utf-8")
    loadserver.run(
        [python, "-m", "django", "seed_wagtail", f"--html-file={html_file}", f"--title={title}"],
        env,
    )
    server = stack.enter_context(
        loadserver.gunicorn(
            "wagtail",
            python=python,
            app="benchmarks.wagtail_site.wsgi:application",
            env=env,
            workers=args.workers,
            timeout=args.timeout,
            logs=work,
        )
    )
    server.wait_ready(PAGE_PATH)
    request = loadgen.Request(PAGE_PATH)
    status, body, _ = loadgen.fetch(server.port, request)
    row = Row(f"Wagtail {version} page, same body", status=status, size=len(body), goal="wagtail")
    row.queries = _queries(python, env)
    loader = loadgen.make_loader(args.loader, server.port, args.connections, args.timeout, work)
    return Wagtail(row=row, loader=loader, request=request)


_COUNT_QUERIES = """
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
counts = []
for _ in range(2):
    with CaptureQueriesContext(connection) as captured:
        client.get("{path}")
    counts.append(len(captured.captured_queries))
print(counts[0], counts[1])
"""


def _queries(python: str, env: dict[str, str]) -> str:
    """The Wagtail page's SQL queries on a first and a second request, in its own process."""
    found = subprocess.run(  # noqa: S603 - the interpreter the user named
        [python, "-c", _COUNT_QUERIES.format(path=PAGE_PATH)],
        env=env,
        cwd=loadserver.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    counts = found.stdout.split()
    if found.returncode != 0 or len(counts) != 2:
        return "?"
    return counts[1] if counts[0] == counts[1] else f"{counts[0]}/{counts[1]}"
