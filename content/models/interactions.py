"""Interaction warnings: substances and their aliases, pairs with a level, and proposed changes.

A pair's level and explanations change only through a proposal another person approves
(content.interactions); the table's version number rises with every change that takes effect,
so whatever shows the table (exports, public pages) can tell an old rendering from a new one.
Imports no other model module.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy


def name_key(name: str) -> str:
    """What makes two names one: the rule of content.revision_schema.tag_key ("3 MMC" is
    "3-MMC"), repeated here because the schema module imports the models."""
    return slugify(name)[:80] or " ".join(name.split()).casefold()


ERROR_NAME_TAKEN = gettext_lazy(
    "“{name}” already names a substance (spelling, case and accents aside)."
)

# The languages every explanation is written in; another post language reads the English one.
EXPLANATION_LANGUAGES = ("nl", "fr", "en")


class InteractionLevel(models.TextChoices):
    """TripSit's combination levels, in TripSit's order: least to most dangerous."""

    LOW_SYNERGY = "low_synergy", gettext_lazy("Low risk & synergy")
    LOW_NO_SYNERGY = "low_no_synergy", gettext_lazy("Low risk & no synergy")
    LOW_DECREASE = "low_decrease", gettext_lazy("Low risk & decrease")
    CAUTION = "caution", gettext_lazy("Caution")
    UNSAFE = "unsafe", gettext_lazy("Unsafe")
    DANGEROUS = "dangerous", gettext_lazy("Dangerous")


LEVEL_ORDER = [level.value for level in InteractionLevel]
# What exports and public pages warn about unless a profile says otherwise.
DEFAULT_MIN_LEVEL = InteractionLevel.UNSAFE.value


def level_rank(level: str) -> int:
    """0 for the least dangerous level, 5 for "dangerous"; -1 for an unknown code."""
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else -1


class Substance(models.Model):
    """A substance as the interaction table names it, e.g. MDMA; its aliases map other names
    (XTC, ecstasy, molly) onto it."""

    name = models.CharField(max_length=60, unique=True)
    key = models.CharField(max_length=80, unique=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        taken = SubstanceAlias.objects.filter(key=name_key(self.name))
        if self.pk is not None:
            taken = taken.exclude(substance_id=self.pk)
        if taken.exists() or Substance.objects.filter(key=name_key(self.name)).exclude(
            pk=self.pk
        ).exists():
            raise ValidationError({"name": ERROR_NAME_TAKEN.format(name=self.name)})


class SubstanceAlias(models.Model):
    """Another name of a substance. Spelling is normalised as tags are ("3 MMC" = "3-MMC")."""

    substance = models.ForeignKey(Substance, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=60)
    key = models.CharField(max_length=80, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = gettext_lazy("substance aliases")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        key = name_key(self.name)
        other_alias = SubstanceAlias.objects.filter(key=key).exclude(pk=self.pk).exists()
        if other_alias or Substance.objects.filter(key=key).exists():
            raise ValidationError({"name": ERROR_NAME_TAKEN.format(name=self.name)})


class Interaction(models.Model):
    """What two substances do together: a level and a short explanation per language. Stored
    once per pair, the substance with the smaller id first."""

    first = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=20, choices=InteractionLevel.choices)
    explanation_nl = models.TextField(max_length=500, blank=True)
    explanation_fr = models.TextField(max_length=500, blank=True)
    explanation_en = models.TextField(max_length=500, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first__name", "second__name"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_interaction_per_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="interaction_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} + {self.second}: {self.get_level_display()}"

    @property
    def rank(self) -> int:
        return level_rank(self.level)

    def explanations(self) -> dict[str, str]:
        return {code: getattr(self, f"explanation_{code}") for code in EXPLANATION_LANGUAGES}

    def explanation(self, language: str) -> str:
        """The explanation in `language` (its base code), or the English one if none."""
        code = language.split("-")[0].lower()
        text = getattr(self, f"explanation_{code}", "") if code in EXPLANATION_LANGUAGES else ""
        return text or self.explanation_en


class InteractionProposal(models.Model):
    """A proposed change of one pair (old -> new), in force only once someone else approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting approval")
        APPROVED = "approved", gettext_lazy("Approved")
        REFUSED = "refused", gettext_lazy("Refused")

    first = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="+")
    # The pair as the proposer saw it ("" and {} for a new pair): approving checks it is still so.
    old_level = models.CharField(max_length=20, blank=True)
    old_explanations = models.JSONField(default=dict, blank=True)
    new_level = models.CharField(max_length=20, choices=InteractionLevel.choices)
    new_explanations = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        permissions = [
            ("propose_interaction", "Can propose a change of the interaction table"),
            ("approve_interaction", "Can approve or refuse another person's proposed change"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="interaction_proposal_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} + {self.second}: {self.old_level or '-'} -> {self.new_level}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def get_new_level_label(self) -> str:
        return str(InteractionLevel(self.new_level).label)

    def get_old_level_label(self) -> str:
        if self.old_level in LEVEL_ORDER:
            return str(InteractionLevel(self.old_level).label)
        return ""


class InteractionTableVersion(models.Model):
    """One row: raised by every approved change and alias edit, in the same transaction."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_interaction_table_version")
        ]

    def __str__(self) -> str:
        return f"interaction table version {self.number}"

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=1).values_list("number", flat=True).first()
        return int(row or 0)
