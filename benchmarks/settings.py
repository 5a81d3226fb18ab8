"""Settings of the load benchmark: the production settings, plus the benchmark's own app.

Production-like: DEBUG off and a SECRET_KEY from the environment (bench_load.py makes a random
one for each run), PostgreSQL from DATABASE_URL, static files collected into
BENCH_STATIC_ROOT and served by WhiteNoise. Only `benchmarks.loadsite` (the seeding command and
the bare view under /_bench/) and the test client's host name are added; mail is kept in memory.
"""

from __future__ import annotations

import os
from pathlib import Path

from harmreduction.settings import *  # noqa: F403
from harmreduction.settings import ALLOWED_HOSTS, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.loadsite.apps.LoadsiteConfig"]
ROOT_URLCONF = "benchmarks.urls"
# The runner counts each page's SQL queries in-process with Django's test client.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
