from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from content.tasks import Scheduler

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "The periodic schedule: once a day, enqueue the overdue re-review reminders and the "
        "pruning of old task results; at every wake-up (each minute by default), the scheduled "
        "publications and withdrawals that are due (a task worker runs them). Runs until stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=60,
            help="Seconds between looks at the clock (default: a minute, which is how late a "
            "scheduled publication or withdrawal may run).",
        )

    def handle(self, *args: Any, interval: float, **options: Any) -> None:
        scheduler = Scheduler()
        try:
            while True:
                now = timezone.now()
                try:
                    enqueued = scheduler.run_schedules(now) + scheduler.tick(now)
                except DatabaseError:  # a brief outage: log it and look again at the next tick
                    logger.exception("The scheduler could not enqueue its tasks.")
                    enqueued = []
                if enqueued:
                    self.stdout.write(f"{now:%Y-%m-%d %H:%M} enqueued {', '.join(enqueued)}")
                time.sleep(interval)
        except KeyboardInterrupt:  # Ctrl-C: stop quietly, nothing is half done
            self.stdout.write("Scheduler stopped.")
