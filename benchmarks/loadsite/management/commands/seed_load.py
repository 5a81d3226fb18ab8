"""Seed the load benchmark's database: 10,000 posts and 100,000 revisions by default.

A sample of posts is written through the project's own services (create_post, save_revision,
the workflow via content.states, the repost register), with the post whose two ~95 KB revisions
the compare page is measured on; the rest is written in bulk (benchmarks.loadsite.bulk_path),
and a sample of the bulk rows is then checked against what the services compute and write for
the same content, and the whole audit hash chain is verified. A difference stops the command
with an error: these checks run every time.

    DJANGO_SETTINGS_MODULE=benchmarks.settings python manage.py seed_load --posts 10000
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from benchmarks.loadsite import bulk_path, services_path
from benchmarks.loadsite.history import LONG_HISTORY_SLUG, TYPICAL_SLUG
from content.audit_chain import verify_chain
from content.models import AuditEvent, Notification, Post, Repost, Review, ReviewPolicy, Revision


class Command(BaseCommand):
    help = "Seed the load benchmark's posts, revisions, reviews, audit events and reposts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--revisions-per-post", type=int, default=10)
        parser.add_argument("--reposts", type=int, default=3_000)
        parser.add_argument(
            "--sample", type=int, default=36, help="posts written through the services"
        )
        parser.add_argument(
            "--long-history", type=int, default=500, help="revisions of the history page's post"
        )
        parser.add_argument("--bodies", type=int, default=400, help="distinct bodies rendered")
        parser.add_argument("--check", type=int, default=300, help="bulk revisions checked")
        parser.add_argument(
            "--check-services", type=int, default=5, help="of those, rewritten by create_post()"
        )
        parser.add_argument("--chunk", type=int, default=250, help="posts per transaction")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if Post.objects.exists():
            raise CommandError("This database already has posts: seed_load needs an empty one.")
        started = time.monotonic()
        rng = random.Random(options["seed"])  # noqa: S311 - made-up content, not secrets
        team = services_path.ensure_team()
        sample = min(options["sample"], max(options["posts"] - 3, 0))
        with tqdm(total=sample, desc="posts through the services", unit="post") as bar:
            services_path.seed_with_services(rng, team, sample, progress=bar.update)
        with tqdm(total=options["bodies"], desc="bodies rendered", unit="body") as bar:
            pool = bulk_path.BodyPool(rng, options["bodies"], bar.update)
        seeder = bulk_path.BulkSeeder(rng, team, pool)
        count = options["posts"] - sample - 1  # the large-compare post is one of them
        histories = bulk_path.plan_all(
            rng,
            team,
            count=count,
            revisions_per_post=options["revisions_per_post"],
            reposts=options["reposts"],
            long_history=options["long_history"],
            first_index=sample,
            policies={p.kind: p for p in ReviewPolicy.objects.all()},
        )
        with tqdm(total=count, desc="posts in bulk", unit="post") as bar:
            for start in range(0, count, options["chunk"]):
                part = histories[start : start + options["chunk"]]
                seeder.write(part)
                bar.update(len(part))
        self._check(rng, seeder, team, options)
        self._analyze()
        self._report(time.monotonic() - started)

    def _check(
        self,
        rng: random.Random,
        seeder: bulk_path.BulkSeeder,
        team: services_path.Team,
        options: dict[str, Any],
    ) -> None:
        ids = seeder.revision_ids
        typical = list(
            Revision.objects.filter(post__slug=TYPICAL_SLUG).values_list("pk", flat=True)
        )
        sampled = sorted({*rng.sample(ids, min(options["check"], len(ids))), *typical})
        checked = services_path.check_against_services(
            sampled, through_services=options["check_services"], team=team
        )
        self.stdout.write(
            f"Checked {checked} bulk revisions: content hash and stored HTML equal what the "
            f"services compute ({options['check_services']} also rewritten by create_post())."
        )
        # The bulk audit events join the hash chain as the services' do (the queryset's
        # bulk_create links them): the whole chain must verify as `manage.py verify_audit` does.
        chain = verify_chain()
        if not chain.intact:
            raise CommandError(f"{chain.summary()}. The bulk path broke the audit chain.")
        self.stdout.write(chain.summary() + ".")

    def _analyze(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    def _report(self, seconds: float) -> None:
        counts = {
            "posts": Post.objects.count(),
            "revisions": Revision.objects.count(),
            "reviews": Review.objects.count(),
            "audit events": AuditEvent.objects.count(),
            "reposts": Repost.objects.count(),
            "notifications": Notification.objects.count(),
        }
        longest = Revision.objects.filter(post__slug=LONG_HISTORY_SLUG).count()
        self.stdout.write(
            ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + f"; the long history has {longest} revisions. Seeded in {seconds:.0f} s."
        )
