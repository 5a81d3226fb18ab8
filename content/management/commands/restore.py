from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content.backup import RestoreError, restore_backup
from content.management.commands.backup import PASSPHRASE_VARIABLE, passphrase_from_environment


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty, migrated database. "
        "Refuses a database with content or users, and a damaged archive, writing nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive to restore.")
        parser.add_argument(
            "--ask-passphrase",
            action="store_true",
            help=f"Ask for the passphrase of the secret keys when ${PASSPHRASE_VARIABLE} is unset.",
        )

    def handle(self, *args: Any, file: Path, ask_passphrase: bool, **options: Any) -> None:
        passphrase = passphrase_from_environment(prompt=ask_passphrase, confirm=False)
        try:
            result = restore_backup(file, passphrase=passphrase)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        secret = f", {result.secret_keys} secret keys" if result.secret_keys else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.rows} rows, {result.files} files, "
                f"{result.public_keys} public keys{secret} from {file}"
            )
        )
        if result.secret_keys_skipped:
            self.stdout.write(
                "The archive holds secret keys; they were not imported "
                f"(set {PASSPHRASE_VARIABLE})."
            )
