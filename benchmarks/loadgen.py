"""Loopback load generators for bench_load.py: wrk when installed, else threads + http.client.

Both send requests only to 127.0.0.1, for a bounded time, and give the same `Result`: requests
per second, p50 and p99 latency, and how many answers were not 2xx/3xx. A run sends the same
request over and over: a GET, or a form POST (the editor's preview) with its cookies and CSRF
header.
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    body: bytes = b""  # form-encoded, for a POST
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # answers that were not 2xx/3xx, plus timeouts and broken connections

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def fetch(port: int, request: Request, timeout: float = 300.0) -> tuple[int, bytes, list[str]]:
    """One request: (status, body, Set-Cookie headers)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(
            request.method, request.path, body=request.body or None, headers=_headers(request, port)
        )
        response = conn.getresponse()
        return response.status, response.read(), response.msg.get_all("Set-Cookie") or []
    finally:
        conn.close()


def _headers(request: Request, port: int) -> dict[str, str]:
    """As a TLS-terminating reverse proxy forwards a browser's request (production: gunicorn
    behind a proxy that sets X-Forwarded-Proto; bench_load.py sets SECURE_PROXY_SSL_HEADER)."""
    headers = {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", **request.headers}
    if request.method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Origin"] = f"https://{HOST}:{port}"  # what a browser sends with a form
        headers["Referer"] = f"https://{HOST}:{port}{request.path}"
    return headers


class PythonLoader:
    """`connections` threads, each sending one request after the other until the time is up."""

    name = "python (threads + http.client)"

    def __init__(self, port: int, connections: int, timeout: float) -> None:
        self.port, self.connections, self.timeout = port, connections, timeout

    def run(self, request: Request, seconds: float) -> Result:
        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        deadline = time.monotonic() + seconds

        def worker() -> None:
            while time.monotonic() < deadline:
                began = time.monotonic()
                try:
                    status, _, _ = fetch(self.port, request, timeout=self.timeout)
                    ok = status < 400
                except (OSError, http.client.HTTPException):
                    ok = False
                took = time.monotonic() - began
                with lock:
                    latencies.append(took)
                    errors[0] += 0 if ok else 1

        started = time.monotonic()
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + self.timeout + 5)
        elapsed = time.monotonic() - started
        return Result(
            requests=len(latencies),
            seconds=elapsed,
            p50_ms=percentile(latencies, 50) * 1000,
            p99_ms=percentile(latencies, 99) * 1000,
            errors=errors[0],
        )


def percentile(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_REQUESTS = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m),")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


class WrkLoader:
    """wrk with one thread and `connections` connections; a Lua script sets method and body."""

    name = "wrk"

    def __init__(self, port: int, connections: int, timeout: float, scratch: Path) -> None:
        self.port, self.connections, self.timeout = port, connections, timeout
        self.scripts = scratch  # the run's temporary directory, removed when it ends

    def run(self, request: Request, seconds: float) -> Result:
        command = [
            "wrk",
            "-t1",
            f"-c{self.connections}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={round(self.timeout)}s",
            "--latency",
        ]
        for name, value in _headers(request, self.port).items():
            command += ["-H", f"{name}: {value}"]
        if request.method == "POST":
            command += ["-s", str(self._post_script(request))]
        command.append(f"http://{HOST}:{self.port}{request.path}")
        out = subprocess.run(  # noqa: S603 - a fixed program and our own arguments
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
        return parse_wrk(out)

    def _post_script(self, request: Request) -> Path:
        body = self.scripts / f"body-{abs(hash(request.body))}.txt"
        body.write_bytes(request.body)
        script = self.scripts / f"post-{abs(hash(request.body))}.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f'local f = io.open([[{body}]], "rb")\n'
            "wrk.body = f:read('*a')\n"
            "f:close()\n"
        )
        return script


def parse_wrk(out: str) -> Result:
    latency = {
        int(pct): float(value) * _UNITS_MS[unit] for pct, value, unit in _LATENCY.findall(out)
    }
    found = _REQUESTS.search(out)
    if found is None:
        raise ValueError(f"Unexpected wrk output:\n{out}")
    requests = int(found.group(1))
    seconds = float(found.group(2)) * _UNITS_MS[found.group(3)] / 1000
    non_2xx = _NON_2XX.search(out)
    sockets = _SOCKET_ERRORS.search(out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Result(
        requests=requests,
        seconds=seconds,
        p50_ms=latency.get(50, float("nan")),
        p99_ms=latency.get(99, float("nan")),
        errors=errors,
    )


def make_loader(
    kind: str, port: int, connections: int, timeout: float, scratch: Path
) -> WrkLoader | PythonLoader:
    """`kind` is "wrk", "python" or "auto" (wrk when it is on the PATH); wrk's POST scripts are
    written into `scratch`."""
    if kind == "wrk" or (kind == "auto" and shutil.which("wrk")):
        return WrkLoader(port, connections, timeout, scratch)
    return PythonLoader(port, connections, timeout)
