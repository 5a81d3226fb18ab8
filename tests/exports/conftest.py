"""Exports wired to the database: every test here runs with the session key store and the
public addresses set (the fixtures themselves are in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _export_settings(export_settings: Any) -> Any:
    return export_settings
