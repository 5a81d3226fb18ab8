from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from content.demo import DEFAULT_PASSWORD, seed


class Command(BaseCommand):
    help = "Create demo accounts (authors, reviewers, an editor) and demo posts. Safe to rerun."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password for every demo account (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args: Any, password: str, **options: Any) -> None:
        result = seed(password=password)
        self.stdout.write("Demo accounts (all with the password below):")
        for username, role in result.users:
            self.stdout.write(f"  {username:<8} {role}")
        self.stdout.write(f"Password: {password}")
        created, existing = result.posts_created, result.posts_existing
        self.stdout.write(
            self.style.SUCCESS(f"Demo posts: {created} created, {existing} already there.")
        )
