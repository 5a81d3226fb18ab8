"""Switching a signing key off stops signing with it at once, and is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from content import exports
from content.exporters import SigningError
from content.models import AuditEvent, ExportProfile


def toggle(client, key):
    return client.post(reverse("content:key_toggle", args=[key.pk]), follow=True)


def test_an_editor_switches_a_key_off_and_signing_with_it_stops(
    client, editor, author, published, signed_profile, team_key
):
    client.force_login(editor)
    assert b"is switched off" in toggle(client, team_key).content
    team_key.refresh_from_db()
    assert team_key.active is False
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNING_KEY_CHANGED)
    assert event.actor == editor and event.details == {
        "fingerprint": team_key.fingerprint,
        "active": False,
    }
    with pytest.raises(SigningError):
        exports.export_post(post=published, profile=signed_profile, actor=author, final=True)
    toggle(client, team_key)
    profile = ExportProfile.objects.get(pk=signed_profile.pk)
    outcome = exports.export_post(post=published, profile=profile, actor=author, final=True)
    assert outcome.result.signed


def test_an_author_cannot_switch_keys(client, author, team_key):
    client.force_login(author)
    assert client.post(reverse("content:key_toggle", args=[team_key.pk])).status_code == 403
    team_key.refresh_from_db()
    assert team_key.active is True
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGNING_KEY_CHANGED).exists()
