"""The project as an app, so that it can connect its signal receivers once, at start."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy


class HarmreductionConfig(AppConfig):
    name = "harmreduction"
    verbose_name = gettext_lazy("Harm reduction")

    def ready(self) -> None:
        from content.languages import on_login
        from harmreduction.middleware import stamp_session

        # A session's idle time starts at login (harmreduction/middleware.py).
        user_logged_in.connect(stamp_session, dispatch_uid="harmreduction.stamp_session")
        # The studio language rides in the session from login on (content/languages.py).
        user_logged_in.connect(on_login, dispatch_uid="harmreduction.studio_language")
