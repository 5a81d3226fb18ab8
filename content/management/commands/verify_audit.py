from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content.audit_chain import BATCH, verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain: every event's hash, its link to the one before, no "
        "missing number, and the chain head. Exit code 1 and the first broken link if not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=BATCH, help="Events read per query (memory stays flat)."
        )

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        report = verify_chain(batch=max(batch, 1))
        if not report.intact:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
