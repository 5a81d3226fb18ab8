from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from content import tasks
from content.management.lookups import find_profile
from content.models import Post


class Command(BaseCommand):
    help = (
        "Write every published post in an export profile's format into a directory; with "
        "--background, a task worker writes them (the directory is on the worker's machine)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", required=True, help="The export profile's slug.")
        parser.add_argument("--out", required=True, type=Path, help="Directory to write into.")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Enqueue the export as a task and return at once.",
        )

    def handle(self, *args: Any, profile: str, out: Path, background: bool, **options: Any) -> None:
        chosen = find_profile(profile)
        if background:
            # An absolute path: the worker does not run in this command's directory.
            result = tasks.export_posts.enqueue(chosen.slug, str(out.resolve()))
            self.stdout.write(
                self.style.SUCCESS(f"Enqueued the export to {out.resolve()} as task {result.id}.")
            )
            return
        # The raw stream: Django's OutputWrapper ends every write with a newline, which would
        # print each redraw of the bar on a line of its own.
        bar_file = getattr(self.stderr, "_out", self.stderr)

        def progress(posts: list[Post]) -> Iterable[Post]:
            return tqdm(posts, desc=f"Exporting ({chosen.slug})", unit="post", file=bar_file)

        try:
            run = tasks.export_published_posts(chosen, out, progress=progress)
        except OSError as error:
            raise CommandError(f"Cannot write into the directory {out}: {error}") from error
        except tasks.ExportStopped as error:
            raise CommandError(str(error)) from error
        for line in run.skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {run.written} post(s) to {out}; skipped {len(run.skipped)}.")
        )
