from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0026_alert_expiry")]

    operations: list[migrations.operations.base.Operation] = []  # filled by the change it names
