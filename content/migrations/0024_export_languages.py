# Export frames per language (content.models.ExportProfileFrame): a profile's header and footer
# for posts in one language. The profiles migration 0006 created get Dutch and French frames
# while they still carry the English frame it gave them (an editor's own text is left alone).

import django.db.models.deletion
from django.db import migrations, models

HEADER = "{title} (version {version}, {reviewers})"
FOOTER_CLEAR = (
    "Published {published}, next review {review_due}. Check this text: {url} (hash {hash})"
)
FOOTER_TOR = (
    "Published {published}, next review {review_due}. Check this text: {onion_url} (hash {hash})"
)
# Frozen copies of content.exporters.frames.DEFAULT_FRAMES: language -> (header, clear, Tor).
FRAMES = {
    "nl": (
        "{title} (versie {version}, {reviewers})",
        "Gepubliceerd op {published}, volgende beoordeling {review_due}. "
        "Controleer deze tekst: {url} (hash {hash})",
        "Gepubliceerd op {published}, volgende beoordeling {review_due}. "
        "Controleer deze tekst: {onion_url} (hash {hash})",
    ),
    "fr": (
        "{title} (version {version}, {reviewers})",
        "Publié le {published}, prochaine relecture {review_due}. "
        "Vérifiez ce texte : {url} (empreinte {hash})",
        "Publié le {published}, prochaine relecture {review_due}. "
        "Vérifiez ce texte : {onion_url} (empreinte {hash})",
    ),
}
SEEDED = ("dread", "phpbb-tor", "phpbb", "xenforo", "reddit", "discourse", "plain-text")


def add_frames(apps, schema_editor):
    ExportProfile = apps.get_model("content", "ExportProfile")
    ExportProfileFrame = apps.get_model("content", "ExportProfileFrame")
    Language = apps.get_model("content", "Language")
    languages = {language.code: language for language in Language.objects.filter(code__in=FRAMES)}
    for profile in ExportProfile.objects.filter(slug__in=SEEDED, header_template=HEADER):
        footer = FOOTER_TOR if profile.tor else FOOTER_CLEAR
        if profile.footer_template != footer:
            continue
        for code, (header, clear, tor) in FRAMES.items():
            if code in languages:
                ExportProfileFrame.objects.get_or_create(
                    profile=profile,
                    language=languages[code],
                    defaults={"header_template": header, "footer_template": tor if profile.tor else clear},
                )


class Migration(migrations.Migration):
    dependencies = [("content", "0023_studio_language")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="ExportProfileFrame",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("header_template", models.TextField(blank=True, verbose_name="header template")),
                ("footer_template", models.TextField(blank=True, verbose_name="footer template")),
                (
                    "language",
                    models.ForeignKey(
                        help_text="Posts in this language are exported with this header and footer.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="content.language",
                        verbose_name="language",
                    ),
                ),
                (
                    "profile",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="frames",
                        to="content.exportprofile",
                    ),
                ),
            ],
            options={
                "verbose_name": "header and footer in a language",
                "verbose_name_plural": "headers and footers per language",
                "ordering": ["profile", "language__code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("profile", "language"), name="one_export_frame_per_language"
                    )
                ],
            },
        ),
        migrations.RunPython(add_frames, migrations.RunPython.noop),
    ]
