from __future__ import annotations

import datetime
import getpass
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content.backup import write_backup
from content.backup.keys import KeyStoreError

PASSPHRASE_VARIABLE = "BACKUP_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret


def passphrase_from_environment(*, prompt: bool, confirm: bool) -> str:
    """BACKUP_PASSPHRASE, or typed at a terminal (never an argument: it would show in `ps`)."""
    passphrase = os.environ.get(PASSPHRASE_VARIABLE, "")
    if passphrase or not prompt:
        return passphrase
    passphrase = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Again: ") != passphrase:
        raise CommandError("The two passphrases differ.")
    return passphrase


class Command(BaseCommand):
    help = (
        "Write one archive with every table of the content, the users, the uploaded images and "
        "the public signing keys (secret keys only with --with-secret-keys, encrypted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive to write (.tar.gz).")
        parser.add_argument(
            "--with-secret-keys",
            action="store_true",
            help=f"Add the secret signing keys, encrypted with ${PASSPHRASE_VARIABLE} (or asked).",
        )
        parser.add_argument(
            "--at",
            type=datetime.datetime.fromisoformat,
            help="The creation time the manifest states (ISO 8601, with an offset); default now.",
        )

    def handle(
        self, *args: Any, file: Path, with_secret_keys: bool, at: Any, **options: Any
    ) -> None:
        if at is not None and at.tzinfo is None:
            raise CommandError("Give --at with its offset, e.g. 2026-12-01T00:00:00+00:00.")
        passphrase = ""
        if with_secret_keys:
            passphrase = passphrase_from_environment(prompt=True, confirm=True)
            if not passphrase:
                raise CommandError(
                    f"Secret keys are written only encrypted: set {PASSPHRASE_VARIABLE}."
                )
        try:
            result = write_backup(
                file, at=at, with_secret_keys=with_secret_keys, passphrase=passphrase
            )
        except (KeyStoreError, OSError) as error:
            raise CommandError(str(error)) from error
        secret = f", {result.secret_keys} secret keys encrypted" if with_secret_keys else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {file} ({result.rows} rows, {result.files} files, "
                f"{result.public_keys} public keys{secret})"
            )
        )
