"""Signing the canary and mirror list: which key signs, the command, storage, supersession."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from content import signing_keys, trust
from content.exporters.signing import SigningError, generate_key, verify
from content.models import AuditEvent, SignedStatement, SigningKey
from tests.support import key_record

pytestmark = pytest.mark.usefixtures("export_settings")


def sign(*args: str) -> str:
    out = io.StringIO()
    call_command("sign_statements", *args, stdout=out)
    return out.getvalue()


def test_sign_statements_signs_stores_audits_and_prints_one_line(team_key, gpg_keys):
    out = sign("--days", "10")
    assert out.count("\n") == 1
    assert out.startswith(f"Signed canary and mirror list with {team_key.fingerprint}")
    canary = trust.newest_statement(SignedStatement.Kind.CANARY)
    mirrors = trust.newest_statement(SignedStatement.Kind.MIRRORS)
    assert canary and mirrors and f"{canary.valid_until:%Y-%m-%d}" in out
    validity = canary.valid_until - canary.created_at
    assert abs(validity - timedelta(days=10)) < timedelta(minutes=1)
    assert mirrors.valid_until is None
    assert verify(gpg_keys.home, canary.text) == team_key.fingerprint
    assert verify(gpg_keys.home, mirrors.text) == team_key.fingerprint
    event = AuditEvent.objects.get(action=AuditEvent.Action.STATEMENT_SIGNED)
    assert event.actor is None and event.details["fingerprint"] == team_key.fingerprint
    assert event.details["system"] == "sign_statements"  # the command, never a person


def test_a_second_run_supersedes_the_first_and_the_newest_is_served(client, team_key):
    sign()
    first = trust.newest_statement(SignedStatement.Kind.CANARY)
    sign("--days", "60")
    newest = trust.newest_statement(SignedStatement.Kind.CANARY)
    assert newest.pk != first.pk and newest.valid_until > first.valid_until
    assert SignedStatement.objects.count() == 4
    assert client.get(reverse("public:canary_txt")).content.decode() == newest.text


def test_without_a_usable_key_the_command_exits_1_with_a_clear_message(gpg_keys, db):
    with pytest.raises(CommandError, match="No key can sign the canary") as failure:
        sign()
    assert failure.value.returncode == 1
    key_record(gpg_keys.home, gpg_keys.expired, "Old key")  # expired: never chosen
    with pytest.raises(CommandError, match="No key can sign the canary"):
        sign()
    assert not SignedStatement.objects.exists()


def test_a_retired_key_no_longer_signs_statements(team_key, editor):
    signing_keys.retire_signing_key(key=team_key, actor=editor)
    with pytest.raises(CommandError, match="No key can sign the canary"):
        sign()


def test_a_switched_off_key_no_longer_signs_statements(team_key, editor):
    signing_keys.set_key_active(key=team_key, actor=editor, active=False)
    with pytest.raises(SigningError, match="No key can sign the canary"):
        trust.statement_key()


@pytest.mark.parametrize("days", ["0", "367"])
def test_the_canary_validity_is_bounded(team_key, days):
    with pytest.raises(CommandError, match="valid for 1 to 366 days"):
        sign("--days", days)


def test_the_newest_current_key_signs_statements(own_store, editor, db):
    older = key_record(own_store, generate_key(own_store, name="A", email="a@example.org"), "A")
    subprocess.run(["sleep", "1.1"], check=True)  # gpg's creation dates are in whole seconds
    newer = key_record(own_store, generate_key(own_store, name="B", email="b@example.org"), "B")
    assert trust.statement_key() == newer
    signing_keys.retire_signing_key(key=newer, actor=editor)
    assert trust.statement_key() == older


def test_a_key_whose_secret_is_not_in_the_key_store_does_not_sign_statements(
    own_store, gpg_keys, db
):
    public_only = subprocess.run(
        ["gpg", "--homedir", gpg_keys.home, "--armor", "--export", gpg_keys.team],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["gpg", "--homedir", own_store, "--batch", "--import"], input=public_only,
                   capture_output=True, check=True)  # fmt: skip
    key_record_public = SigningKey.objects.create(fingerprint=gpg_keys.team, label="Pub")
    assert [k.key for k in trust.published_keys()] == [key_record_public]
    with pytest.raises(SigningError, match="No key can sign the canary"):
        trust.statement_key()


def test_a_bad_mirror_address_stops_signing_with_a_message_naming_it(team_key, settings):
    settings.PUBLIC_MIRRORS = ["mirror.example.net"]
    with pytest.raises(CommandError, match=r"“mirror\.example\.net” is not a full http"):
        sign()
    assert not SignedStatement.objects.exists()


def test_only_editors_sign_statements_from_the_studio(team_key, author, editor):
    with pytest.raises(PermissionDenied):
        trust.sign_statements(actor=author)
    canary, _mirrors = trust.sign_statements(actor=editor)
    assert AuditEvent.objects.get(action=AuditEvent.Action.STATEMENT_SIGNED).actor == editor
    assert canary.kind == SignedStatement.Kind.CANARY


def test_signed_statements_are_append_only(team_key):
    sign()
    canary = trust.newest_statement(SignedStatement.Kind.CANARY)
    canary.text = "forged"
    with pytest.raises(TypeError):
        canary.save()
    with pytest.raises(TypeError):
        SignedStatement.objects.update(text="forged")
    with pytest.raises(TypeError):
        SignedStatement.objects.all().delete()
