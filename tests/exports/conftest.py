"""Fixtures for exports wired to the database: a temporary gpg key store, published posts."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from content import workflow
from content.exporters.signing import generate_key, list_keys
from content.models import ExportProfile, Post, SigningKey

SITE = "https://hr.example.org"
ONION = "http://hrexamplexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


@dataclass(frozen=True)
class Keys:
    home: str
    team: str
    expired: str


@pytest.fixture(scope="session")
def gpg_keys() -> Iterator[Keys]:
    # A short path: gpg-agent's socket lives in the home directory and socket paths are short.
    home = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
    try:
        expired = generate_key(home, name="Old", email="old@example.org", expire="seconds=1")
        team = generate_key(home, name="Team", email="team@example.org")
        time.sleep(1.2)
        yield Keys(home=home, team=team, expired=expired)
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(autouse=True)
def export_settings(settings: Any, gpg_keys: Keys) -> Any:
    settings.GNUPG_HOME = gpg_keys.home
    settings.GNUPG_PASSPHRASE = ""
    settings.PUBLIC_SITE_URL = SITE
    settings.PUBLIC_ONION_URL = ONION
    return settings


def key_record(home: str, fingerprint: str, label: str) -> SigningKey:
    info = next(k for k in list_keys(home, secret=True) if k.fingerprint == fingerprint)
    return SigningKey.objects.create(
        fingerprint=fingerprint, label=label, uids=list(info.uids), expires=info.expires
    )


@pytest.fixture
def team_key(gpg_keys: Keys, db: Any) -> SigningKey:
    return key_record(gpg_keys.home, gpg_keys.team, "Team key")


@pytest.fixture
def signed_profile(team_key: SigningKey) -> ExportProfile:
    profile = ExportProfile.objects.get(slug="phpbb")
    profile.sign, profile.signing_key = True, team_key
    profile.full_clean()
    profile.save()
    return profile


def profile(slug: str) -> ExportProfile:
    return ExportProfile.objects.get(slug=slug)


def publish_latest(post: Post, *, author: Any, reviewer: Any) -> Post:
    """Through the real workflow: submit, approve, publish."""
    post = workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    return workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)


@pytest.fixture
def published(post: Post, author: Any, reviewer: Any) -> Post:
    publish_latest(post, author=author, reviewer=reviewer)
    return Post.objects.select_related("language").get(pk=post.pk)
