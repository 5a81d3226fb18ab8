"""seed_demo for a newcomer: a profile for every format and dialect, and in development a demo
signing key, profiles that sign with it, a signed canary and a fake onion address, so that the
demo exports every post as final through every profile without the admin."""

from __future__ import annotations

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from content import demo, exports
from content.demo_data import DEMO_KEY_LABEL, DEMO_ONION_URL, DEMO_SIGNED_PROFILES
from content.exporters.registry import dialects_by_format
from content.exporters.signing import list_keys
from content.models import AuditEvent, ExportProfile, Post, SignedStatement, SigningKey
from content.trust import newest_statement
from tests.readers import gpg_verify
from tests.support import SITE

ROOT = Path(__file__).resolve().parent.parent
DEMO_POST = "high-dose-mdma-pills-orange-tesla"  # published, in force


def run() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def development(settings, own_store):
    """As `make run` has it: DEBUG on, a key store of its own, the fake onion address."""
    settings.DEBUG = True
    settings.PUBLIC_SITE_URL = SITE
    settings.PUBLIC_ONION_URL = DEMO_ONION_URL
    settings.GNUPG_PASSPHRASE = ""
    return settings


@pytest.mark.django_db
def test_every_format_and_dialect_has_a_seeded_profile(development) -> None:
    run()
    active = ExportProfile.objects.filter(active=True)
    seeded = set(active.values_list("format", "dialect"))
    for fmt, dialects in dialects_by_format().items():
        for dialect in dialects:
            assert (fmt, dialect) in seeded, (fmt, dialect)


@pytest.mark.django_db
def test_in_development_a_demo_key_signs_the_demo_profiles_and_the_canary(development) -> None:
    output = run()
    key = SigningKey.objects.get()
    assert key.label == DEMO_KEY_LABEL and "DEMO KEY" in output
    (info,) = [k for k in list_keys(development.GNUPG_HOME, secret=True)]
    assert info.fingerprint == key.fingerprint
    assert any("DEMO KEY" in uid and "development only" in uid for uid in info.uids)
    for slug in DEMO_SIGNED_PROFILES:
        profile = ExportProfile.objects.get(slug=slug)
        assert profile.sign and profile.signing_key == key
    for kind in (SignedStatement.Kind.CANARY, SignedStatement.Kind.MIRRORS):
        statement = newest_statement(kind)
        assert statement is not None and statement.fingerprint == key.fingerprint
        assert DEMO_ONION_URL in statement.text
        checked = gpg_verify(development.GNUPG_HOME, statement.text)
        assert checked.returncode == 0 and b"Good signature" in checked.stderr, checked.stderr
    assert "Onion address (fake, for the demo)" in output


@pytest.mark.django_db
def test_a_demo_post_exports_as_final_through_every_seeded_profile(development) -> None:
    run()
    post = Post.objects.select_related("language").get(slug=DEMO_POST)
    editor = get_user_model().objects.get(username="eva")
    profiles = list(ExportProfile.objects.filter(active=True))
    assert any(p.tor for p in profiles) and any(p.sign for p in profiles)
    for profile in profiles:
        outcome = exports.export_post(post=post, profile=profile, actor=editor, final=True)
        assert outcome.final and outcome.parts, profile.slug
        if profile.tor:
            assert all(DEMO_ONION_URL in part for part in outcome.parts[-1:]), profile.slug
        if profile.sign:
            assert outcome.result.signed, profile.slug
            for part in outcome.parts:
                checked = gpg_verify(development.GNUPG_HOME, part)
                assert checked.returncode == 0, (profile.slug, checked.stderr)
                assert b"Good signature" in checked.stderr
    exported = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED)
    assert exported.count() == len(profiles)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()


@pytest.mark.django_db
def test_running_seed_demo_twice_in_development_is_harmless(development) -> None:
    run()
    counts = (
        SigningKey.objects.count(),
        ExportProfile.objects.count(),
        SignedStatement.objects.count(),
        AuditEvent.objects.count(),
    )
    output = run()
    assert "already there" in output
    assert (
        SigningKey.objects.count(),
        ExportProfile.objects.count(),
        SignedStatement.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert len(list_keys(development.GNUPG_HOME, secret=True)) == 1


@pytest.mark.django_db
def test_a_new_key_store_gets_a_new_demo_key_and_the_profiles_follow(development, tmp_path):
    run()
    first = SigningKey.objects.get()
    development.GNUPG_HOME = str(tmp_path / "g")  # as if the key store were emptied
    Path(development.GNUPG_HOME).mkdir(mode=0o700)
    try:
        run()
        second = SigningKey.objects.exclude(pk=first.pk).get()
        for slug in DEMO_SIGNED_PROFILES:
            assert ExportProfile.objects.get(slug=slug).signing_key == second
        assert newest_statement(SignedStatement.Kind.CANARY).fingerprint == second.fingerprint
    finally:
        subprocess.run(["gpgconf", "--homedir", development.GNUPG_HOME, "--kill", "all"])


@pytest.mark.django_db
def test_without_debug_no_demo_key_is_made_and_signing_is_refused(settings, own_store) -> None:
    settings.DEBUG = False
    output = run()
    assert "development only" in output
    assert not SigningKey.objects.exists() and not SignedStatement.objects.exists()
    assert not ExportProfile.objects.filter(sign=True).exists()
    with pytest.raises(ImproperlyConfigured, match="development only"):
        demo.seed_signing()
    assert list_keys(settings.GNUPG_HOME, secret=True) == []


def test_make_run_takes_a_port_and_gives_the_demo_a_fake_onion_address() -> None:
    done = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "runserver 127.0.0.1:8001" in done.stdout
    assert "http://127.0.0.1:8001/studio/" in done.stdout and ":8000" not in done.stdout
    makefile = (ROOT / "Makefile").read_text()
    assert f"PUBLIC_ONION_URL ?= {DEMO_ONION_URL}" in makefile


@pytest.mark.django_db
def test_when_gpg_cannot_sign_the_rest_of_the_demo_is_still_seeded(development) -> None:
    development.PUBLIC_MIRRORS = ["not an address"]  # the canary cannot be written
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    assert "No demo signing" in err.getvalue()
    assert Post.objects.filter(slug=DEMO_POST).exists()
    assert not SignedStatement.objects.exists()
