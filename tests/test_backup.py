"""Backup and restore (content/backup/): a restored instance is the same instance.

"Byte-identical" here means: two archives written with the same `--at` (the manifest's
creation time, the one thing that would differ) are the same file, byte for byte; tested
for backup -> empty the database -> restore -> backup in one test run, and across processes
and databases in tests/test_backup_cross.py.
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection

from content.backup import RestoreError, restore_backup, write_backup
from content.backup.keys import SECRET_MEMBER
from content.backup.restore import occupied
from content.backup.tables import CONTENT_MODELS, tables
from content.exporters.signing import clearsign, list_keys
from content.exports import export_post
from content.models import AuditEvent, ExportProfile, Post, PostKind, Revision, SearchDocument
from content.revisions import create_post
from tests.support import Keys, content_of, jpeg_with_metadata

AT = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
KEPT = {"django_content_type", "auth_permission", "django_migrations"}  # made by `migrate`


def empty_database() -> None:
    """Empty every table inside the test's transaction (rolled back after it). PostgreSQL's
    audit triggers refuse DELETE, not TRUNCATE, which is what sql_flush gives there."""
    names = set(connection.introspection.django_table_names(only_existing=True)) - KEPT
    statements = connection.ops.sql_flush(no_style(), sorted(names), allow_cascade=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE refuses pending deferred checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def members(path: Path) -> list[tuple[str, bytes]]:
    with tarfile.open(path, "r:gz") as tar:
        return [(m.name, tar.extractfile(m).read()) for m in tar]  # type: ignore[union-attr]


def repack(path: Path, items: list[tuple[str, bytes]]) -> None:
    with gzip.open(path, "wb") as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        for name, data in items:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def snapshot(client: Any) -> dict[str, Any]:
    """What readers and the team see of the instance: pages, an export, the exact times."""
    cache.clear()
    post = Post.objects.in_force().order_by("pk").first()
    assert post is not None
    return {
        "index": client.get("/").content,
        "page": client.get(post.get_public_url()).content,
        "feed": client.get("/en/feed/").content,
        "revision_times": list(
            Revision.objects.order_by("pk").values_list("created_at", flat=True)
        ),
        "event_times": list(AuditEvent.objects.order_by("pk").values_list("created_at", flat=True)),
    }


def exported(editor: Any) -> list[str]:
    post = Post.objects.in_force().order_by("pk").first()
    profile = ExportProfile.objects.get(slug="phpbb")
    return export_post(post=post, profile=profile, actor=editor, final=True).parts


@pytest.fixture
def fresh_store() -> Iterator[str]:
    """An empty key store for the restored instance (settings unchanged until the test says)."""
    home = tempfile.mkdtemp(prefix="bk-")  # short: gpg-agent's socket lives in it
    try:
        yield home
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def instance(export_settings: Any, team_key: Any, tmp_path: Path) -> Any:
    """A rich instance: the demo, a final export, a signing key on record, an image."""
    export_settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    upload = export_settings.MEDIA_ROOT / "uploads" / "photo.jpg"
    upload.parent.mkdir(parents=True, exist_ok=True)  # the demo uploads its photo
    upload.write_bytes(jpeg_with_metadata())
    editor = apps.get_model("auth", "User").objects.get(username="eva")
    exported(editor)
    return export_settings


def test_every_content_model_is_covered() -> None:
    models = {m._meta.model_name for m in apps.get_app_config("content").get_models()}
    assert models == set(CONTENT_MODELS)
    covered = {t.model for t in tables()}
    kept = {m for m in apps.get_app_config("content").get_models() if m is not SearchDocument}
    assert kept <= covered and SearchDocument not in covered  # derived: rebuilt by a restore


@pytest.mark.django_db
def test_backup_restore_backup_is_byte_identical_and_the_instance_the_same(
    instance: Any, fresh_store: str, tmp_path: Path, client: Any
) -> None:
    before_export = exported(apps.get_model("auth", "User").objects.get(username="eva"))
    before = snapshot(client)  # after the export: it records an event
    first = write_backup(tmp_path / "a.tar.gz", at=AT)
    # Two files: the demo's photo and the image the fixture adds.
    assert first.files == 2 and first.public_keys == 1 and first.rows > 200
    # Sub-millisecond times are what dumpdata loses; the demo's events have them.
    assert any(moment.microsecond % 1000 for moment in before["event_times"])

    empty_database()
    instance.MEDIA_ROOT = tmp_path / "media-restored"
    instance.GNUPG_HOME = fresh_store  # a fresh key store: the archive's public key goes there
    result = restore_backup(tmp_path / "a.tar.gz")
    assert (result.rows, result.files, result.public_keys) == (first.rows, 2, 1)
    # The search documents were written again (PostgreSQL; SQLite searches without them).
    published = Post.objects.filter(published_revision__isnull=False).count()
    assert published and SearchDocument.objects.count() == (
        published if connection.vendor == "postgresql" else 0
    )

    second = write_backup(tmp_path / "b.tar.gz", at=AT)
    assert (tmp_path / "a.tar.gz").read_bytes() == (tmp_path / "b.tar.gz").read_bytes()
    assert second.rows == first.rows

    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit log intact" in out.getvalue()
    assert snapshot(client) == before
    assert exported(apps.get_model("auth", "User").objects.get(username="eva")) == before_export
    assert (instance.MEDIA_ROOT / "uploads" / "photo.jpg").read_bytes() == jpeg_with_metadata()
    # Sequences were reset: new rows take fresh ids (PostgreSQL would raise IntegrityError).
    author = apps.get_model("auth", "User").objects.get(username="anna")
    english = apps.get_model("content", "Language").objects.get(code="en")
    new = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())
    assert new.pk > max(Post.objects.exclude(pk=new.pk).values_list("pk", flat=True))


@pytest.mark.django_db
def test_two_backups_differ_only_in_the_creation_time(instance: Any, tmp_path: Path) -> None:
    write_backup(tmp_path / "a.tar.gz", at=AT)
    write_backup(tmp_path / "b.tar.gz", at=AT + datetime.timedelta(days=1))
    a, b = members(tmp_path / "a.tar.gz"), members(tmp_path / "b.tar.gz")
    assert a[1:] == b[1:]
    manifest_a, manifest_b = json.loads(a[0][1]), json.loads(b[0][1])
    assert manifest_a.pop("created_at") != manifest_b.pop("created_at")
    assert manifest_a == manifest_b


@pytest.mark.django_db
def test_commands_print_what_they_did(instance: Any, fresh_store: str, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("backup", str(tmp_path / "a.tar.gz"), "--at", AT.isoformat(), stdout=out)
    assert f"Backup written: {tmp_path / 'a.tar.gz'} (" in out.getvalue()
    assert "2 files, 1 public keys)" in out.getvalue()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(tmp_path / "a.tar.gz"))
    empty_database()
    instance.MEDIA_ROOT = tmp_path / "restored"
    instance.GNUPG_HOME = fresh_store
    out = io.StringIO()
    call_command("restore", str(tmp_path / "a.tar.gz"), stdout=out)
    assert out.getvalue().startswith("Restored ")


def _refused(path: Path, message: str) -> None:
    with pytest.raises(RestoreError, match=message):
        restore_backup(path)
    assert occupied() == []  # nothing was written
    assert not Post.objects.exists() and not apps.get_model("auth", "User").objects.exists()


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_and_nothing_written(
    instance: Any, fresh_store: str, tmp_path: Path
) -> None:
    good = tmp_path / "good.tar.gz"
    write_backup(good, at=AT)
    items = members(good)
    empty_database()
    instance.MEDIA_ROOT = tmp_path / "restored"
    instance.GNUPG_HOME = fresh_store

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(truncated, "damaged or truncated")

    flipped = tmp_path / "flipped.tar.gz"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    # gzip's CRC, or first the manifest's hash of the member the byte landed in.
    _refused(flipped, "damaged")

    # A member changed, and the archive re-made around it: the manifest's hash tells.
    changed = tmp_path / "changed.tar.gz"
    revisions = "tables/content.revision.jsonl"
    edited = [
        (n, d.replace(b'"title":"', b'"title":"X', 1) if n == revisions else d) for n, d in items
    ]
    assert edited != items
    repack(changed, edited)
    _refused(changed, r"Member tables/content\.revision\.jsonl is damaged")

    missing = tmp_path / "missing.tar.gz"
    repack(missing, [item for item in items if item[0] != "tables/content.review.jsonl"])
    _refused(missing, r"incomplete: tables/content\.review\.jsonl missing")

    manifest = json.loads(items[0][1])
    for key, value, message in [
        ("format_version", 2, "format version is 2"),
        ("schema", {"content": "0001_initial"}, "archive was made at migrations"),
    ]:
        wrong = tmp_path / f"wrong-{key}.tar.gz"
        repack(
            wrong, [("manifest.json", json.dumps({**manifest, key: value}).encode()), *items[1:]]
        )
        _refused(wrong, message)

    restore_backup(good)  # the good one still restores


@pytest.mark.django_db
def test_secret_keys_only_when_asked_and_only_encrypted(
    instance: Any, gpg_keys: Keys, fresh_store: str, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.tar.gz"
    write_backup(plain, at=AT)
    assert SECRET_MEMBER not in dict(members(plain))

    with_secret = tmp_path / "secret.tar.gz"
    result = write_backup(with_secret, at=AT, with_secret_keys=True, passphrase="backup words")
    assert result.secret_keys == 1
    items = dict(members(with_secret))
    assert SECRET_MEMBER in items
    assert not any(b"PRIVATE KEY BLOCK" in data for data in items.values())
    assert b"PRIVATE KEY BLOCK" not in gzip.decompress(with_secret.read_bytes())
    assert [n for n, _ in members(plain)] == [n for n in items if n != SECRET_MEMBER]

    empty_database()
    instance.MEDIA_ROOT = tmp_path / "restored"
    instance.GNUPG_HOME = fresh_store
    with pytest.raises(RestoreError, match="wrong BACKUP_PASSPHRASE"):
        restore_backup(with_secret, passphrase="other words")
    assert occupied() == [] and not list_keys(fresh_store, secret=True)

    restored = restore_backup(with_secret, passphrase="backup words")
    assert restored.secret_keys == 1
    assert gpg_keys.team in {k.fingerprint for k in list_keys(fresh_store, secret=True)}
    assert "BEGIN PGP SIGNATURE" in clearsign(fresh_store, "Checked.\n", fingerprint=gpg_keys.team)


@pytest.mark.django_db
def test_secret_keys_in_an_archive_are_skipped_without_the_passphrase(
    instance: Any, fresh_store: str, tmp_path: Path
) -> None:
    archive = tmp_path / "secret.tar.gz"
    write_backup(archive, at=AT, with_secret_keys=True, passphrase="backup words")
    empty_database()
    instance.MEDIA_ROOT, instance.GNUPG_HOME = tmp_path / "restored", fresh_store
    result = restore_backup(archive)
    assert result.secret_keys_skipped and result.public_keys == 1
    assert not list_keys(fresh_store, secret=True)
