# Translations of posts (content.translations): the source revision a revision translates and
# the author's safety flag (both content: hashed only when set, so every stored hash holds), the
# review policy's "every new text matters for safety" (on for drug alerts), editors' overrides,
# and their audit actions (named in 0027's choices: several changes added actions at once).

from __future__ import annotations

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drug_alerts_are_safety_relevant(apps, schema_editor):
    ReviewPolicy = apps.get_model("content", "ReviewPolicy")
    ReviewPolicy.objects.filter(kind="drug_alert").update(source_changes_are_safety_relevant=True)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0021_team_followups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewpolicy",
            name="source_changes_are_safety_relevant",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Every newly published text of this kind matters for safety: translations "
                    "behind it warn their readers and are not exported as final until they are "
                    "updated."
                ),
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="safety_relevant",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="revision",
            name="translates",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="translated_by",
                to="content.revision",
            ),
        ),
        migrations.CreateModel(
            name="TranslationOverride",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(max_length=1000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="translation_overrides",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translation_overrides",
                        to="content.revision",
                    ),
                ),
                (
                    "source_revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="content.revision",
                    ),
                ),
            ],
            options={
                "ordering": ["revision", "-created_at"],
                "permissions": [
                    (
                        "override_translation",
                        "Can let a translation behind a safety change of its source be exported",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("revision", "source_revision"),
                        name="one_translation_override_per_source",
                    )
                ],
            },
        ),
        migrations.RunPython(drug_alerts_are_safety_relevant, migrations.RunPython.noop),
    ]
