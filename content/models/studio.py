"""What a person sets for themselves in the studio: the language it speaks to them.

One row per person, made the first time they choose (content.languages.set_studio_language);
without one, the studio follows their browser's Accept-Language and their mail is in English.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class StudioProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studio_profile"
    )
    # Blank: not chosen. The choices are settings.LANGUAGES (Nederlands, Français, English).
    language = models.CharField(
        gettext_lazy("studio language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"
