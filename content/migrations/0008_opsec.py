# Opsec checks: the phrases editors configure, the phone numbers a post may give, and overrides.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Seeded so the check is useful from the first day; editors change them in the admin.
PHRASES = [
    ("internal note", "A note meant for the team."),
    ("intern:", "Dutch/German marker for a team-only remark."),
    ("note interne", "French: internal note."),
    ("interne notitie", "Dutch: internal note."),
    ("TODO", "Unfinished text."),
]
NUMBERS = [("112", "European emergency number")]


def seed(apps, schema_editor):
    OpsecPhrase = apps.get_model("content", "OpsecPhrase")
    AllowedNumber = apps.get_model("content", "AllowedNumber")
    for phrase, note in PHRASES:
        OpsecPhrase.objects.get_or_create(phrase=phrase, defaults={"note": note})
    for number, label in NUMBERS:
        AllowedNumber.objects.get_or_create(number=number, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_audit_signing_key_changed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AllowedNumber",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.CharField(help_text="E.g. +32 78 15 10 20.", max_length=40, unique=True)),
                ("label", models.CharField(help_text="Whose number it is, e.g. Druglijn.", max_length=100)),
            ],
            options={
                "verbose_name": "allowed phone number",
                "ordering": ["label"],
            },
        ),
        migrations.CreateModel(
            name="OpsecPhrase",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("phrase", models.CharField(max_length=100, unique=True)),
                ("note", models.CharField(blank=True, help_text="Why it must not go out.", max_length=200)),
            ],
            options={
                "verbose_name": "opsec phrase",
                "ordering": ["phrase"],
            },
        ),
        migrations.CreateModel(
            name="OpsecOverride",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(help_text="The finding's stable key.", max_length=80)),
                ("rule", models.CharField(max_length=40)),
                ("where", models.CharField(help_text="Where the finding was, when overridden.", max_length=200)),
                ("reason", models.TextField(max_length=1000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="opsec_overrides", to=settings.AUTH_USER_MODEL)),
                ("revision", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="opsec_overrides", to="content.revision")),
            ],
            options={
                "verbose_name": "opsec override",
                "ordering": ["revision", "created_at"],
                "permissions": [("override_opsec", "Can let an opsec finding of a revision through, with a reason")],
                "constraints": [models.UniqueConstraint(fields=("revision", "key"), name="one_override_per_finding")],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
