"""Processes and the database behind bench_load.py: PostgreSQL, gunicorn, signing in.

Only the database named `bench_load` (and the Wagtail comparison's `bench_wagtail`) is ever
created or dropped here; gunicorn listens on a free loopback port and is stopped on the way out.
Forms are read from the server's own pages: the login form's CSRF token, the verify form's token.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import psycopg
from psycopg import sql

from benchmarks import loadgen

ROOT = Path(__file__).resolve().parent.parent
DATABASES = ("bench_load", "bench_wagtail")  # the only names created or dropped


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own commands


def database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def _admin_connection(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A connection to the server's `postgres` database, to create or drop ours."""
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
    )


def database_exists(url: str) -> bool:
    with _admin_connection(url) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        ).fetchone()
    return found is not None


def recreate_database(url: str, *, drop: bool) -> None:
    """Create the database (dropping it first when `drop`); only DATABASES names are accepted."""
    name = database_name(url)
    if name not in DATABASES:
        raise SystemExit(f"Refusing to create or drop database {name!r}: use one of {DATABASES}.")
    with _admin_connection(url) as conn:
        if drop:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def seeded_posts(url: str) -> int:
    """How many posts the seeded database holds (0 when it is not there or not migrated)."""
    if not database_exists(url):
        return 0
    parts = urlsplit(url)
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or "") or None,
        dbname=database_name(url),
    ) as conn:
        try:
            row = conn.execute(
                "SELECT count(*) FROM content_post WHERE EXISTS "
                "(SELECT 1 FROM content_post WHERE slug = 'bench-typical-post')"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
    return int(row[0]) if row else 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((loadgen.HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def wait_ready(self, path: str, seconds: float = 90) -> None:
        deadline, status = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped:\n{self.log.read_text()}")
            with contextlib.suppress(OSError):
                status, _, _ = loadgen.fetch(self.port, loadgen.Request(path), timeout=10)
                if status == 200:
                    return
            time.sleep(0.3)
        raise SystemExit(
            f"{self.name} did not answer 200 on {path} within {seconds:.0f} s (last: HTTP "
            f"{status}); its log:\n{self.log.read_text()[-3000:]}"
        )


@contextlib.contextmanager
def gunicorn(
    name: str,
    *,
    python: str,
    app: str,
    env: dict[str, str],
    workers: int,
    timeout: float,
    logs: Path,
) -> Iterator[Server]:
    """gunicorn with `workers` sync workers on a free loopback port, stopped on leaving."""
    port = free_port()
    log = logs / f"{name}-{port}.log"
    command = [
        python, "-m", "gunicorn", app,
        "--bind", f"{loadgen.HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--timeout", str(int(timeout) + 10),
        "--error-logfile", str(log),
        "--log-level", "warning",
        "--chdir", str(ROOT),
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - our own command
    try:
        yield Server(name, process, port, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _cookie(set_cookies: list[str], name: str) -> str:
    for header in set_cookies:
        key, _, value = header.split(";", 1)[0].partition("=")
        if key.strip() == name:
            return value.strip()
    return ""


def sign_in(port: int, username: str, password: str) -> dict[str, str]:
    """Log in through the real login form; returns the headers a signed-in browser sends
    (session and CSRF cookies, and the CSRF header a form POST needs)."""
    _, page, cookies = loadgen.fetch(port, loadgen.Request("/accounts/login/"))
    csrf = _cookie(cookies, "csrftoken")
    marker = b'name="csrfmiddlewaretoken" value="'
    start = page.index(marker) + len(marker)
    token = page[start : page.index(b'"', start)].decode()
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = loadgen.Request(
        "/accounts/login/", "POST", form.encode(), {"Cookie": f"csrftoken={csrf}"}
    )
    status, _, cookies = loadgen.fetch(port, request)
    session = _cookie(cookies, "sessionid")
    if status != 302 or not session:
        raise SystemExit(f"Signing in as {username} failed (HTTP {status}).")
    csrf = _cookie(cookies, "csrftoken") or csrf
    return {"Cookie": f"csrftoken={csrf}; sessionid={session}", "X-CSRFToken": csrf}


def form_token(port: int, path: str) -> str:
    """The signed form token a public page's form carries (the verify page: no cookie, no
    Django CSRF token), read from the page as a browser would before posting the form."""
    status, page, _ = loadgen.fetch(port, loadgen.Request(path))
    marker = b'name="token" value="'
    if status != 200 or marker not in page:
        raise SystemExit(f"No form token on {path} (HTTP {status}).")
    start = page.index(marker) + len(marker)
    return page[start : page.index(b'"', start)].decode()
