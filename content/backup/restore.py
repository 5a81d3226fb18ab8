"""Restoring a backup into an empty database: verify everything first, then write in one go.

Order: refuse a database that holds anything of an instance; read and verify the whole archive
(content.backup.archive) and its schema; decrypt the secret keys if a passphrase is given;
check that no media file would be overwritten with other bytes. Only then, in one transaction:
empty the tables `migrate` seeded, insert every row with its primary key, move the audit chain
head, reset PostgreSQL's sequences, check every foreign key, copy the media files and import
the keys. A failure anywhere rolls the database back and removes the media files copied.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from content import search
from content.backup import keys
from content.backup.archive import ArchiveError, Extracted, read_archive, sha256_of
from content.backup.dump import MEDIA_DIR, schema_version
from content.backup.tables import RECORD, SEEDED, Table, load_value, permission_keys, tables
from content.models.audit import HEAD_ROW, AuditChainHead

BATCH = 500
ERROR_NOT_EMPTY = (
    "The database is not empty ({found}). Restore only into a database that `manage.py "
    "migrate` has just created; nothing was written."
)
ERROR_SCHEMA = (
    "The archive was made at migrations {archive}; this database is at {here}. Bring the code "
    "and `migrate` to the archive's migrations first; nothing was written."
)


class RestoreError(Exception):
    """The archive was not restored; the message says why."""


@dataclass(frozen=True)
class RestoreResult:
    rows: int
    files: int
    public_keys: int
    secret_keys: int
    secret_keys_skipped: bool  # the archive holds secret keys but no passphrase was given


def occupied(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What makes the database not empty: rows of an instance's own records, or an audit
    chain that has begun. Tables `migrate` fills (languages, profiles, roles) do not count."""
    found = []
    for table in tables():
        if table.kind == RECORD and not table.link:
            count = table.model._base_manager.using(using).count()
            if count:
                found.append(f"{count} rows in {table.name}")
    head = AuditChainHead.objects.using(using).filter(pk=HEAD_ROW).first()
    if head is not None and head.sequence:
        found.append(f"an audit chain at event {head.sequence}")
    return found


def _check_schema(extracted: Extracted, using: str) -> None:
    archive, here = extracted.manifest.get("schema"), schema_version(using)
    if archive != here:
        raise RestoreError(ERROR_SCHEMA.format(archive=archive, here=here))


def _media(extracted: Extracted) -> list[tuple[Path, Path]]:
    """(target under MEDIA_ROOT, extracted file) for each media member, refusing a name that
    leaves MEDIA_ROOT and a file already there with other bytes."""
    root = Path(settings.MEDIA_ROOT)
    planned = []
    for name, source in sorted(extracted.files.items()):
        if not name.startswith(f"{MEDIA_DIR}/"):
            continue
        relative = PurePosixPath(name).relative_to(MEDIA_DIR)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise RestoreError(f"The archive's media file {name!r} would land outside MEDIA_ROOT.")
        target = root.joinpath(*relative.parts)
        if target.exists() and (not target.is_file() or sha256_of(target) != sha256_of(source)):
            raise RestoreError(f"{target} exists with other content; nothing was written.")
        planned.append((target, source))
    return planned


def _insert(
    connection: BaseDatabaseWrapper,
    table: Table,
    rows: Iterable[dict[str, Any]],
    permissions: dict[tuple[str, ...], int],
) -> int:
    quote = connection.ops.quote_name
    names = [f.attname for f in table.fields]
    columns = ", ".join(quote(str(f.column)) for f in table.fields)
    placeholders = ", ".join(["%s"] * len(table.fields))
    # Names from the model's metadata, quoted; values are parameters.
    sql = f"INSERT INTO {quote(table.model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    permission = f"{table.permission_field}_id" if table.permission_field else ""
    count, batch = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            if sorted(row) != sorted(names):
                raise RestoreError(f"{table.member}: a row's columns are not {', '.join(names)}.")
            values = []
            for field in table.fields:
                value = row[field.attname]
                if field.attname == permission:
                    if tuple(value) not in permissions:
                        raise RestoreError(f"{table.member}: no permission {'.'.join(value)} here.")
                    value = permissions[tuple(value)]
                values.append(field.get_db_prep_save(load_value(field, value), connection))
            batch.append(values)
            count += 1
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return count


def _clear_seeded(connection: BaseDatabaseWrapper) -> None:
    """Empty what `migrate` filled, links first; the audit chain head is moved, not deleted
    (on PostgreSQL a trigger refuses its deletion)."""
    with connection.cursor() as cursor:
        for table in reversed(tables()):
            if table.kind == SEEDED and table.model is not AuditChainHead:
                name = connection.ops.quote_name(table.model._meta.db_table)
                cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - a model's own table


def _restore_head(extracted: Extracted, table: Table, using: str) -> int:
    """Set the chain head to the archive's, after its events: PostgreSQL's trigger lets the head
    move only forward onto an event on record, which the events just inserted are."""
    rows = list(extracted.rows(table.member))
    if len(rows) != 1:
        return _insert(connections[using], table, rows, {}) if rows else 0
    row = rows[0]
    heads = AuditChainHead.objects.using(using).filter(pk=row["id"])
    current = heads.values("sequence", "hash").first()
    if current is None:
        return _insert(connections[using], table, rows, {})
    if current != {"sequence": row["sequence"], "hash": row["hash"]}:
        heads.update(sequence=row["sequence"], hash=row["hash"])
    return 1


def _write_database(extracted: Extracted, using: str) -> int:
    connection = connections[using]
    _clear_seeded(connection)
    permissions: dict[tuple[str, ...], int] = {key: pk for pk, key in permission_keys().items()}
    count, head = 0, None
    for table in tables():
        if table.model is AuditChainHead:
            head = table
            continue
        count += _insert(connection, table, extracted.rows(table.member), permissions)
    if head is not None:
        count += _restore_head(extracted, head, using)
    models = [table.model for table in tables() if not table.link]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    connection.check_constraints()  # SQLite and PostgreSQL defer foreign keys to the commit
    search.rebuild()  # derived tables are not in the archive (content.backup.tables)
    return count


def _copy_media(planned: list[tuple[Path, Path]], written: list[Path]) -> None:
    for target, source in planned:
        if target.exists():
            continue  # the same bytes (checked before)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)


def restore_backup(
    path: Path, *, passphrase: str = "", using: str = DEFAULT_DB_ALIAS
) -> RestoreResult:
    """Restore the archive at `path` into this (empty) instance, or raise RestoreError."""
    if found := occupied(using):
        raise RestoreError(ERROR_NOT_EMPTY.format(found=", ".join(found)))
    with tempfile.TemporaryDirectory(prefix="restore-") as scratch:
        try:
            extracted = read_archive(path, Path(scratch))
        except ArchiveError as error:
            raise RestoreError(f"{error} Nothing was written.") from None
        _check_schema(extracted, using)
        missing = [t.member for t in tables() if t.member not in extracted.files]
        if missing:
            raise RestoreError(f"The archive lacks {', '.join(missing)}; nothing was written.")
        secret, skipped = "", False
        if keys.SECRET_MEMBER in extracted.files:
            if passphrase:
                encrypted = extracted.files[keys.SECRET_MEMBER].read_bytes()
                try:
                    secret = keys.decrypt_secret(encrypted, passphrase)
                except keys.KeyStoreError as error:
                    raise RestoreError(f"{error} Nothing was written.") from None
            else:
                skipped = True
        public = [text for name, text in _texts(extracted, keys.PUBLIC_DIR)]
        planned = _media(extracted)
        written: list[Path] = []
        try:
            with transaction.atomic(using=using):
                if found := occupied(using):  # written meanwhile by someone else
                    raise RestoreError(ERROR_NOT_EMPTY.format(found=", ".join(found)))
                rows = _write_database(extracted, using)
                _copy_media(planned, written)
                if public:
                    keys.import_keys("".join(public))
                secret_count = 0
                if secret:
                    keys.import_keys(secret)
                    secret_count = int(extracted.manifest["counts"].get("secret_keys", 0))
        except (DatabaseError, ValidationError, keys.KeyStoreError, OSError) as error:
            for target in written:
                target.unlink(missing_ok=True)
            raise RestoreError(f"The restore failed and was undone: {error}") from error
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    return RestoreResult(rows, len(planned), len(public), secret_count, skipped)


def _texts(extracted: Extracted, directory: str) -> list[tuple[str, str]]:
    return [
        (name, extracted.text(name))
        for name in sorted(extracted.files)
        if name.startswith(f"{directory}/")
    ]
