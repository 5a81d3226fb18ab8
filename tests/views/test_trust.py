"""What a reader downloads: /pgp.txt, /pgp/, /canary.txt, /mirrors.txt, checked with stock gpg."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content import signing_keys
from content.models import SigningKey
from tests.support import ONION, SITE, key_record

pytestmark = pytest.mark.usefixtures("export_settings")


@pytest.fixture
def reader_home() -> Iterator[Path]:
    """A reader's own, empty gpg home: nothing in it but what they import from us."""
    home = Path(tempfile.mkdtemp(prefix="rdr-", dir="/tmp"))
    try:
        yield home
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


def gpg(home: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["gpg", "--homedir", str(home), "--batch", *args],
        input=stdin,
        capture_output=True,
        check=False,
    )


def download(client, name: str) -> bytes:
    response = client.get(reverse(f"public:{name}"))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content


def imported_fingerprints(home: Path) -> list[str]:
    listing = gpg(home, "--with-colons", "--list-keys").stdout.decode()
    return [line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")]


def test_a_reader_imports_pgp_txt_into_an_empty_gpg_and_verifies_canary_and_mirrors(
    client, team_key, reader_home, tmp_path
):
    call_command("sign_statements", "--days", "30", stdout=io.StringIO())
    key_file = tmp_path / "pgp.txt"
    key_file.write_bytes(download(client, "pgp_txt"))
    assert gpg(reader_home, "--import", str(key_file)).returncode == 0
    assert imported_fingerprints(reader_home) == [team_key.fingerprint]
    for name in ("canary_txt", "mirrors_txt"):
        served = tmp_path / name
        served.write_bytes(download(client, name))
        checked = gpg(reader_home, "--status-fd", "1", "--verify", str(served))
        assert checked.returncode == 0, checked.stderr
        assert f"VALIDSIG {team_key.fingerprint}".encode() in checked.stdout


def test_one_changed_character_in_a_signed_statement_fails_gpg_verify(
    client, team_key, reader_home, tmp_path
):
    call_command("sign_statements", stdout=io.StringIO())
    key_file = tmp_path / "pgp.txt"
    key_file.write_bytes(download(client, "pgp_txt"))
    gpg(reader_home, "--import", str(key_file))
    for name, line in (("canary_txt", "legal demand"), ("mirrors_txt", SITE)):
        served = download(client, name).decode()
        assert line in served
        tampered = tmp_path / f"{name}.tampered"
        tampered.write_text(served.replace(line, line[:-1] + chr(ord(line[-1]) ^ 1), 1))
        checked = gpg(reader_home, "--verify", str(tampered))
        assert checked.returncode != 0
        assert b"BAD signature" in checked.stderr


def test_the_canary_states_date_validity_no_orders_addresses_and_fingerprint(client, team_key):
    call_command("sign_statements", "--days", "14", stdout=io.StringIO())
    canary = download(client, "canary_txt").decode()
    today = timezone.now()
    assert canary.startswith("-----BEGIN PGP SIGNED MESSAGE-----\n")
    assert f"Date: {today:%Y-%m-%d}" in canary
    assert f"Valid until: {today + timedelta(days=14):%Y-%m-%d}" in canary
    assert "We have not received any warrant, subpoena, court order, gag order" in canary
    assert f"  {SITE}/\n" in canary and f"  {ONION}/\n" in canary
    assert team_key.grouped_fingerprint in canary
    assert "\n- " not in canary.split("-----BEGIN PGP SIGNATURE-----")[0]  # no dash-escaping


def test_mirrors_list_names_clear_net_onion_and_configured_mirrors(client, team_key, settings):
    settings.PUBLIC_MIRRORS = ["https://mirror.example.net", "http://mirror2xxxxxxxx.onion"]
    call_command("sign_statements", stdout=io.StringIO())
    mirrors = download(client, "mirrors_txt").decode()
    listed = [line.strip() for line in mirrors.splitlines() if line.startswith("  ")]
    assert listed == [
        f"{SITE}/",
        f"{ONION}/",
        "https://mirror.example.net/",
        "http://mirror2xxxxxxxx.onion/",
    ]


def test_before_anything_is_signed_the_statements_say_so_with_404(client, db):
    for name, words in (
        ("canary_txt", b"No signed canary has been published"),
        ("mirrors_txt", b"No signed list of our addresses"),
        ("pgp_txt", b"No public key has been published"),
    ):
        response = client.get(reverse(f"public:{name}"))
        assert response.status_code == 404
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert words in response.content and b"BEGIN PGP" not in response.content


def test_an_expired_canary_is_served_with_a_plain_warning_outside_the_signed_text(
    client, team_key, monkeypatch, reader_home, tmp_path
):
    call_command("sign_statements", "--days", "7", stdout=io.StringIO())
    fresh = download(client, "canary_txt").decode()
    assert "WARNING" not in fresh
    later = timezone.now() + timedelta(days=8)
    monkeypatch.setattr(timezone, "now", lambda: later)
    stale = download(client, "canary_txt").decode()
    warning, signed = stale.split("-----BEGIN PGP SIGNED MESSAGE-----", 1)
    assert "this canary expired on" in warning and "Assume something is wrong" in warning
    assert "-----BEGIN PGP SIGNED MESSAGE-----" + signed == fresh
    key_file, stale_file = tmp_path / "pgp.txt", tmp_path / "canary.txt"
    key_file.write_bytes(download(client, "pgp_txt"))
    stale_file.write_text(stale)
    gpg(reader_home, "--import", str(key_file))
    assert gpg(reader_home, "--verify", str(stale_file)).returncode == 0  # the old text, still ours
    page = client.get(reverse("public:pgp")).content.decode()
    assert "expired, assume something is wrong" in page


def test_pgp_txt_holds_no_secret_key_and_lists_retired_keys(
    client, gpg_keys, team_key, editor, reader_home, tmp_path
):
    old = key_record(gpg_keys.home, gpg_keys.expired, "Old key")
    signing_keys.retire_signing_key(key=old, actor=editor, reason="Replaced by the team key")
    served = download(client, "pgp_txt")
    assert b"PRIVATE KEY" not in served and b"BEGIN PGP PUBLIC KEY BLOCK" in served
    key_file = tmp_path / "pgp.txt"
    key_file.write_bytes(served)
    gpg(reader_home, "--import", str(key_file))
    expected = sorted([old.fingerprint, team_key.fingerprint])
    assert sorted(imported_fingerprints(reader_home)) == expected
    assert gpg(reader_home, "--list-secret-keys", "--with-colons").stdout == b""


def test_the_pgp_page_shows_fingerprint_user_ids_dates_and_status(
    client, gpg_keys, team_key, editor
):
    old = key_record(gpg_keys.home, gpg_keys.expired, "Old key")
    signing_keys.retire_signing_key(key=old, actor=editor, reason="Replaced <b>soon</b>")
    response = client.get(reverse("public:pgp"))
    assert response.status_code == 200
    page = response.content.decode()
    assert team_key.grouped_fingerprint in page and old.grouped_fingerprint in page
    assert "Team &lt;team@example.org&gt;" in page and "Old &lt;old@example.org&gt;" in page
    assert f"{timezone.localdate():%Y-%m-%d}" in page  # created today, by the session fixture
    assert "(expired)" in page and "Retired key" in page and "Current key" in page
    assert "Replaced &lt;b&gt;soon&lt;/b&gt;" in page  # the public reason, escaped
    assert page.index(team_key.grouped_fingerprint) < page.index(old.grouped_fingerprint)
    assert "gpg --import pgp.txt" in page and "gpg --verify" in page
    assert 'href="/verify/"' in page and "<script" not in page


def test_a_recorded_key_missing_from_the_key_store_is_left_out_with_a_warning(
    client, team_key, caplog
):
    ghost = SigningKey.objects.create(fingerprint="A" * 40, label="Ghost")
    with caplog.at_level(logging.WARNING, logger="content.trust"):
        served = download(client, "pgp_txt")
        page = client.get(reverse("public:pgp")).content.decode()
    assert b"BEGIN PGP PUBLIC KEY BLOCK" in served
    assert ghost.grouped_fingerprint not in page and team_key.grouped_fingerprint in page
    assert "Ghost" in caplog.text and "not in the key store" in caplog.text


def test_keys_on_record_but_missing_from_the_key_store_answer_503_not_no_key(
    client, team_key, settings
):
    # Saying "no key here" would tell readers that our genuine signatures are not ours.
    settings.GNUPG_HOME = tempfile.mkdtemp(prefix="gone-", dir="/tmp")
    try:
        served = client.get(reverse("public:pgp_txt"))
        page = client.get(reverse("public:pgp"))
    finally:
        shutil.rmtree(settings.GNUPG_HOME, ignore_errors=True)
    assert served.status_code == 503 and page.status_code == 503
    for response in (served, page):
        assert b"No public key has been published" not in response.content


def test_the_pgp_page_without_any_key_says_so_plainly(client, db):
    response = client.get(reverse("public:pgp"))
    assert response.status_code == 200
    assert b"No public key has been published here yet" in response.content
