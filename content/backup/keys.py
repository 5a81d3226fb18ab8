"""The keys in a backup: public keys always, secret keys only when asked and only encrypted.

Public keys are the ones `SigningKey` rows record, exported from the key store (GNUPG_HOME)
one file per fingerprint, so that a key gone from the store leaves the others intact. A secret
key leaves the store only inside gpg's symmetric encryption (AES256) with the backup
passphrase: the armored secret keys pass from one gpg call to the next in memory and are never
written to a file unencrypted. Symmetric encryption salts at random, so that one member differs
between two backups of the same instance; all others are identical.
"""

from __future__ import annotations

from django.conf import settings

from content.exporters.signing import keystore

PUBLIC_DIR = "keys/public"
SECRET_MEMBER = "keys/secret-keys.asc.gpg"  # noqa: S105 - a member name, not a secret
CIPHER = "AES256"


class KeyStoreError(Exception):
    """gpg could not export, encrypt, decrypt or import; the message says why."""


def _home() -> str:
    return str(settings.GNUPG_HOME)


def public_member(fingerprint: str) -> str:
    return f"{PUBLIC_DIR}/{fingerprint}.asc"


def export_public(fingerprints: list[str]) -> dict[str, str]:
    """Armored public key of each recorded fingerprint the key store has (others are absent)."""
    gpg = keystore(_home())
    present = {key["fingerprint"] for key in gpg.list_keys()}
    exported: dict[str, str] = {}
    for fingerprint in sorted(set(fingerprints) & present):
        armored = str(gpg.export_keys(fingerprint, secret=False))
        if "PUBLIC KEY BLOCK" in armored:
            exported[fingerprint] = armored
    return exported


def export_secret_encrypted(fingerprints: list[str], passphrase: str) -> tuple[bytes, int]:
    """The recorded secret keys in the store, encrypted with `passphrase`; and how many."""
    if not passphrase:
        raise KeyStoreError("A backup with secret keys needs a passphrase (BACKUP_PASSPHRASE).")
    gpg = keystore(_home())
    present = {key["fingerprint"] for key in gpg.list_keys(secret=True)}
    wanted = sorted(set(fingerprints) & present)
    if not wanted:
        return b"", 0
    # Keys protected by a passphrase of their own need it to leave the store.
    armored = str(
        gpg.export_keys(
            wanted,
            secret=True,
            passphrase=settings.GNUPG_PASSPHRASE or None,
            expect_passphrase=False,
        )
    )
    if "PRIVATE KEY BLOCK" not in armored:
        raise KeyStoreError(
            "gpg would not export the secret keys (a key's own passphrase is wrong?)."
        )
    encrypted = gpg.encrypt(
        armored,
        None,
        symmetric=CIPHER,
        passphrase=passphrase,
        armor=False,
        extra_args=["--no-symkey-cache"],
    )
    del armored
    if not encrypted.ok:
        raise KeyStoreError(f"gpg could not encrypt the secret keys: {encrypted.status}.")
    return bytes(encrypted.data), len(wanted)


def decrypt_secret(encrypted: bytes, passphrase: str) -> str:
    """The armored secret keys of an archive; KeyStoreError on a wrong passphrase."""
    gpg = keystore(_home())
    decrypted = gpg.decrypt(encrypted, passphrase=passphrase, extra_args=["--no-symkey-cache"])
    if not decrypted.ok:
        raise KeyStoreError(
            "The secret keys in the archive could not be decrypted: wrong BACKUP_PASSPHRASE?"
        )
    return str(decrypted)


def import_keys(armored: str) -> int:
    """Import keys into GNUPG_HOME; how many gpg took."""
    result = keystore(_home()).import_keys(armored)
    if not [f for f in result.fingerprints if f]:
        raise KeyStoreError("gpg imported no key from the archive.")
    return int(result.count)
