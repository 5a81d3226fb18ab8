from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0023_studio_language")]

    operations: list[migrations.operations.base.Operation] = []  # filled by the change it names
