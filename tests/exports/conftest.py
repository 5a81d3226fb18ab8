"""Exports wired to the database: every test here runs with the session key store and the
public addresses set (the fixtures themselves are in tests/conftest.py)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _export_settings(export_settings: Any) -> Any:
    return export_settings


@pytest.fixture
def reader_keyring(team_key: Any) -> Iterator[str]:
    """A reader's own gpg home holding nothing but our public key, from the public site."""
    key = Client().get("/pgp.txt")
    assert key.status_code == 200 and b"PRIVATE KEY" not in key.content
    home = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
    try:
        imported = subprocess.run(
            ["gpg", "--homedir", home, "--batch", "--import"],
            input=key.content,
            capture_output=True,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr
        yield home
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)
