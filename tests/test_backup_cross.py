"""Backups across processes and databases, as an operator runs them: `manage.py` in separate
processes, each on a database `migrate` has just created (seeded languages, profiles, roles and
an audit chain head at event 0, which the restore replaces or moves).

SQLite -> SQLite always; SQLite -> PostgreSQL -> SQLite when a server answers at 127.0.0.1:5432
(a database `backup_cross` is created for the test and dropped after it). Every archive is
written with the same `--at` and must be the same file, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AT = "2026-12-01T12:00:00+00:00"
SERVER = "postgresql://postgres@127.0.0.1:5432"
CROSS_DB = "backup_cross"


def _postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", connect_timeout=2):
            return True
    except Exception:  # any failure means: no server to test against
        return False


@pytest.fixture
def gnupg_home() -> Iterator[str]:
    home = tempfile.mkdtemp(prefix="bkx-")  # short: gpg-agent's socket lives in it
    try:
        yield home
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


def manage(database_url: str, media: Path, gnupg_home: str, *args: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "harmreduction.settings",
        "SECRET_KEY": "backup-cross-test-key",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "GNUPG_HOME": gnupg_home,
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def restore_and_back_up(url: str, archive: Path, out: Path, tmp: Path, home: str) -> None:
    media = tmp / f"media-{out.stem}"
    manage(url, media, home, "migrate", "-v0")
    assert "Restored " in manage(url, media, home, "restore", str(archive))
    assert "Audit log intact" in manage(url, media, home, "verify_audit")
    manage(url, media, home, "backup", str(out), "--at", AT)


def test_sqlite_and_postgresql_give_the_same_archive(tmp_path: Path, gnupg_home: str) -> None:
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    media = tmp_path / "media-source"
    manage(source, media, gnupg_home, "migrate", "-v0")
    manage(source, media, gnupg_home, "seed_demo")
    (media / "uploads").mkdir(parents=True, exist_ok=True)  # the demo uploads its photo
    (media / "uploads" / "photo.bin").write_bytes(bytes(range(256)))
    first = tmp_path / "first.tar.gz"
    manage(source, media, gnupg_home, "backup", str(first), "--at", AT)

    again = tmp_path / "again.tar.gz"
    url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    restore_and_back_up(url, first, again, tmp_path, gnupg_home)
    assert again.read_bytes() == first.read_bytes()

    if not _postgres_answers():
        pytest.skip("SQLite -> SQLite checked; no PostgreSQL at 127.0.0.1:5432 for the rest")
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {CROSS_DB}")
        admin.execute(f"CREATE DATABASE {CROSS_DB}")
        try:
            on_postgres = tmp_path / "postgres.tar.gz"
            restore_and_back_up(f"{SERVER}/{CROSS_DB}", first, on_postgres, tmp_path, gnupg_home)
            assert on_postgres.read_bytes() == first.read_bytes()
            back = tmp_path / "back.tar.gz"
            url = f"sqlite:///{tmp_path / 'back.sqlite3'}"
            restore_and_back_up(url, on_postgres, back, tmp_path, gnupg_home)
            assert back.read_bytes() == first.read_bytes()
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {CROSS_DB} WITH (FORCE)")
