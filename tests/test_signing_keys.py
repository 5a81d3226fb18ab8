"""Retiring and revoking signing keys: editors only, audited, and readers see the result."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from content import exports, signing_keys
from content.exporters import SigningError
from content.exporters.signing import generate_key
from content.models import AuditEvent, ExportProfile, SigningKey
from tests.support import key_record

pytestmark = pytest.mark.usefixtures("export_settings")


LIFECYCLE_ACTIONS = [AuditEvent.Action.SIGNING_KEY_RETIRED, AuditEvent.Action.SIGNING_KEY_REVOKED]


@pytest.fixture
def own_key(own_store, db) -> SigningKey:
    fingerprint = generate_key(own_store, name="Own", email="own@example.org")
    return key_record(own_store, fingerprint, "Own")


def gpg_says_revoked(home: str, fingerprint: str) -> bool:
    listing = subprocess.run(
        ["gpg", "--homedir", home, "--with-colons", "--list-keys", fingerprint],
        capture_output=True,
        check=True,
    ).stdout.decode()
    pub = next(line for line in listing.splitlines() if line.startswith("pub:"))
    return pub.split(":")[1] == "r"


def test_an_editor_retires_a_key_and_profiles_can_no_longer_sign_with_it(
    client, editor, author, published, signed_profile, team_key
):
    client.force_login(editor)
    response = client.post(
        reverse("content:key_retire", args=[team_key.pk]), {"reason": "Moved to a new key"},
        follow=True,
    )  # fmt: skip
    assert b"is retired" in response.content
    team_key.refresh_from_db()
    assert team_key.status == SigningKey.Status.RETIRED and team_key.status_changed_at
    assert team_key.status_reason == "Moved to a new key"
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNING_KEY_RETIRED)
    assert event.actor == editor and event.details["fingerprint"] == team_key.fingerprint
    profile = ExportProfile.objects.get(pk=signed_profile.pk)
    with pytest.raises(SigningError, match="is retired and never signs again"):
        exports.export_post(post=published, profile=profile, actor=author, final=True)


def test_switching_a_retired_key_on_again_does_not_let_it_sign(
    editor, author, published, signed_profile, team_key
):
    signing_keys.retire_signing_key(key=team_key, actor=editor)
    team_key.refresh_from_db()
    signing_keys.set_key_active(key=team_key, actor=editor, active=True)
    profile = ExportProfile.objects.get(pk=signed_profile.pk)
    with pytest.raises(SigningError, match="retired"):
        exports.export_post(post=published, profile=profile, actor=author, final=True)


def test_switching_a_revoked_key_on_again_does_not_let_it_sign(
    editor, author, published, signed_profile, team_key
):
    # Marked revoked on the record only: revoking in gpg would spoil the shared key store.
    SigningKey.objects.filter(pk=team_key.pk).update(status=SigningKey.Status.REVOKED)
    team_key.refresh_from_db()
    signing_keys.set_key_active(key=team_key, actor=editor, active=True)
    profile = ExportProfile.objects.get(pk=signed_profile.pk)
    with pytest.raises(SigningError, match="revoked"):
        exports.export_post(post=published, profile=profile, actor=author, final=True)


def test_a_key_cannot_be_retired_twice(editor, team_key):
    signing_keys.retire_signing_key(key=team_key, actor=editor)
    with pytest.raises(SigningError, match="already Retired"):
        signing_keys.retire_signing_key(key=team_key, actor=editor)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGNING_KEY_RETIRED).count() == 1


@pytest.mark.parametrize("role", ["author", "reviewer"])
@pytest.mark.parametrize("action", ["key_retire", "key_revoke"])
def test_authors_and_reviewers_cannot_retire_or_revoke_even_with_crafted_posts(
    request, client, team_key, role, action
):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse(f"content:{action}", args=[team_key.pk]), {"reason": "x"})
    assert response.status_code == 403
    team_key.refresh_from_db()
    assert team_key.status == SigningKey.Status.CURRENT
    assert not AuditEvent.objects.filter(action__in=LIFECYCLE_ACTIONS).exists()


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_the_services_check_their_own_permission(request, team_key, role):
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        signing_keys.retire_signing_key(key=team_key, actor=actor)
    with pytest.raises(PermissionDenied):
        signing_keys.revoke_signing_key(key=team_key, actor=actor, reason="x")
    team_key.refresh_from_db()
    assert team_key.status == SigningKey.Status.CURRENT


def test_revoking_without_a_certificate_lets_gpg_revoke_the_published_key(
    client, editor, own_key, own_store, tmp_path
):
    client.force_login(editor)
    assert client.get(reverse("content:key_revoke", args=[own_key.pk])).status_code == 200
    response = client.post(
        reverse("content:key_revoke", args=[own_key.pk]),
        {"reason": "Laptop stolen", "reason_code": signing_keys.RevocationReason.COMPROMISED},
    )
    assert response.status_code == 302
    own_key.refresh_from_db()
    assert own_key.status == SigningKey.Status.REVOKED and own_key.status_reason == "Laptop stolen"
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNING_KEY_REVOKED)
    assert event.actor == editor and event.details["how"] == "generated by gpg"
    # A reader importing /pgp.txt into an empty gpg learns of the revocation.
    reader = tempfile.mkdtemp(prefix="rdr-", dir="/tmp")
    try:
        key_file = Path(tmp_path / "pgp.txt")
        key_file.write_bytes(client.get(reverse("public:pgp_txt")).content)
        subprocess.run(["gpg", "--homedir", reader, "--batch", "--import", str(key_file)],
                       capture_output=True, check=True)  # fmt: skip
        assert gpg_says_revoked(reader, own_key.fingerprint)
    finally:
        shutil.rmtree(reader, ignore_errors=True)
    page = client.get(reverse("public:pgp")).content.decode()
    assert "Revoked key" in page and "Laptop stolen" in page
    assert f"since {timezone.localtime(own_key.status_changed_at):%Y-%m-%d}" in page
    assert "do not trust texts signed with it" in page


def test_revoking_with_the_certificate_gpg_made_at_generation_imports_it(
    editor, own_key, own_store
):
    certificate = (Path(own_store) / "openpgp-revocs.d" / f"{own_key.fingerprint}.rev").read_text()
    signing_keys.revoke_signing_key(
        key=own_key, actor=editor, reason="Superseded", certificate=certificate
    )
    assert gpg_says_revoked(own_store, own_key.fingerprint)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNING_KEY_REVOKED)
    assert event.details["how"] == "certificate imported"


def test_a_certificate_for_another_key_is_refused_and_nothing_is_revoked(
    editor, own_key, own_store
):
    other = generate_key(own_store, name="Other", email="other@example.org")
    certificate = (Path(own_store) / "openpgp-revocs.d" / f"{other}.rev").read_text()
    with pytest.raises(SigningError, match="does not revoke"):
        signing_keys.revoke_signing_key(
            key=own_key, actor=editor, reason="x", certificate=certificate
        )
    own_key.refresh_from_db()
    assert own_key.status == SigningKey.Status.CURRENT
    assert not gpg_says_revoked(own_store, own_key.fingerprint)
    assert not gpg_says_revoked(own_store, other)  # checked before import: nothing imported


def test_a_pasted_secret_key_is_refused_as_a_certificate(editor, own_key):
    with pytest.raises(SigningError, match="secret key"):
        signing_keys.revoke_signing_key(
            key=own_key,
            actor=editor,
            reason="x",
            certificate="-----BEGIN PGP PRIVATE KEY BLOCK-----\n...",
        )


def test_a_key_without_secret_or_certificate_is_recorded_revoked_with_date_and_reason(
    client, editor, gpg_keys, db
):
    ghost = SigningKey.objects.create(fingerprint="B" * 40, label="Ghost")
    signing_keys.revoke_signing_key(key=ghost, actor=editor, reason="Lost the key")
    ghost.refresh_from_db()
    assert ghost.status == SigningKey.Status.REVOKED and ghost.status_changed_at
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNING_KEY_REVOKED)
    assert event.details["how"].startswith("recorded only")
    with pytest.raises(SigningError, match="already revoked"):
        signing_keys.revoke_signing_key(key=ghost, actor=editor, reason="again")


def test_revoking_needs_a_public_reason(client, editor, own_key):
    client.force_login(editor)
    response = client.post(reverse("content:key_revoke", args=[own_key.pk]), {"reason": " "})
    assert response.status_code == 400 and b"why the key is revoked" in response.content
    own_key.refresh_from_db()
    assert own_key.status == SigningKey.Status.CURRENT


def test_the_studio_key_list_shows_status_and_offers_retire_and_revoke(client, editor, team_key):
    client.force_login(editor)
    page = client.get(reverse("content:key_list")).content.decode()
    assert reverse("content:key_retire", args=[team_key.pk]) in page
    assert reverse("content:key_revoke", args=[team_key.pk]) in page
    signing_keys.retire_signing_key(key=team_key, actor=editor, reason="Old")
    page = client.get(reverse("content:key_list")).content.decode()
    assert "retired" in page and reverse("content:key_retire", args=[team_key.pk]) not in page


def test_a_key_made_in_the_studio_records_gpg_s_creation_date(editor, own_store, db):
    key = signing_keys.generate_signing_key(
        name="New", email="new@example.org", label="New", expire="1y", actor=editor
    )
    assert key.created is not None and key.status == SigningKey.Status.CURRENT
    assert key.created == signing_keys.gpg_key_details()[key.fingerprint].created


@pytest.mark.parametrize("action", ["import", "revoke"])
def test_a_broken_key_store_is_a_clear_message_in_the_studio_not_a_500(
    client, editor, team_key, settings, tmp_path, action
):
    broken = tmp_path / "not-a-directory"
    broken.write_text("x")
    settings.GNUPG_HOME = str(broken)
    client.force_login(editor)
    if action == "import":
        url = reverse("content:key_import")
        data = {"label": "New", "armored": "-----BEGIN PGP PRIVATE KEY BLOCK-----\nxx\n"}
    else:
        url = reverse("content:key_revoke", args=[team_key.pk])
        data = {"reason": "Laptop lost", "reason_code": "1"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "key store (GNUPG_HOME) cannot be used" in response.content.decode()
    team_key.refresh_from_db()
    assert team_key.status == SigningKey.Status.CURRENT


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_the_key_services_themselves_refuse_anyone_but_an_editor(request, role, team_key):
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        signing_keys.set_key_active(key=team_key, actor=actor, active=False)
    with pytest.raises(PermissionDenied):
        signing_keys.generate_signing_key(
            name="X", email="x@example.org", label="X", expire="1y", actor=actor
        )
    with pytest.raises(PermissionDenied):
        signing_keys.import_signing_key(
            armored="-----BEGIN PGP PRIVATE KEY BLOCK-----", label="X", actor=actor
        )
    team_key.refresh_from_db()
    assert team_key.active and SigningKey.objects.count() == 1
