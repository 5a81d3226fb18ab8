"""Helpers the browser tests share (not fixtures)."""

from __future__ import annotations

from typing import Any

from tests.support import PASSWORD


def log_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/studio/")
