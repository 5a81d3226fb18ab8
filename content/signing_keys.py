"""The organisation's signing keys: import or generate into the gpg key store, record them.

The secret key lives only in the key store (settings.GNUPG_HOME, a 0700 directory owned by the
server's user). Nothing here returns secret key material: `public_key()` exports the public key
only, for readers who verify signatures.

Passphrases: keys generated here have none; protecting a key with a passphrase stored next to the
key store would add nothing. A key imported with a passphrase is unlocked with
settings.GNUPG_PASSPHRASE (from the environment); a wrong one fails signing with a clear error.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from content.exporters.signing import (
    KeyInfo,
    SigningError,
    generate_key,
    import_key,
    keystore,
    list_keys,
)
from content.models import AuditEvent, SigningKey, record_event

ERROR_PUBLIC_ONLY = (
    "That text holds only a public key. To sign, the secret key is needed: export it with "
    "“gpg --armor --export-secret-keys FINGERPRINT” and paste that."
)
ERROR_EXPIRED = "That key expired on {expires:%Y-%m-%d}; extend it with gpg first, then import."
ERROR_NOT_ARMORED = (
    "Paste an ASCII-armored key: text starting with “-----BEGIN PGP PRIVATE KEY BLOCK-----”."
)
ERROR_LABEL = "Give the key a label the team will recognise."


def _home() -> str:
    return str(settings.GNUPG_HOME)


def _secret_info(fingerprint: str) -> KeyInfo | None:
    for key in list_keys(_home(), secret=True):
        if key.fingerprint == fingerprint:
            return key
    return None


@transaction.atomic
def _record(info: KeyInfo, *, label: str, actor: Any, how: str) -> SigningKey:
    key, _created = SigningKey.objects.update_or_create(
        fingerprint=info.fingerprint,
        defaults={"label": label, "uids": list(info.uids), "expires": info.expires, "active": True},
        create_defaults={
            "label": label,
            "uids": list(info.uids),
            "expires": info.expires,
            "added_by": actor,
        },
    )
    record_event(
        action=AuditEvent.Action.SIGNING_KEY_ADDED,
        actor=actor,
        fingerprint=info.fingerprint,
        how=how,
        expires=info.expires.isoformat() if info.expires else None,
    )
    return key


def import_signing_key(*, armored: str, label: str, actor: Any) -> SigningKey:
    """Import an armored secret key into the key store and record it."""
    if not label.strip():
        raise SigningError(ERROR_LABEL)
    if "-----BEGIN PGP" not in armored:
        raise SigningError(ERROR_NOT_ARMORED)
    if "PRIVATE KEY BLOCK" not in armored:
        raise SigningError(ERROR_PUBLIC_ONLY)
    fingerprint = import_key(_home(), armored)
    info = _secret_info(fingerprint)
    if info is None:
        raise SigningError(ERROR_PUBLIC_ONLY)
    if info.expired:
        raise SigningError(ERROR_EXPIRED.format(expires=info.expires))
    return _record(info, label=label.strip(), actor=actor, how="imported")


def generate_signing_key(
    *, name: str, email: str, label: str, expire: str, actor: Any
) -> SigningKey:
    """Generate an ed25519 signing key without passphrase in the key store and record it."""
    if not label.strip():
        raise SigningError(ERROR_LABEL)
    fingerprint = generate_key(_home(), name=name, email=email, expire=expire)
    info = _secret_info(fingerprint)
    if info is None:  # gpg said it made the key, but it is not there: never pretend
        raise SigningError(f"gpg reported key {fingerprint}, but the key store does not have it.")
    return _record(info, label=label.strip(), actor=actor, how="generated")


@transaction.atomic
def set_key_active(*, key: SigningKey, actor: Any, active: bool) -> SigningKey:
    """Switch a key off (profiles can no longer sign with it) or on again, audited."""
    key.active = active
    key.save(update_fields=["active"])
    record_event(
        action=AuditEvent.Action.SIGNING_KEY_CHANGED,
        actor=actor,
        fingerprint=key.fingerprint,
        active=active,
    )
    return key


def public_key(key: SigningKey) -> str:
    """The armored PUBLIC key, for readers who verify our signatures."""
    armored = keystore(_home()).export_keys(key.fingerprint, secret=False)
    if not armored:
        raise SigningError(f"The key store has no key {key.fingerprint}.")
    return str(armored)


def in_key_store(keys: list[SigningKey]) -> set[str]:
    """Fingerprints of those keys whose secret key is in the key store (one gpg call)."""
    present = {info.fingerprint for info in list_keys(_home(), secret=True)}
    return {key.fingerprint for key in keys if key.fingerprint in present}
