from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from content.demo import DEFAULT_PASSWORD, seed, seed_signing
from content.demo_data import DEMO_ONION_URL
from content.exporters import SigningError


class Command(BaseCommand):
    help = (
        "Create demo accounts (authors, reviewers, an editor), demo posts and an export profile "
        "for every forum format; in development (DEBUG=1) also a demo signing key, profiles "
        "that sign with it and a signed canary. Safe to rerun."
    )

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
        self._signing()
        self._onion()

    def _signing(self) -> None:
        if not settings.DEBUG:
            self.stdout.write(
                self.style.WARNING("No demo signing key: it is made in development only (DEBUG=1).")
            )
            return
        try:
            signing = seed_signing()
        except SigningError as error:  # gpg missing or broken: the rest of the demo still works
            self.stderr.write(self.style.WARNING(f"No demo signing: {error}"))
            return
        made = "made" if signing.key_created else "already there"
        self.stdout.write(f"Demo signing key ({made}): {signing.key}")
        names = ", ".join(profile.name for profile in signing.profiles)
        self.stdout.write(f"Profiles that sign with it: {names}")
        if signing.statements_signed:
            self.stdout.write("Signed the canary (/canary.txt) and mirror list (/mirrors.txt).")

    def _onion(self) -> None:
        if settings.PUBLIC_ONION_URL == DEMO_ONION_URL:
            self.stdout.write(f"Onion address (fake, for the demo): {DEMO_ONION_URL}")
        elif not settings.PUBLIC_ONION_URL:
            self.stdout.write(
                self.style.WARNING(
                    "PUBLIC_ONION_URL is not set, so Tor profiles export previews only; "
                    f"`make run` sets the fake {DEMO_ONION_URL}."
                )
            )
