from __future__ import annotations

import shutil
import subprocess
import tempfile

import pytest

from content.exporters import ExportError, ExportSettings, SigningError, export
from content.exporters.signing import (
    Signer,
    clearsign,
    import_key,
    keystore,
    list_keys,
    verify,
)
from tests.exporters.helpers import ALL_FORMATS, RICH_BODY, rich_document
from tests.readers import forum_variants, gpg_verify, rendered_html, signed_copy
from tests.support import PASSPHRASE, Keys

SIGNED_FORMATS = [(f, d) for f, d in ALL_FORMATS if f != "plaintext"]


def signed(fmt: str, dialect: str, gpg_keys: Keys, **changes: object) -> list[str]:
    profile = ExportSettings(
        format=fmt, dialect=dialect, sign=True, footer_template="{hash}", **changes
    )
    document = rich_document(slug="dosing", body=RICH_BODY + "\n\n" + RICH_BODY)
    result = export(document, profile, signer=Signer(gpg_keys.home, gpg_keys.team))
    assert result.signed
    return result.parts


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_every_signed_part_verifies_with_the_gpg_binary_as_downloaded(
    gpg_keys: Keys, fmt: str, dialect: str
) -> None:
    limit = 1500 if fmt == "plaintext" else 2500  # plain text is its own signed copy
    parts = signed(fmt, dialect, gpg_keys, max_length=limit)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= limit
        checked = gpg_verify(gpg_keys.home, part)
        assert checked.returncode == 0, checked.stderr.decode()
        assert b"Good signature" in checked.stderr


@pytest.mark.parametrize(("fmt", "dialect"), SIGNED_FORMATS)
def test_the_signed_copy_a_reader_copies_from_the_rendered_post_verifies(
    gpg_keys: Keys, fmt: str, dialect: str
) -> None:
    for part in signed(fmt, dialect, gpg_keys, max_length=2500):
        copied = signed_copy(part, fmt)
        for what, text in forum_variants(copied).items():
            checked = gpg_verify(gpg_keys.home, text)
            assert checked.returncode == 0, (what, checked.stderr.decode())


@pytest.mark.parametrize(("fmt", "dialect"), SIGNED_FORMATS)
def test_the_signed_copy_is_readable_text_that_names_the_post(
    gpg_keys: Keys, fmt: str, dialect: str
) -> None:
    (part,) = signed(fmt, dialect, gpg_keys)
    copied = signed_copy(part, fmt)
    text = copied.split("\n\n", 1)[1].split("-----BEGIN PGP SIGNATURE-----")[0]
    # What the author wrote, without the forum's escaping or markup.
    assert "~100 mg is a lot, 10^3 µg = 1 mg" in " ".join(text.split())
    for markup in ("\\~", "\\^", "**", "[b]low", "[/list]", "[url="):
        assert markup not in text
    assert "\n1. Weigh with a 0.001 g scale\n" in text
    after_label = " ".join(text.split("See the guide", 1)[1].split())
    assert after_label.startswith(
        ("<https://example.org/guide>", "\u2039https://example.org/guide\u203a")
    )
    assert "\n- " not in text  # no dash-escaped lines
    assert "\n   * 10 ml\n   * label the bottle\n" in text  # bullets are "*"
    assert "\nDosing basics\n~~~~~~~~~~~~~\n" in text  # headings underlined with "=" or "~"
    assert text.startswith("Dosing [b]basics[/b] ~ a guide\n" + "=" * 30 + "\n")
    for line in (
        "Title: Dosing [b]basics[/b] ~ a guide",
        "Post: en/dosing",
        "Version: 3",
        "Published: 2024-04-01",
        "Review due: 2025-04-01",
        "Content hash: abc123",
        "Verify: https://hr.example.org/verify/",
        "Public key: https://hr.example.org/pgp.txt",
    ):
        assert f"\n{line}\n" in text


@pytest.mark.parametrize(("fmt", "dialect"), SIGNED_FORMATS)
def test_the_formatted_post_stays_readable_in_the_forums_markup(
    gpg_keys: Keys, fmt: str, dialect: str
) -> None:
    (part,) = signed(fmt, dialect, gpg_keys)
    html = rendered_html(part, fmt)
    before_copy = html.split("Signed copy of this text")[0]
    assert "Weigh with a 0.001 g scale" in before_copy
    if dialect != "smf21":  # the parser does not know SMF's [li]
        assert "<li>" in before_copy
    assert 'href="https://example.org/guide"' in before_copy


def test_a_tor_profile_points_readers_to_the_onion_site(gpg_keys: Keys) -> None:
    (part,) = signed("forum_markdown", "reddit", gpg_keys, tor=True, link_policy="onion_internal")
    copied = signed_copy(part, "forum_markdown")
    assert "\nVerify: http://hrexample.onion/verify/\n" in copied
    assert "hr.example.org" not in copied


def test_a_signed_tor_export_needs_the_onion_address(gpg_keys: Keys) -> None:
    profile = ExportSettings(
        format="bbcode", dialect="phpbb3", sign=True, tor=True, link_policy="onion_internal"
    )
    document = rich_document(onion_url="")
    with pytest.raises(ExportError, match="PUBLIC_ONION_URL"):
        export(document, profile, signer=Signer(gpg_keys.home, gpg_keys.team))


def test_a_closing_code_tag_in_the_text_cannot_end_the_signed_block(gpg_keys: Keys) -> None:
    profile = ExportSettings(format="bbcode", dialect="xenforo2", sign=True)
    document = rich_document(body="Write `[/CODE]` or [ / code] to close a block.")
    (part,) = export(document, profile, signer=Signer(gpg_keys.home, gpg_keys.team)).parts
    copied = signed_copy(part, "bbcode")
    assert "\uff3b/CODE]" in copied
    assert gpg_verify(gpg_keys.home, copied).returncode == 0


def test_a_protected_key_signs_with_its_passphrase(gpg_keys: Keys) -> None:
    signed = clearsign(
        gpg_keys.home, "hello\n", fingerprint=gpg_keys.protected, passphrase=PASSPHRASE
    )
    assert verify(gpg_keys.home, signed) == gpg_keys.protected


def test_a_wrong_passphrase_is_a_signing_error(gpg_keys: Keys) -> None:
    with pytest.raises(SigningError, match="passphrase"):
        clearsign(gpg_keys.home, "hi\n", fingerprint=gpg_keys.protected, passphrase="wrong")


def test_an_expired_key_is_a_signing_error(gpg_keys: Keys) -> None:
    with pytest.raises(SigningError, match="expired"):
        clearsign(gpg_keys.home, "hi\n", fingerprint=gpg_keys.expired)


def test_a_missing_key_is_a_signing_error(gpg_keys: Keys) -> None:
    profile = ExportSettings(format="plaintext", sign=True)
    with pytest.raises(SigningError, match="No secret key"):
        export(rich_document(), profile, signer=Signer(gpg_keys.home, "0" * 40))


def test_a_tampered_text_does_not_verify(gpg_keys: Keys) -> None:
    signed = clearsign(gpg_keys.home, "take 1 pill\n", fingerprint=gpg_keys.team)
    with pytest.raises(SigningError, match="does not verify"):
        verify(gpg_keys.home, signed.replace("take 1 pill", "take 9 pills"))


def test_keys_are_listed_and_a_public_key_can_be_imported_elsewhere(gpg_keys: Keys) -> None:
    fingerprints = {key.fingerprint for key in list_keys(gpg_keys.home, secret=True)}
    assert gpg_keys.team in fingerprints
    armored = keystore_export(gpg_keys.home, gpg_keys.team)
    other = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
    try:
        assert import_key(other, armored) == gpg_keys.team
        signed = clearsign(gpg_keys.home, "x\n", fingerprint=gpg_keys.team)
        assert verify(other, signed) == gpg_keys.team
    finally:
        subprocess.run(["gpgconf", "--homedir", other, "--kill", "all"], check=False)
        shutil.rmtree(other, ignore_errors=True)


def keystore_export(home: str, fingerprint: str) -> str:
    return str(keystore(home).export_keys(fingerprint))


def test_importing_garbage_is_a_signing_error(gpg_keys: Keys) -> None:
    with pytest.raises(SigningError, match="No key could be imported"):
        import_key(gpg_keys.home, "not a key")


def test_an_html_copy_signs_look_alikes_for_the_characters_html_escapes(gpg_keys: Keys) -> None:
    profile = ExportSettings(format="html", sign=True)
    document = rich_document(body="Mix 1 < 2 & keep > 0; Tom & Jerry.")
    (part,) = export(document, profile, signer=Signer(gpg_keys.home, gpg_keys.team)).parts
    raw = part[part.index("<pre>") + len("<pre>") : part.index("</pre>")]
    assert "Mix 1 \u2039 2 \uff06 keep \u203a 0; Tom \uff06 Jerry." in raw
    assert not {"&", "<", ">"} & set(raw)  # nothing for HTML to escape: the file is the text
    assert gpg_verify(gpg_keys.home, part).returncode == 0
    assert gpg_verify(gpg_keys.home, signed_copy(part, "html")).returncode == 0
