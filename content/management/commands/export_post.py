from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content import actors, exports
from content.exporters import ExportError, SigningError
from content.management.lookups import find_profile
from content.models import Post


def find_post(slug: str, language: str | None) -> Post:
    posts = Post.objects.filter(slug=slug).select_related(
        "language", "latest_revision", "published_revision"
    )
    if language:
        posts = posts.filter(language__code=language)
    found = list(posts[:10])
    if not found:
        where = f" in language “{language}”" if language else ""
        raise CommandError(f"No post with the slug “{slug}”{where}.")
    if len(found) > 1:
        codes = ", ".join(sorted(post.language.code for post in found))
        raise CommandError(f"Several posts have the slug “{slug}” ({codes}); add --language.")
    return found[0]


class Command(BaseCommand):
    help = "Print one post in an export profile's format (the published text, audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--profile", required=True, help="The export profile's slug.")
        parser.add_argument("--language", help="Language code, when several posts share a slug.")
        parser.add_argument(
            "--preview",
            action="store_true",
            help="Print the latest revision as a preview (DRAFT - NOT REVIEWED, never signed).",
        )

    def handle(self, *args: Any, slug: str, profile: str, **options: Any) -> None:
        post = find_post(slug, options["language"])
        try:
            outcome = exports.export_post(
                post=post,
                profile=find_profile(profile),
                actor=actors.command("export_post", actors.EXPORTING),
                final=not options["preview"],
            )
        except (ExportError, SigningError) as error:
            raise CommandError(f"{error} (use --preview for a draft preview)") from error
        total = len(outcome.parts)
        for number, part in enumerate(outcome.parts, start=1):
            if total > 1:
                self.stderr.write(f"--- part {number} of {total} ---")
            self.stdout.write(part)
