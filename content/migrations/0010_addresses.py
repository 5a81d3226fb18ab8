# Placeholder for post addresses (slug history) and notices; operations are filled in by that change.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0009_public_keys")]

    operations = []
