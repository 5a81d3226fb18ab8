"""The plausible amounts of substances a drug alert may state, maintained by editors.

A row says: for this substance, amounts in this unit per this unit lie between min and max (e.g.
MDMA, mg per pill, 1-400). A substance with rows accepts only the unit/per combinations its rows
name; a substance without rows accepts any amount in a combination that makes sense. A row can
instead demand that the alert states its severity (fentanyl, nitazenes: any amount is dangerous).
Checked by content.alerts.check_facts(); this module imports no other model module.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

ERROR_BOUNDS_ORDER = gettext_lazy("The minimum must not be above the maximum.")


class SubstanceUnit(models.TextChoices):
    MG = "mg", "mg"
    UG = "µg", "µg"
    PERCENT = "%", "%"


class PerUnit(models.TextChoices):
    PILL = "pill", gettext_lazy("pill")
    CAPSULE = "capsule", gettext_lazy("capsule")
    GRAM = "gram", gettext_lazy("gram")
    BLOTTER = "blotter", gettext_lazy("blotter")


def substance_key(name: str) -> str:
    """What makes two spellings one substance here: "2C-B", "2c b" and "2c-b" are one."""
    return slugify(name)[:80] or " ".join(name.split()).casefold()


class SubstanceBound(models.Model):
    """Plausible amounts of one substance in one unit per one unit, or "severity required"."""

    substance = models.CharField(
        gettext_lazy("substance"),
        max_length=80,
        help_text=gettext_lazy('As alerts name it, e.g. "MDMA"; case and hyphens are ignored.'),
    )
    key = models.CharField(max_length=80, editable=False, db_index=True)
    unit = models.CharField(
        gettext_lazy("unit"),
        max_length=4,
        choices=SubstanceUnit.choices,
        blank=True,
        help_text=gettext_lazy("Empty: any unit."),
    )
    per = models.CharField(
        gettext_lazy("per"),
        max_length=10,
        choices=PerUnit.choices,
        blank=True,
        help_text=gettext_lazy("Empty: any."),
    )
    minimum = models.DecimalField(
        gettext_lazy("minimum"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    maximum = models.DecimalField(
        gettext_lazy("maximum"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    severity_required = models.BooleanField(
        gettext_lazy("severity required"),
        default=False,
        help_text=gettext_lazy(
            "Any amount is accepted, but an alert naming this substance must state its severity."
        ),
    )

    class Meta:
        ordering = ["key", "unit", "per"]
        verbose_name = gettext_lazy("plausible amount")
        verbose_name_plural = gettext_lazy("plausible amounts")
        constraints = [
            models.UniqueConstraint(fields=["key", "unit", "per"], name="unique_substance_bound")
        ]

    def __str__(self) -> str:
        low = "" if self.minimum is None else f"{self.minimum.normalize():f}"
        high = "" if self.maximum is None else f"{self.maximum.normalize():f}"
        return f"{self.substance}: {low}-{high} {self.unit}/{self.per}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = substance_key(self.substance)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"minimum": ERROR_BOUNDS_ORDER})
