# Placeholder for opsec checks: editor phrases and overrides; operations are filled in by that change.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("content", "0007_audit_signing_key_changed")]

    operations = []
