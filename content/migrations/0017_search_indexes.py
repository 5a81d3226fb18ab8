# Full-text search of published posts (content/search.py) on PostgreSQL: one GIN expression
# index per text search configuration over the revisions' title, summary and body. The
# expression is written out here, not imported: content.search.document() must build the same
# one, which tests/test_search.py checks with EXPLAIN. SQLite gets nothing (it searches with LIKE).

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIGS = ("dutch", "english", "french", "simple")


def _indexes():
    return [
        GinIndex(
            SearchVector("title", "summary", "body", config=config),
            name=f"revision_search_{config}",
        )
        for config in CONFIGS
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Revision = apps.get_model("content", "Revision")
    for index in _indexes():
        schema_editor.add_index(Revision, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Revision = apps.get_model("content", "Revision")
    for index in _indexes():
        schema_editor.remove_index(Revision, index)


class Migration(migrations.Migration):
    dependencies = [("content", "0016_public_words")]

    operations = [migrations.RunPython(create, drop)]
