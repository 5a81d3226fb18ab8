from __future__ import annotations

from django.apps import AppConfig


class PartnerApiConfig(AppConfig):
    """An app of its own only for its templates and static files: the docs page, rendered with
    no inline script or style so it runs under the site's strict Content-Security-Policy."""

    name = "content.api"
    label = "partner_api"
    verbose_name = "Partner API"
