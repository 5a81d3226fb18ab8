from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content import trust
from content.exporters import SigningError


class Command(BaseCommand):
    help = (
        "Sign a fresh warrant canary (/canary.txt) and mirror list (/mirrors.txt) and publish "
        "them. Safe to run from a scheduler: each run adds a new pair, the newest is served."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=trust.DEFAULT_CANARY_DAYS,
            help=f"How long the canary is valid (default {trust.DEFAULT_CANARY_DAYS}).",
        )

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        try:
            canary, _mirrors = trust.sign_statements(days=days)
        except SigningError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Signed canary and mirror list with {canary.fingerprint}; "
            f"canary valid until {canary.valid_until:%Y-%m-%d}."
        )
