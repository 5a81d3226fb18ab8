from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0024_export_languages")]

    operations: list[migrations.operations.base.Operation] = []  # filled by the change it names
