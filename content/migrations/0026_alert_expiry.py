from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0025_alert_facts")]

    operations: list[migrations.operations.base.Operation] = []  # filled by the change it names
