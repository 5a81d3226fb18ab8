"""The load benchmark's app: the seeding command and the bare view. Never used in production."""

from __future__ import annotations

from django.apps import AppConfig


class LoadsiteConfig(AppConfig):
    name = "benchmarks.loadsite"
    label = "loadsite"
    default_auto_field = "django.db.models.BigAutoField"
