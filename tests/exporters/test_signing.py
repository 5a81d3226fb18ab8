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
from tests.exporters.conftest import PASSPHRASE, KeyStore
from tests.exporters.helpers import ALL_FORMATS, RICH_BODY, rich_document
from tests.readers import forum_variants, gpg_verify, rendered_html, signed_copy

SIGNED_FORMATS = [(f, d) for f, d in ALL_FORMATS if f != "plaintext"]


def signed(fmt: str, dialect: str, keystore: KeyStore, **changes: object) -> list[str]:
    profile = ExportSettings(
        format=fmt, dialect=dialect, sign=True, footer_template="{hash}", **changes
    )
    document = rich_document(slug="dosing", body=RICH_BODY + "\n\n" + RICH_BODY)
    result = export(document, profile, signer=Signer(keystore.home, keystore.plain_key))
    assert result.signed
    return result.parts


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_every_signed_part_verifies_with_the_gpg_binary_as_downloaded(
    keystore: KeyStore, fmt: str, dialect: str
) -> None:
    limit = 1500 if fmt == "plaintext" else 2500  # plain text is its own signed copy
    parts = signed(fmt, dialect, keystore, max_length=limit)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= limit
        checked = gpg_verify(keystore.home, part)
        assert checked.returncode == 0, checked.stderr.decode()
        assert b"Good signature" in checked.stderr


@pytest.mark.parametrize(("fmt", "dialect"), SIGNED_FORMATS)
def test_the_signed_copy_a_reader_copies_from_the_rendered_post_verifies(
    keystore: KeyStore, fmt: str, dialect: str
) -> None:
    for part in signed(fmt, dialect, keystore, max_length=2500):
        copied = signed_copy(part, fmt)
        for what, text in forum_variants(copied).items():
            checked = gpg_verify(keystore.home, text)
            assert checked.returncode == 0, (what, checked.stderr.decode())


@pytest.mark.parametrize(("fmt", "dialect"), SIGNED_FORMATS)
def test_the_signed_copy_is_readable_text_that_names_the_post(
    keystore: KeyStore, fmt: str, dialect: str
) -> None:
    (part,) = signed(fmt, dialect, keystore)
    copied = signed_copy(part, fmt)
    text = copied.split("\n\n", 1)[1].split("-----BEGIN PGP SIGNATURE-----")[0]
    # What the author wrote, without the forum's escaping or markup.
    assert "~100 mg is a lot, 10^3 µg = 1 mg" in " ".join(text.split())
    for markup in ("\\~", "\\^", "**", "[b]low", "[/list]", "[url="):
        assert markup not in text
    assert "\n1. Weigh with a 0.001 g scale\n" in text
    after_label = " ".join(text.split("See the guide", 1)[1].split())
    assert after_label.startswith(("<https://example.org/guide>", "\u2039https://example.org/guide\u203a"))
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
    keystore: KeyStore, fmt: str, dialect: str
) -> None:
    (part,) = signed(fmt, dialect, keystore)
    html = rendered_html(part, fmt)
    before_copy = html.split("Signed copy of this text")[0]
    assert "Weigh with a 0.001 g scale" in before_copy
    if dialect != "smf21":  # the parser does not know SMF's [li]
        assert "<li>" in before_copy
    assert "href=\"https://example.org/guide\"" in before_copy


def test_a_tor_profile_points_readers_to_the_onion_site(keystore: KeyStore) -> None:
    (part,) = signed(
        "forum_markdown", "reddit", keystore, tor=True, link_policy="onion_internal"
    )
    copied = signed_copy(part, "forum_markdown")
    assert "\nVerify: http://hrexample.onion/verify/\n" in copied
    assert "hr.example.org" not in copied


def test_a_signed_tor_export_needs_the_onion_address(keystore: KeyStore) -> None:
    profile = ExportSettings(
        format="bbcode", dialect="phpbb3", sign=True, tor=True, link_policy="onion_internal"
    )
    document = rich_document(onion_url="")
    with pytest.raises(ExportError, match="PUBLIC_ONION_URL"):
        export(document, profile, signer=Signer(keystore.home, keystore.plain_key))


def test_a_closing_code_tag_in_the_text_cannot_end_the_signed_block(keystore: KeyStore) -> None:
    profile = ExportSettings(format="bbcode", dialect="xenforo2", sign=True)
    document = rich_document(body="Write `[/CODE]` or [ / code] to close a block.")
    (part,) = export(document, profile, signer=Signer(keystore.home, keystore.plain_key)).parts
    copied = signed_copy(part, "bbcode")
    assert "\uff3b/CODE]" in copied
    assert gpg_verify(keystore.home, copied).returncode == 0


def test_a_protected_key_signs_with_its_passphrase(keystore: KeyStore) -> None:
    signed = clearsign(
        keystore.home, "hello\n", fingerprint=keystore.protected_key, passphrase=PASSPHRASE
    )
    assert verify(keystore.home, signed) == keystore.protected_key


def test_a_wrong_passphrase_is_a_signing_error(keystore: KeyStore) -> None:
    with pytest.raises(SigningError, match="passphrase"):
        clearsign(keystore.home, "hi\n", fingerprint=keystore.protected_key, passphrase="wrong")


def test_an_expired_key_is_a_signing_error(keystore: KeyStore) -> None:
    with pytest.raises(SigningError, match="expired"):
        clearsign(keystore.home, "hi\n", fingerprint=keystore.expired_key)


def test_a_missing_key_is_a_signing_error(keystore: KeyStore) -> None:
    profile = ExportSettings(format="plaintext", sign=True)
    with pytest.raises(SigningError, match="No secret key"):
        export(rich_document(), profile, signer=Signer(keystore.home, "0" * 40))


def test_a_tampered_text_does_not_verify(keystore: KeyStore) -> None:
    signed = clearsign(keystore.home, "take 1 pill\n", fingerprint=keystore.plain_key)
    with pytest.raises(SigningError, match="does not verify"):
        verify(keystore.home, signed.replace("take 1 pill", "take 9 pills"))


def test_keys_are_listed_and_a_public_key_can_be_imported_elsewhere(keystore: KeyStore) -> None:
    fingerprints = {key.fingerprint for key in list_keys(keystore.home, secret=True)}
    assert keystore.plain_key in fingerprints
    armored = keystore_export(keystore.home, keystore.plain_key)
    other = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
    try:
        assert import_key(other, armored) == keystore.plain_key
        signed = clearsign(keystore.home, "x\n", fingerprint=keystore.plain_key)
        assert verify(other, signed) == keystore.plain_key
    finally:
        subprocess.run(["gpgconf", "--homedir", other, "--kill", "all"], check=False)
        shutil.rmtree(other, ignore_errors=True)


def keystore_export(home: str, fingerprint: str) -> str:
    return str(keystore(home).export_keys(fingerprint))


def test_importing_garbage_is_a_signing_error(keystore: KeyStore) -> None:
    with pytest.raises(SigningError, match="No key could be imported"):
        import_key(keystore.home, "not a key")


def test_an_html_copy_signs_look_alikes_for_the_characters_html_escapes(keystore: KeyStore) -> None:
    profile = ExportSettings(format="html", sign=True)
    document = rich_document(body="Mix 1 < 2 & keep > 0; Tom & Jerry.")
    (part,) = export(document, profile, signer=Signer(keystore.home, keystore.plain_key)).parts
    raw = part[part.index("<pre>") + len("<pre>") : part.index("</pre>")]
    assert "Mix 1 \u2039 2 \uff06 keep \u203a 0; Tom \uff06 Jerry." in raw
    assert not {"&", "<", ">"} & set(raw)  # nothing for HTML to escape: the file is the text
    assert gpg_verify(keystore.home, part).returncode == 0
    assert gpg_verify(keystore.home, signed_copy(part, "html")).returncode == 0
