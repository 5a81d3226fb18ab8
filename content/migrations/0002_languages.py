from django.db import migrations

LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


def add_languages(apps, schema_editor):
    Language = apps.get_model("content", "Language")
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
