"""Lookups the management commands share, so that no command imports another."""

from __future__ import annotations

from django.core.management.base import CommandError

from content.models import ExportProfile


def find_profile(slug: str) -> ExportProfile:
    """The active export profile `slug`, or a CommandError that lists the active ones."""
    try:
        return ExportProfile.objects.select_related("signing_key").get(slug=slug, active=True)
    except ExportProfile.DoesNotExist:
        known = ", ".join(ExportProfile.objects.filter(active=True).values_list("slug", flat=True))
        raise CommandError(f"No active export profile “{slug}”. Profiles: {known}.") from None
