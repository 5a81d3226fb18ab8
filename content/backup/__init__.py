"""Backups that restore: `manage.py backup FILE` and `manage.py restore FILE`.

What a backup holds (content.backup.tables): every model of the `content` app, the auth users
with their password hashes (so the team signs in with the same passwords; guard the file as
you would the database), the groups, and the many-to-many links (revision tags, user groups,
group and user permissions, the last two by permission code). Not sessions, not django-axes'
login attempts, not the admin's change log: they are about a running instance, not its content.
A test fails when a model of `content` is named nowhere, so a new model cannot be forgotten.

Why not `dumpdata`: it writes times to the millisecond, which breaks the audit chain's hashes
(they cover the microsecond), and knows nothing of media files or the gpg key store. Here each
table is read as Python values from the ORM and written by us: times as UTC ISO strings with
microseconds, JSON fields as JSON, primary keys kept.

The archive (content.backup.archive): a deterministic gzip-compressed tar. `manifest.json`
first (format and version, creation time, the latest applied migration of `auth` and
`content`, row counts, and every member's size and SHA-256), then one JSON Lines file per
table (`tables/<app>.<model>.jsonl`, rows by primary key, keys sorted), the public keys of the
recorded signing keys (`keys/public/<fingerprint>.asc`), the secret keys only when asked and
only encrypted (`keys/secret-keys.asc.gpg`, content.backup.keys), and the files under
MEDIA_ROOT (`media/...`, the uploaded images).

Byte-identical: the creation time is the one thing that differs between two backups of the
same data, so `backup --at` sets it. With the same `--at`, backup -> restore -> backup gives
the same file, byte for byte, on SQLite and PostgreSQL and across the two (with the same
Python and zlib; gzip's output is zlib's). An archive holding secret keys differs in that
encrypted member only (gpg salts at random).

Restoring (content.backup.restore) rows bypasses `save()` and `bulk_create()` on purpose:
audit events are inserted with their stored sequence, previous hash and hash, which the
audit queryset's `bulk_create()` would recompute as new links of the chain, and `auto_now_add`
fields would take the time of the restore. Rows are written with INSERT statements built from
each field's own database conversion (`get_db_prep_save`), which PostgreSQL's append-only
trigger allows (it refuses UPDATE and DELETE only). `manage.py verify_audit` passes afterwards.
"""

from __future__ import annotations

from content.backup.archive import FORMAT_VERSION, ArchiveError
from content.backup.dump import BackupResult, write_backup
from content.backup.restore import RestoreError, RestoreResult, restore_backup

__all__ = [
    "FORMAT_VERSION",
    "ArchiveError",
    "BackupResult",
    "RestoreError",
    "RestoreResult",
    "restore_backup",
    "write_backup",
]
