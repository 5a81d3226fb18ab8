"""Settings read the environment; production refuses the development secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    code = "import harmreduction.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_with_debug_off_the_development_secret_key_is_refused() -> None:
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_debug_off_and_a_real_secret_key_settings_load() -> None:
    result = load_settings(DEBUG="0", SECRET_KEY="a-real-production-key-" + "x" * 40)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]


def test_development_mode_works_without_any_environment() -> None:
    assert load_settings(DEBUG="1").returncode == 0


def test_database_url_selects_postgresql() -> None:
    result = load_settings(DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1:5432/db")
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


def test_page_sizes_and_the_cache_size_come_from_the_environment() -> None:
    code = (
        "import harmreduction.settings as s; "
        "print(s.PUBLIC_PAGE_SIZE, s.STUDIO_PAGE_SIZE, "
        "s.CACHES['default']['OPTIONS']['MAX_ENTRIES'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.endswith(("PAGE_SIZE", "MAX_ENTRIES"))}
    run = {"cwd": ROOT, "capture_output": True, "text": True, "check": True}
    defaults = subprocess.run([sys.executable, "-c", code], env=clean | {"DEBUG": "1"}, **run)
    assert defaults.stdout.split() == ["30", "50", "2000"]
    chosen = clean | {
        "DEBUG": "1",
        "PUBLIC_PAGE_SIZE": "12",
        "STUDIO_PAGE_SIZE": "25",
        "CACHE_MAX_ENTRIES": "500",
    }
    configured = subprocess.run([sys.executable, "-c", code], env=chosen, **run)
    assert configured.stdout.split() == ["12", "25", "500"]


def test_the_smtp_connection_has_a_timeout() -> None:
    code = "import harmreduction.settings as s; print(s.MAILERS['default']['OPTIONS']['timeout'])"
    run = {"cwd": ROOT, "capture_output": True, "text": True, "check": True}
    env = {k: v for k, v in os.environ.items() if k not in {"MAIL_BACKEND", "SMTP_TIMEOUT"}}
    production = env | {"DEBUG": "0", "SECRET_KEY": "a-real-production-key-" + "x" * 40}
    assert subprocess.run([sys.executable, "-c", code], env=production, **run).stdout == "10\n"
    chosen = production | {"SMTP_TIMEOUT": "3"}
    assert subprocess.run([sys.executable, "-c", code], env=chosen, **run).stdout == "3\n"
