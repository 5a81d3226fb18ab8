"""Writing a backup: the tables as JSON Lines, the media files and the keys, in one archive."""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from content.backup import keys
from content.backup.archive import FORMAT, FORMAT_VERSION, canonical, sha256_of, write_archive
from content.backup.tables import Table, dump_rows, tables

SCHEMA_APPS = ("auth", "content")  # the apps whose tables the archive holds
MEDIA_DIR = "media"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    rows: int
    files: int
    public_keys: int
    secret_keys: int


def schema_version(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app the archive holds tables of."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        if app in SCHEMA_APPS and name > latest.get(app, ""):
            latest[app] = name
    return latest


def media_files() -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT (uploaded images), by archive name, sorted."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = [
        (f"{MEDIA_DIR}/{path.relative_to(root).as_posix()}", path)
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    ]
    return sorted(found)


def _write_table(table: Table, target: Path, using: str) -> int:
    count = 0
    with target.open("wb") as out:
        for row in dump_rows(table, using):
            out.write(canonical(row))
            count += 1
    return count


def _consistent_snapshot(using: str, outermost: bool) -> None:
    """On PostgreSQL every query of the backup sees the same committed state (SQLite's
    transaction already does: it holds the database's write lock until the end). Inside a
    caller's transaction (a test's) that transaction's snapshot is the one read."""
    connection = connections[using]
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def write_backup(
    path: Path,
    *,
    at: datetime.datetime | None = None,
    with_secret_keys: bool = False,
    passphrase: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> BackupResult:
    """Write the archive to `path`. `at` is the creation time the manifest states (now by
    default); two backups of the same instance with the same `at` are byte-identical unless
    they hold secret keys (see content.backup.keys)."""
    moment = timezone.now() if at is None else at
    counts: dict[str, int] = {}
    members: list[tuple[str, Path]] = []
    with tempfile.TemporaryDirectory(prefix="backup-") as scratch:
        work = Path(scratch)
        outermost = not connections[using].in_atomic_block
        with transaction.atomic(using=using):
            _consistent_snapshot(using, outermost)
            for index, table in enumerate(tables()):
                target = work / f"table-{index:03d}"
                counts[table.name] = _write_table(table, target, using)
                members.append((table.member, target))
            fingerprints = _recorded_fingerprints(using)
        public = keys.export_public(fingerprints)
        for fingerprint, armored in public.items():
            target = work / f"key-{fingerprint}"
            target.write_text(armored, encoding="utf-8")
            members.append((keys.public_member(fingerprint), target))
        secret_count = 0
        if with_secret_keys:
            encrypted, secret_count = keys.export_secret_encrypted(fingerprints, passphrase)
            if secret_count:
                target = work / "secret"
                target.write_bytes(encrypted)  # gpg's ciphertext only, never the key itself
                members.append((keys.SECRET_MEMBER, target))
        media = media_files()
        members.extend(media)
        manifest = _manifest(moment, counts, members, using)
        manifest["counts"].update(
            media_files=len(media), public_keys=len(public), secret_keys=secret_count
        )
        write_archive(path, manifest, members)
    return BackupResult(path, sum(counts.values()), len(media), len(public), secret_count)


def _recorded_fingerprints(using: str) -> list[str]:
    from content.models import SigningKey

    return sorted(SigningKey.objects.using(using).values_list("fingerprint", flat=True))


def _manifest(
    moment: datetime.datetime,
    counts: dict[str, int],
    members: list[tuple[str, Path]],
    using: str,
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": moment.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "schema": schema_version(using),
        "counts": {"rows": sum(counts.values()), "tables": counts},
        "members": [
            {"name": name, "sha256": sha256_of(source), "size": source.stat().st_size}
            for name, source in members
        ],
        "note": "Users are kept with their password hashes; sessions and login attempts are not.",
    }
