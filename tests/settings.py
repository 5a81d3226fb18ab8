"""Test settings: the project's settings with a test key, fast hashing and isolated media."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from harmreduction.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="harmreduction-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="harmreduction-test-static-"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client speaks plain HTTP; with DEBUG off (pytest without `make`) it would be sent to
# https:// on every request. tests/test_accounts.py runs check --deploy on the real settings.
SECURE_SSL_REDIRECT = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrency tests need SQLite's real locking.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.mkdtemp(), "test.sqlite3")}  # noqa: F405

# Tasks run where they are enqueued, at once: a test of a workflow action sees its mails in
# mail.outbox as soon as the on_commit callbacks run. tests/test_tasks.py switches to the
# database backend and runs a real worker where the queue itself is what is tested.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
