# A revision's per-kind structured facts (content.revision_schema.KIND_FACTS). Existing revisions
# state none: the default {} is left out of their content hash, so every stored hash still holds.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0012_format_registry"),
    ]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="facts",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
