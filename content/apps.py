from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = gettext_lazy("Content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from content.roles import ensure_roles

        # Runs after auth has created the permissions, so groups get all of theirs.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="content.ensure_roles")
