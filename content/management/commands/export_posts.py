from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from content import actors, exports
from content.exporters import ExportError, SigningError
from content.management.lookups import find_profile
from content.models import Post


class Command(BaseCommand):
    help = "Write every published post in an export profile's format into a directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", required=True, help="The export profile's slug.")
        parser.add_argument("--out", required=True, type=Path, help="Directory to write into.")

    def handle(self, *args: Any, profile: str, out: Path, **options: Any) -> None:
        chosen = find_profile(profile)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create the directory {out}: {error}") from error
        posts = list(
            Post.objects.published()
            .select_related("language", "published_revision")
            .order_by("language__code", "slug")
        )
        actor = actors.command("export_posts", actors.EXPORTING)
        written, skipped = 0, []
        # The raw stream: Django's OutputWrapper ends every write with a newline, which would
        # print each redraw of the bar on a line of its own.
        bar_file = getattr(self.stderr, "_out", self.stderr)
        for post in tqdm(posts, desc=f"Exporting ({chosen.slug})", unit="post", file=bar_file):
            try:
                outcome = exports.export_post(post=post, profile=chosen, actor=actor, final=True)
            except exports.NotExportable as error:
                skipped.append(f"{post.language.code}/{post.slug}: {error}")
                continue
            except (ExportError, SigningError) as error:
                raise CommandError(f"{post.language.code}/{post.slug}: {error}") from error
            name, data, _content_type = outcome.download()
            (out / f"{post.language.code}-{name}").write_bytes(data)
            written += 1
        for line in skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {written} post(s) to {out}; skipped {len(skipped)}.")
        )
