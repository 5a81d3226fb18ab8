# Placeholder for public keys, canary and mirrors; operations are filled in by that change.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0008_opsec")]

    operations = []
