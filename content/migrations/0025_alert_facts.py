from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import migrations, models
from django.utils.text import slugify

# (substance, unit, per, minimum, maximum, severity required): a few sensible starting rows
# that editors maintain in the admin ("Plausible amounts").
BOUNDS: list[tuple[str, str, str, str | None, str | None, bool]] = [
    ("MDMA", "mg", "pill", "1", "400", False),
    ("MDMA", "%", "gram", "1", "100", False),
    ("LSD", "µg", "blotter", "1", "500", False),
    ("Cocaine", "%", "gram", "1", "100", False),
    ("Ketamine", "%", "gram", "1", "100", False),
    ("2C-B", "mg", "pill", "1", "60", False),
    ("Amphetamine", "%", "gram", "1", "100", False),
    ("Fentanyl", "", "", None, None, True),
    ("Nitazenes", "", "", None, None, True),
    ("Protonitazene", "", "", None, None, True),
    ("Metonitazene", "", "", None, None, True),
]


def seed_bounds(apps: Any, schema_editor: Any) -> None:
    bound = apps.get_model("content", "SubstanceBound")
    for substance, unit, per, low, high, severity in BOUNDS:
        bound.objects.get_or_create(
            key=slugify(substance),
            unit=unit,
            per=per,
            defaults={
                "substance": substance,
                "minimum": Decimal(low) if low else None,
                "maximum": Decimal(high) if high else None,
                "severity_required": severity,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0024_export_languages")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="SubstanceBound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "substance",
                    models.CharField(
                        help_text='As alerts name it, e.g. "MDMA"; case and hyphens are ignored.',
                        max_length=80,
                        verbose_name="substance",
                    ),
                ),
                ("key", models.CharField(db_index=True, editable=False, max_length=80)),
                (
                    "unit",
                    models.CharField(
                        blank=True,
                        choices=[("mg", "mg"), ("µg", "µg"), ("%", "%")],
                        help_text="Empty: any unit.",
                        max_length=4,
                        verbose_name="unit",
                    ),
                ),
                (
                    "per",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("pill", "pill"),
                            ("capsule", "capsule"),
                            ("gram", "gram"),
                            ("blotter", "blotter"),
                        ],
                        help_text="Empty: any.",
                        max_length=10,
                        verbose_name="per",
                    ),
                ),
                (
                    "minimum",
                    models.DecimalField(
                        blank=True,
                        decimal_places=3,
                        max_digits=10,
                        null=True,
                        verbose_name="minimum",
                    ),
                ),
                (
                    "maximum",
                    models.DecimalField(
                        blank=True,
                        decimal_places=3,
                        max_digits=10,
                        null=True,
                        verbose_name="maximum",
                    ),
                ),
                (
                    "severity_required",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Any amount is accepted, but an alert naming this substance must "
                            "state its severity."
                        ),
                        verbose_name="severity required",
                    ),
                ),
            ],
            options={
                "verbose_name": "plausible amount",
                "verbose_name_plural": "plausible amounts",
                "ordering": ["key", "unit", "per"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "unit", "per"), name="unique_substance_bound"
                    )
                ],
            },
        ),
        migrations.RunPython(seed_bounds, migrations.RunPython.noop),
    ]
