from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from content import interaction_import


class Command(BaseCommand):
    help = (
        "Read a combinations chart in TripSit's JSON format and show what it would change in "
        "the interaction table; with --apply, record the changes as proposals by --editor, "
        "which take effect once another person approves them in the studio."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The chart (JSON), a file you supply.")
        parser.add_argument("--apply", action="store_true", help="Record the proposals.")
        parser.add_argument("--editor", default="", help="Username of the proposing editor.")

    def handle(self, *args: Any, file: Path, apply: bool, editor: str, **options: Any) -> None:
        try:
            chart = json.loads(file.read_text(encoding="utf-8"))
            plan = interaction_import.plan(chart)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} cannot be read as JSON: {error}") from error
        except interaction_import.ChartError as error:
            raise CommandError(str(error)) from error
        for line in interaction_import.describe(plan):
            self.stdout.write(line)
        if not apply:
            self.stdout.write("Nothing was changed (a dry run); add --apply --editor USERNAME.")
            return
        if not editor:
            raise CommandError("--apply needs --editor: the person who proposes the changes.")
        person = get_user_model().objects.filter(username=editor, is_active=True).first()
        if person is None:
            raise CommandError(f"There is no active user {editor!r}.")
        try:
            proposals = interaction_import.apply(plan, editor=person, source=file.name)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            f"{len(proposals)} proposals recorded by {editor}; another editor or a reviewer "
            "approves them in the studio (Interactions)."
        )
