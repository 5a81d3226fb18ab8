"""The translation check (.ci/check-translations): every marked string has Dutch and French,
and the compiled catalogues say what their sources say. Run on the committed catalogues, and on
broken copies of them, where it must fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "check-translations"
LOCALE = ROOT / "content" / "locale"


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def copy_of_catalogues(tmp_path: Path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    return copy


def catalogue(locale: Path, code: str) -> tuple[polib.POFile, Path]:
    path = locale / code / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path)), path


def first_translated(po: polib.POFile) -> polib.POEntry:
    return next(e for e in po if e.msgstr and not e.msgid_plural and not e.obsolete)


def test_the_committed_catalogues_translate_every_message_and_are_compiled() -> None:
    result = run_check("--no-makemessages")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="makemessages needs GNU gettext (CI installs it)",
)
def test_every_string_marked_in_the_code_is_in_the_catalogues_with_dutch_and_french() -> None:
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (ROOT / "content" / "locale" / "nl" / "LC_MESSAGES" / "django.po.bak").exists()


def test_the_check_fails_naming_a_message_without_dutch(tmp_path: Path) -> None:
    locale = copy_of_catalogues(tmp_path)
    po, path = catalogue(locale, "nl")
    entry = first_translated(po)
    entry.msgstr = ""
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))  # compiled: only the gap is wrong
    result = run_check("--no-makemessages", "--locale-dir", str(locale))
    assert result.returncode == 1
    assert f"nl/django.po: untranslated: {entry.msgid!r}" in result.stdout
    assert "fr/django.po" not in result.stdout


def test_the_check_fails_on_a_fuzzy_french_translation(tmp_path: Path) -> None:
    locale = copy_of_catalogues(tmp_path)
    po, path = catalogue(locale, "fr")
    entry = first_translated(po)
    entry.flags.append("fuzzy")
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    result = run_check("--no-makemessages", "--locale-dir", str(locale))
    assert result.returncode == 1
    assert f"fr/django.po: fuzzy: {entry.msgid!r}" in result.stdout


def test_the_check_fails_when_a_catalogue_was_changed_but_not_compiled(tmp_path: Path) -> None:
    locale = copy_of_catalogues(tmp_path)
    po, path = catalogue(locale, "fr")
    first_translated(po).msgstr += " (corrigé)"
    po.save(str(path))
    result = run_check("--no-makemessages", "--locale-dir", str(locale))
    assert result.returncode == 1
    assert "fr/django.po: django.mo differs from django.po" in result.stdout


def test_the_check_fails_when_a_compiled_catalogue_is_missing(tmp_path: Path) -> None:
    locale = copy_of_catalogues(tmp_path)
    (locale / "nl" / "LC_MESSAGES" / "django.mo").unlink()
    result = run_check("--no-makemessages", "--locale-dir", str(locale))
    assert result.returncode == 1
    assert "nl/django.po: django.mo is missing" in result.stdout


def test_the_page_reader_finds_english_words_wherever_a_person_reads_them() -> None:
    from tests.untranslated import english_left

    page = (
        '<html lang="nl"><body><h1 lang="en">Log in</h1><p lang="fr">Log in</p>'
        '<p data-user-content>Log in</p><button title="Save">x</button>'
        "<script>'Log in'</script><p>Opslaan</p></body></html>"
    )
    assert english_left(page, "nl") == ["Log in", "Save"]
    assert english_left(page.replace("Log in</h1>", "Aanmelden</h1>"), "nl") == ["Save"]
