"""An editor's written decision that a translation behind its source may still be exported.

A translation whose published text translates an older source revision, while the source has
published a change that matters for safety since, is not exported as final
(content.translations). An editor may let one translation revision through up to one source
revision, for a written reason; a newer safety change of the source needs a new decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from content.models.posts import Revision
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

ERROR_TRANSLATION_OVERRIDE_IMMUTABLE = gettext_lazy(
    "An override is never changed once recorded; record a new one instead."
)


class TranslationOverrideQuerySet(WrittenOnceQuerySet["TranslationOverride"]):
    pass


class TranslationOverride(WrittenOnce):
    """Revision `revision` of a translation may be exported as final although it translates an
    older text than `source_revision`, the source's published revision when the editor decided."""

    written_once_message = str(ERROR_TRANSLATION_OVERRIDE_IMMUTABLE)

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="translation_overrides"
    )
    source_revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="translation_overrides"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TranslationOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "source_revision"], name="one_translation_override_per_source"
            ),
        ]
        permissions = [
            (
                "override_translation",
                "Can let a translation behind a safety change of its source be exported",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.revision} exportable up to {self.source_revision}"
