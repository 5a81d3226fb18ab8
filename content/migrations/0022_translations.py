from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0021_team_followups")]

    operations: list[migrations.operations.base.Operation] = []  # filled by the change it names
