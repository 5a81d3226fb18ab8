"""Helpers the tests share (not fixtures): public addresses, keys on record, publishing.

Fixtures live in tests/conftest.py; these are plain functions and constants to import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from content import workflow
from content.exporters.signing import list_keys
from content.models import ExportProfile, Post, SigningKey

SITE = "https://hr.example.org"
ONION = "http://hrexamplexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


@dataclass(frozen=True)
class Keys:
    home: str
    team: str
    expired: str


def key_record(home: str, fingerprint: str, label: str) -> SigningKey:
    info = next(k for k in list_keys(home, secret=True) if k.fingerprint == fingerprint)
    return SigningKey.objects.create(
        fingerprint=fingerprint, label=label, uids=list(info.uids), expires=info.expires
    )


def profile(slug: str) -> ExportProfile:
    return ExportProfile.objects.get(slug=slug)


def publish_latest(post: Post, *, author: Any, reviewer: Any) -> Post:
    """Through the real workflow: submit, approve, publish."""
    post = workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    return workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)
