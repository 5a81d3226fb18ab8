from __future__ import annotations

import re
import shutil
import subprocess
import tempfile

import pytest

from content.exporters import ExportSettings, SigningError, export
from content.exporters.signing import (
    Signer,
    clearsign,
    import_key,
    keystore,
    list_keys,
    verify,
)
from tests.exporters.conftest import PASSPHRASE, KeyStore
from tests.exporters.helpers import RICH_BODY, rich_document
from tests.exporters.test_policies import ALL_FORMATS


def gpg_verify(home: str, signed: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--verify"],
        input=signed.encode(),
        capture_output=True,
        check=False,
    )


def unwrap(part: str) -> str:
    """What a reader copies out of the forum's code block."""
    if part.startswith("    "):
        return "\n".join(line[4:] for line in part.split("\n")) + "\n"
    fenced = re.match(r"^(`{3,})\n(.*)\n\1$", part, re.DOTALL)
    return fenced.group(2) + "\n" if fenced else part


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_every_signed_part_verifies_with_the_gpg_binary(
    keystore: KeyStore, fmt: str, dialect: str
) -> None:
    profile = ExportSettings(
        format=fmt, dialect=dialect, sign=True, max_length=1200, footer_template="{hash}"
    )
    document = rich_document(body=RICH_BODY + "\n\n" + RICH_BODY)
    result = export(document, profile, signer=Signer(keystore.home, keystore.plain_key))
    assert result.signed and len(result.parts) > 1
    for part in result.parts:
        assert len(part) <= 1200
        checked = gpg_verify(keystore.home, unwrap(part))
        assert checked.returncode == 0, checked.stderr.decode()
        assert b"Good signature" in checked.stderr


def test_markdown_parts_put_the_signed_text_in_a_code_block(keystore: KeyStore) -> None:
    profile = ExportSettings(format="forum_markdown", dialect="commonmark", sign=True)
    (part,) = export(
        rich_document(), profile, signer=Signer(keystore.home, keystore.plain_key)
    ).parts
    assert re.match(r"^(`{3,})\n-----BEGIN PGP SIGNED MESSAGE-----\n.*\n\1$", part, re.DOTALL)


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
