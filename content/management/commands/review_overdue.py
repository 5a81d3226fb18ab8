from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from content import actors
from content.reminders import notify_overdue, overdue_posts


class Command(BaseCommand):
    help = (
        "List published posts whose review is overdue; with --notify, tell the reviewers "
        "(in the app and by e-mail, at most once a day per post), as manage.py run_scheduler "
        "does every day. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notify", action="store_true", help="Notify reviewers.")

    def handle(self, *args: Any, notify: bool, **options: Any) -> None:
        today = timezone.localdate()
        posts = overdue_posts(today)
        for post in posts:
            assert post.review_due is not None  # overdue_posts() compares it with today
            days = (today - post.review_due).days
            self.stdout.write(
                f"{post.language.code}/{post.slug}\tr{post.expect_published_revision().number}\t"
                f"due {post.review_due} ({days} days overdue)"
            )
        actor = actors.command("review_overdue")
        told = notify_overdue(actor=actor, today=today) if notify else []
        summary = f"{len(posts)} overdue post(s)"
        if notify:
            summary += f"; reviewers told about {len(told)}"
            if len(posts) > len(told):
                summary += f" ({len(posts) - len(told)} already today)"
        self.stdout.write(self.style.SUCCESS(summary))
