"""Exports in the audit log: one event per revision, profile, person and day, naming the profile;
the same text shown or downloaded again that day adds nothing, and the chain stays intact."""

from __future__ import annotations

import datetime
import time
from io import StringIO
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import exports, roles
from content.models import AuditEvent, ExportProfile, Post
from content.revisions import create_post
from tests.support import content_of, publish_latest
from tests.threads import run_together

pytestmark = pytest.mark.usefixtures("export_settings")


def export(client: Client, post: Post, profile: str, **extra: str) -> None:
    response = client.post(
        reverse("content:post_export", args=[post.pk]),
        {"profile": profile, "version": "final", **extra},
    )
    assert response.status_code == 200


def exported() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED))


def test_opening_the_export_ten_times_adds_one_audit_row_per_profile_and_day(
    author_client, published
) -> None:
    for _ in range(10):
        export(author_client, published, "xenforo")
    (event,) = exported()
    assert event.details["profile"] == "xenforo"
    assert event.details["profile_name"] == "XenForo forum"
    export(author_client, published, "phpbb")
    assert sorted(e.details["profile"] for e in exported()) == ["phpbb", "xenforo"]


def test_a_download_after_a_view_the_same_day_adds_nothing(author_client, published) -> None:
    export(author_client, published, "xenforo")
    export(author_client, published, "xenforo", download="1")
    assert len(exported()) == 1


def test_another_person_or_another_day_is_a_new_event(author_client, published, make_user) -> None:
    export(author_client, published, "xenforo")
    other = Client()
    other.force_login(make_user("carla", roles.AUTHORS))
    export(other, published, "xenforo")
    assert len(exported()) == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("content.exports.timezone.localdate", return_value=tomorrow):
        export(author_client, published, "xenforo")
    assert len(exported()) == 3


def test_a_new_signature_of_the_same_text_is_a_new_event(
    author_client, published, signed_profile
) -> None:
    export(author_client, published, signed_profile.slug)
    export(author_client, published, signed_profile.slug)  # the cached signature
    assert len(exported()) == 1
    cache.clear()
    time.sleep(1.1)  # a signature names its second
    export(author_client, published, signed_profile.slug)
    first, second = exported()
    assert first.details["part_hashes"] != second.details["part_hashes"]


def test_the_audit_chain_stays_intact_and_the_log_names_the_profile(
    author_client, published, editor
) -> None:
    for _ in range(3):
        export(author_client, published, "xenforo")
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()
    editor_client = Client()
    editor_client.force_login(editor)
    log = editor_client.get(reverse("content:audit_log"), {"action": "exported"})
    assert "XenForo forum" in log.content.decode()
    timeline = editor_client.get(reverse("content:post_timeline", args=[published.pk]))
    assert "(revision 1) with “XenForo forum”" in timeline.content.decode()


def test_an_export_command_run_twice_the_same_day_is_recorded_once(published) -> None:
    for _ in range(2):
        call_command("export_post", published.slug, "--profile", "xenforo", stdout=StringIO())
    (event,) = exported()
    assert event.actor is None and event.details["system"] == "export_post"


@pytest.mark.django_db(transaction=True)
def test_two_showings_at_the_same_moment_are_recorded_once(author, reviewer, english) -> None:
    # Transactional tests flush the seeded profiles, so this test makes its own.
    profile = ExportProfile.objects.create(
        name="Forum", slug="forum", format="bbcode", dialect="phpbb3"
    )
    post = create_post(author=author, language=english, kind="article", content=content_of())
    publish_latest(post, author=author, reviewer=reviewer)

    def show() -> object:
        return exports.export_post(
            post=Post.objects.get(pk=post.pk), profile=profile, actor=author, final=True
        )

    outcomes = run_together(show, show)
    assert all(isinstance(outcome, exports.Outcome) for outcome in outcomes), outcomes
    assert len(exported()) == 1
