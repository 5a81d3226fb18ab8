# Post addresses (slug history), the public side of withdrawals, and the public change note.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0009_public_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="public_reason",
            field=models.CharField(
                blank=True, help_text="Why it was withdrawn, in words for readers.", max_length=500
            ),
        ),
        migrations.AddField(
            model_name="post",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="revision",
            name="public_change_note",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.CreateModel(
            name="OldAddress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("redirect", "Redirects to the new address (301)"),
                            ("gone", "Answers 410 Gone and names nothing"),
                        ],
                        max_length=10,
                    ),
                ),
                ("changed_at", models.DateTimeField(auto_now_add=True)),
                (
                    "changed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "language",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="content.language",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="old_addresses",
                        to="content.post",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "old addresses",
                "ordering": ["-changed_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("language", "slug"), name="unique_old_address")
                ],
            },
        ),
    ]
