"""One registry of export formats: the model's choices, the validation, the dialect data and the
test oracles all agree with `content.exporters.registry`, so none of them can drift."""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

from content.exporters import ExportError, ExportSettings, bbcode_dialects, export, forum_markdown
from content.exporters.bbcode import BBCodeExporter
from content.exporters.forum_markdown import ForumMarkdownExporter
from content.exporters.registry import (
    EXPORTERS,
    dialect_choices,
    dialect_keys,
    dialects_by_format,
    exporter_class,
    format_choices,
)
from content.markdown import parse
from content.models import ExportProfile
from tests.exporters.helpers import ALL_FORMATS, DIALECT_TAGS, bbcode_problems, rich_document

# What each format says about its files, written out again so a change to a class is seen.
FILES = {
    "bbcode": ("text/plain; charset=utf-8", "bbcode.txt"),
    "forum_markdown": ("text/markdown; charset=utf-8", "md"),
    "plaintext": ("text/plain; charset=utf-8", "txt"),
    "html": ("text/html; charset=utf-8", "html"),
}


def migration(name: str) -> Any:
    return importlib.import_module(f"content.migrations.{name}")


def field_choices(name: str) -> list[tuple[str, str]]:
    return list(ExportProfile._meta.get_field(name).choices)


def choices_in_0005(name: str) -> list[tuple[str, str]]:
    """The choices the ExportProfile table was created with, before the registry existed."""
    create = next(
        op
        for op in migration("0005_exports").Migration.operations
        if getattr(op, "name", "") == "ExportProfile"
    )
    return list(dict(create.fields)[name].choices)


def export_profile_changes() -> list[str]:
    """What `makemigrations` would write for ExportProfile's format and dialect fields."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    detector = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps))
    changes = detector.changes(graph=loader.graph)
    return [
        op.describe()
        for migration_ in changes.get("content", [])
        for op in migration_.operations
        if getattr(op, "model_name", "") == "exportprofile"
        and getattr(op, "name", "") in {"format", "dialect"}
    ]


@pytest.fixture
def sixth_dialect(monkeypatch: pytest.MonkeyPatch) -> str:
    """A new BBCode dialect added the way the recipe in bbcode_dialects says (one data entry)."""
    dialect = dataclasses.replace(bbcode_dialects.PHPBB3, name="fluxbb15", label="FluxBB 1.5")
    monkeypatch.setitem(bbcode_dialects.DIALECTS, dialect.name, dialect)
    monkeypatch.setattr(
        BBCodeExporter, "dialects", {d.name: d.label for d in bbcode_dialects.DIALECTS.values()}
    )
    return dialect.name


# The registry and the model ----------------------------------------------------------------


def test_every_registered_class_is_listed_under_its_own_format_key() -> None:
    assert list(EXPORTERS) == ["bbcode", "forum_markdown", "plaintext", "html"]
    assert all(cls.format == key and cls.label for key, cls in EXPORTERS.items())


def test_profile_format_choices_are_the_registry_in_order() -> None:
    assert field_choices("format") == [(key, cls.label) for key, cls in EXPORTERS.items()]
    assert field_choices("format") == format_choices()


def test_profile_dialect_choices_are_none_then_every_formats_dialects() -> None:
    expected = [("", "(none)")] + [
        item for cls in EXPORTERS.values() for item in cls.dialects.items()
    ]
    assert field_choices("dialect") == expected == dialect_choices()


@pytest.mark.parametrize("name", ["format", "dialect"])
def test_every_choice_the_table_was_created_with_is_still_offered_with_its_label(
    name: str,
) -> None:
    assert set(choices_in_0005(name)) <= set(field_choices(name))


@pytest.mark.parametrize("name", ["format", "dialect"])
def test_the_fields_keep_the_registry_function_so_migrations_name_it(name: str) -> None:
    _, _, _, kwargs = ExportProfile._meta.get_field(name).deconstruct()
    assert kwargs["choices"] is {"format": format_choices, "dialect": dialect_choices}[name]


@pytest.mark.django_db
def test_the_migrations_already_match_the_registry() -> None:
    assert export_profile_changes() == []


@pytest.mark.django_db
def test_a_new_dialect_is_offered_and_accepted_without_a_migration(sixth_dialect: str) -> None:
    assert (sixth_dialect, "FluxBB 1.5") in field_choices("dialect")
    assert export_profile_changes() == []
    ExportProfile(name="Flux", slug="flux", format="bbcode", dialect=sixth_dialect).full_clean()
    (part,) = export(rich_document(), ExportSettings(format="bbcode", dialect=sixth_dialect)).parts
    assert bbcode_problems(part, "phpbb3") == []  # it renders with its own (copied) data


# Classes, dialect data and oracles ---------------------------------------------------------


@pytest.mark.parametrize(("fmt", "files"), FILES.items())
def test_each_format_declares_its_content_type_and_extension(
    fmt: str, files: tuple[str, str]
) -> None:
    cls = exporter_class(fmt)
    assert (cls.content_type, cls.extension) == files
    dialect = next(iter(cls.dialects), "")
    result = export(rich_document(), ExportSettings(format=fmt, dialect=dialect))
    assert (result.content_type, result.extension) == files


def test_only_plain_text_has_no_clickable_links() -> None:
    assert {key for key, cls in EXPORTERS.items() if not cls.clickable_links} == {"plaintext"}


@pytest.mark.parametrize(
    ("exporter", "data"),
    [(BBCodeExporter, bbcode_dialects.DIALECTS), (ForumMarkdownExporter, forum_markdown.DIALECTS)],
)
def test_a_formats_dialects_are_its_dialect_data(exporter: Any, data: dict[str, Any]) -> None:
    assert exporter.dialects == {key: d.label for key, d in data.items()}
    assert all(d.name == key for key, d in data.items())


def test_the_bbcode_oracle_names_exactly_the_registered_dialects() -> None:
    assert set(DIALECT_TAGS) == set(BBCodeExporter.dialects)


@pytest.mark.parametrize("dialect", sorted(bbcode_dialects.DIALECTS))
def test_a_dialect_writes_only_tags_its_forum_documents(dialect: str) -> None:
    assert bbcode_dialects.DIALECTS[dialect].tags <= DIALECT_TAGS[dialect]


def test_the_tests_run_over_every_format_and_dialect_of_the_registry() -> None:
    registered = [(fmt, d) for fmt, dialects in dialects_by_format().items() for d in dialects]
    assert sorted(ALL_FORMATS) == sorted(registered)


@pytest.mark.parametrize("dialect", sorted(forum_markdown.DIALECTS))
def test_a_markdown_dialects_data_is_how_it_writes_code_and_hard_breaks(dialect: str) -> None:
    data = forum_markdown.DIALECTS[dialect]
    exporter = ForumMarkdownExporter(ExportSettings(format="forum_markdown", dialect=dialect))
    code, paragraph = exporter.render_blocks(parse("```\nx = 1\n```\n\none\\\ntwo\n"))
    assert code == {"fenced": "```\nx = 1\n```", "indented": "    x = 1"}[data.code_blocks]
    assert paragraph == f"one{data.hard_break}two"


@pytest.mark.parametrize("slug", sorted(migration("0006_export_profiles").PROFILES))
def test_each_seeded_profile_names_a_registered_format_and_one_of_its_dialects(slug: str) -> None:
    fields = migration("0006_export_profiles").PROFILES[slug]
    dialects = dialect_keys(fields["format"])
    assert fields["format"] in EXPORTERS
    assert fields["dialect"] in dialects if dialects else fields["dialect"] == ""


# Validation reads the registry -------------------------------------------------------------


def test_an_unknown_format_is_refused_with_the_registered_ones() -> None:
    with pytest.raises(ExportError, match="choose one of: bbcode, forum_markdown, plaintext, html"):
        ExportSettings(format="rtf")


def test_a_dialect_of_another_format_is_refused_with_the_formats_own_dialects() -> None:
    with pytest.raises(ExportError, match="choose one of: phpbb3, xenforo2, vbulletin4"):
        ExportSettings(format="bbcode", dialect="reddit")


def test_a_format_without_dialects_ignores_a_left_over_dialect() -> None:
    assert ExportSettings(format="html", dialect="phpbb3").dialect == "phpbb3"


def test_a_profile_with_a_dialect_its_format_lacks_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        ExportProfile(name="x", slug="x", format="forum_markdown", dialect="phpbb3").clean()
    assert refused.value.message_dict["dialect"] == [
        "Format “forum_markdown” has no dialect “phpbb3”; choose one of: commonmark, reddit."
    ]


def test_a_profile_of_a_format_without_dialects_must_leave_the_dialect_empty() -> None:
    with pytest.raises(ValidationError) as refused:
        ExportProfile(name="x", slug="x", format="plaintext", dialect="reddit").clean()
    assert refused.value.message_dict["dialect"] == [
        "Format “plaintext” has no dialects; leave the dialect empty."
    ]


# The admin -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_lists_dialects_under_their_format(client: Any, editor: Any) -> None:
    client.force_login(editor)
    page = client.get("/admin/content/exportprofile/add/").content.decode()
    start = page.index('name="dialect"')
    select = page[start : page.index("</select>", start)]
    assert '<optgroup label="BBCode">' in select and '<optgroup label="Forum Markdown">' in select
    assert select.index('value="phpbb3"') < select.index("Forum Markdown")
    assert select.index('value="reddit"') > select.index("Forum Markdown")


@pytest.mark.django_db
def test_the_admin_refuses_a_dialect_of_another_format(client: Any, editor: Any) -> None:
    client.force_login(editor)
    data = {
        "name": "Wrong",
        "slug": "wrong",
        "format": "bbcode",
        "dialect": "commonmark",
        "link_policy": "keep",
        "image_policy": "link",
        "interaction_min_level": "unsafe",
        "active": "on",
        # the inline of headers and footers per language, left empty
        "frames-TOTAL_FORMS": 0,
        "frames-INITIAL_FORMS": 0,
    }
    response = client.post("/admin/content/exportprofile/add/", data)
    assert response.status_code == 200
    assert "Format “bbcode” has no dialect “commonmark”" in response.content.decode()
    assert not ExportProfile.objects.filter(slug="wrong").exists()
    response = client.post("/admin/content/exportprofile/add/", {**data, "dialect": "smf21"})
    assert response.status_code == 302
    assert ExportProfile.objects.get(slug="wrong").dialect == "smf21"
