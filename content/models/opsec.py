"""What the opsec lint (content.opsec) is configured with, and the overrides editors record.

Phrases and allowed numbers are edited by editors in the admin. An override lets one finding of
one revision through a final export; it is bound to that revision, so a new revision is checked
afresh. Overrides are written only by `content.opsec.override_finding()` and never changed.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy

from content.models.posts import Revision
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

ERROR_OVERRIDE_IMMUTABLE = "An override is never changed once recorded; it stays in the history."
ERROR_NUMBER_DIGITS = gettext_lazy(
    "Give a phone number with at least 3 digits, e.g. 112 or +32 78 15 10 20."
)


class OpsecPhrase(models.Model):
    """A phrase that must not leave the studio, e.g. "internal note" (case is ignored)."""

    phrase = models.CharField(max_length=100, unique=True)
    note = models.CharField(max_length=200, blank=True, help_text=gettext_lazy(
        "Why it must not go out."
    ))

    class Meta:
        ordering = ["phrase"]
        verbose_name = gettext_lazy("opsec phrase")

    def __str__(self) -> str:
        return self.phrase

    def clean(self) -> None:
        self.phrase = " ".join(self.phrase.split())
        if not self.phrase:
            raise ValidationError({"phrase": gettext_lazy("Give the phrase to look for.")})


class AllowedNumber(models.Model):
    """A public phone number a post may give (a helpline, an emergency number)."""

    number = models.CharField(max_length=40, unique=True, help_text=gettext_lazy(
        "E.g. +32 78 15 10 20."
    ))
    label = models.CharField(max_length=100, help_text=gettext_lazy(
        "Whose number it is, e.g. Druglijn."
    ))

    class Meta:
        ordering = ["label"]
        verbose_name = gettext_lazy("allowed phone number")

    def __str__(self) -> str:
        return f"{self.label}: {self.number}"

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.number)

    def clean(self) -> None:
        if len(self.digits) < 3:
            raise ValidationError({"number": ERROR_NUMBER_DIGITS})


class OpsecOverrideQuerySet(WrittenOnceQuerySet["OpsecOverride"]):
    pass


class OpsecOverride(WrittenOnce):
    """An editor's written decision that one finding of one revision may go out."""

    written_once_message = ERROR_OVERRIDE_IMMUTABLE


    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="opsec_overrides")
    key = models.CharField(max_length=80, help_text=gettext_lazy("The finding's stable key."))
    rule = models.CharField(max_length=40)
    where = models.CharField(max_length=200, help_text=gettext_lazy(
        "Where the finding was, when overridden."
    ))
    reason = models.TextField(max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opsec_overrides"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OpsecOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "created_at"]
        verbose_name = gettext_lazy("opsec override")
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="one_override_per_finding"),
        ]
        permissions = [
            ("override_opsec", "Can let an opsec finding of a revision through, with a reason"),
        ]

    def __str__(self) -> str:
        return f"{self.revision} {self.rule} ({self.where})"
