# Public keys on the public site, key lifecycle (retired / revoked), signed canary and mirrors.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("content", "0008_opsec")]

    operations = [
        migrations.AddField(
            model_name="signingkey",
            name="created",
            field=models.DateTimeField(blank=True, help_text="When gpg made the key.", null=True),
        ),
        migrations.AddField(
            model_name="signingkey",
            name="status",
            field=models.CharField(
                choices=[("current", "Current"), ("retired", "Retired"), ("revoked", "Revoked")],
                default="current",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="signingkey",
            name="status_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="signingkey",
            name="status_reason",
            field=models.CharField(
                blank=True,
                help_text="Why it was retired or revoked; shown to readers.",
                max_length=300,
            ),
        ),
        migrations.CreateModel(
            name="SignedStatement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("canary", "Warrant canary"), ("mirrors", "Mirror list")],
                        max_length=10,
                    ),
                ),
                ("text", models.TextField(help_text="The clear-signed text, exactly as served.")),
                ("fingerprint", models.CharField(max_length=40)),
                ("valid_until", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["kind", "-created_at"], name="content_sig_kind_122304_idx")
                ],
            },
        ),
    ]
