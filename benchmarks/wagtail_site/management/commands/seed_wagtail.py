"""Publish the one page of the Wagtail comparison, holding the given HTML, at /bench-post/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from wagtail.models import Page, Site

from benchmarks.wagtail_site.models import BenchPage

SLUG = "bench-post"


class Command(BaseCommand):
    help = "Publish the benchmark's Wagtail page with the HTML of the post page measured."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--html-file", required=True)
        parser.add_argument("--title", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        html = Path(options["html_file"]).read_text(encoding="utf-8")
        home = Site.objects.get(is_default_site=True).root_page
        Page.objects.filter(slug=SLUG).delete()
        page = BenchPage(title=options["title"], slug=SLUG, body=html)
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"Published {page.url_path} ({len(html):,} characters of HTML).")
