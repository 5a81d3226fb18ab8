# One row whose number changes with everything the public site shows; cached public pages are
# keyed by it (content/models/public.py).

import django.utils.timezone
from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("content", "PublicVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0013_revision_facts"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("pk", 1)), name="one_public_version"
                    )
                ],
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
