from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from content.exporters.signing import generate_key

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class KeyStore:
    home: str
    plain_key: str  # no passphrase
    protected_key: str  # PASSPHRASE
    expired_key: str


@pytest.fixture(scope="session")
def keystore() -> Iterator[KeyStore]:
    # A short path: gpg-agent's socket lives in the home directory and socket paths are short.
    home = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
    try:
        expired = generate_key(home, name="Expired", email="old@example.org", expire="seconds=1")
        store = KeyStore(
            home=home,
            plain_key=generate_key(home, name="Team", email="team@example.org"),
            protected_key=generate_key(
                home, name="Locked", email="lock@example.org", passphrase=PASSPHRASE
            ),
            expired_key=expired,
        )
        time.sleep(1.5)
        yield store
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)
