# The choices of ExportProfile.format and .dialect become the export registry's callables
# (content.exporters.registry). Django stores a callable as a reference to it, so adding a format
# or a dialect to the registry needs no further migration. No schema change: choices are Python.

from django.db import migrations, models

import content.exporters.registry


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0011_audit_actions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportprofile",
            name="dialect",
            field=models.CharField(
                blank=True, choices=content.exporters.registry.dialect_choices, max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="exportprofile",
            name="format",
            field=models.CharField(
                choices=content.exporters.registry.format_choices, max_length=20
            ),
        ),
    ]
