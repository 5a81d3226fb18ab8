# The words of every revision that is or was published, so /verify/ finds an unsigned paste's
# source by an index lookup (content/public_words.py). Existing revisions are indexed here.

from django.db import migrations, models
import django.db.models.deletion

from content.public_words import indexed, words

BATCH = 500


def index_public_revisions(apps, schema_editor):
    Revision = apps.get_model("content", "Revision")
    Post = apps.get_model("content", "Post")
    AuditEvent = apps.get_model("content", "AuditEvent")
    PublicWord = apps.get_model("content", "PublicWord")
    ever = set(AuditEvent.objects.filter(action="published").values_list("revision_id", flat=True))
    ever |= set(
        Post.objects.filter(published_revision__isnull=False).values_list(
            "published_revision_id", flat=True
        )
    )
    ever.discard(None)
    ids = sorted(ever)
    for start in range(0, len(ids), BATCH):
        rows = []
        for revision in Revision.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "title", "summary", "body", "sources"
        ):
            texts = [revision.title, revision.summary, revision.body]
            texts += [str(source.get("title", "")) for source in revision.sources]
            found = set()
            for text in texts:
                found |= indexed(words(text))
            rows += [PublicWord(revision_id=revision.pk, word=word) for word in sorted(found)]
        PublicWord.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0015_audit_chain"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=30)),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="content.revision",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("word", "revision"), name="unique_public_word"
                    )
                ],
            },
        ),
        migrations.RunPython(index_public_revisions, migrations.RunPython.noop),
    ]
