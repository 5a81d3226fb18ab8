"""The Wagtail comparison's one app: a page model holding stored HTML."""

from __future__ import annotations

from django.apps import AppConfig


class BenchPagesConfig(AppConfig):
    name = "benchmarks.wagtail_site"
    label = "benchpages"
    default_auto_field = "django.db.models.BigAutoField"
