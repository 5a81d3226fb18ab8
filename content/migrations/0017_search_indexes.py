# Full-text search of published posts (content/search.py): a stored tsvector per published
# revision, with a GIN index, on PostgreSQL. The documents of the revisions published now are
# written here with the statement content.search uses (written out, not imported: a migration
# must not change when the code does). SQLite gets the empty table and searches with LIKE.

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

CONFIGS = {"nl": "dutch", "fr": "french", "en": "english"}

BACKFILL = """
    INSERT INTO content_searchdocument (revision_id, vector)
    SELECT r.id,
           setweight(to_tsvector(c.config, coalesce(r.title, '')), 'A')
           || setweight(to_tsvector(c.config, coalesce(g.names, '')), 'A')
           || setweight(to_tsvector(c.config, coalesce(r.summary, '')), 'B')
           || setweight(to_tsvector(c.config, coalesce(r.body, '')), 'C')
    FROM content_revision r
    JOIN content_post p ON p.id = r.post_id
    JOIN content_language l ON l.id = p.language_id
    CROSS JOIN LATERAL (SELECT ({cases})::regconfig AS config) c
    LEFT JOIN LATERAL (
        SELECT string_agg(t.name, ' ' ORDER BY t.name) AS names
        FROM content_revision_tags rt JOIN content_tag t ON t.id = rt.tag_id
        WHERE rt.revision_id = r.id
    ) g ON true
    WHERE r.id IN (SELECT published_revision_id FROM content_post)
    ON CONFLICT (revision_id) DO NOTHING
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    whens = " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in CONFIGS.items())
    cases = f"CASE split_part(lower(l.code), '-', 1) {whens} ELSE 'simple' END"
    schema_editor.execute(
        "CREATE INDEX content_searchdocument_vector ON content_searchdocument USING gin (vector)"
    )
    schema_editor.execute(BACKFILL.format(cases=cases))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS content_searchdocument_vector")


class Migration(migrations.Migration):
    dependencies = [("content", "0016_public_words")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "revision",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="content.revision",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        migrations.RunPython(create, drop),
    ]
