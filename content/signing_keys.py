"""The organisation's signing keys: import or generate into the gpg key store, record them.

The secret key lives only in the key store (settings.GNUPG_HOME, a 0700 directory owned by the
server's user). Nothing here returns secret key material: `public_key()` exports the public key
only, for readers who verify signatures.

Passphrases: keys generated here have none; protecting a key with a passphrase stored next to the
key store would add nothing. A key imported with a passphrase is unlocked with
settings.GNUPG_PASSPHRASE (from the environment); a wrong one fails signing with a clear error.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from content.actors import Actor, signed_in
from content.exporters.signing import (
    KeyInfo,
    SigningError,
    generate_key,
    import_key,
    keystore,
    list_keys,
)
from content.models import AuditEvent, PublicVersion, SigningKey, record_event

ERROR_PUBLIC_ONLY = gettext_lazy(
    "That text holds only a public key. To sign, the secret key is needed: export it with "
    "“gpg --armor --export-secret-keys FINGERPRINT” and paste that."
)
ERROR_EXPIRED = gettext_lazy(
    "That key expired on {expires:%Y-%m-%d}; extend it with gpg first, then import."
)
ERROR_NOT_ARMORED = gettext_lazy(
    "Paste an ASCII-armored key: text starting with “-----BEGIN PGP PRIVATE KEY BLOCK-----”."
)
ERROR_LABEL = gettext_lazy("Give the key a label the team will recognise.")
ERROR_GENERATED_MISSING = gettext_lazy(
    "gpg reported key {fingerprint}, but the key store does not have it."
)
ERROR_NO_SUCH_KEY = gettext_lazy("The key store has no key {fingerprint}.")
ERROR_GPG_TIMEOUT = gettext_lazy("gpg did not answer in time")


ERROR_KEY_STORE = gettext_lazy(
    "The gpg key store (GNUPG_HOME) cannot be used: {error}. Nothing was changed; ask whoever "
    "runs the server to check that directory."
)


@contextmanager
def _key_store_errors() -> Iterator[None]:
    """A broken key store (not a directory, unreadable, gpg hanging) is a clear SigningError."""
    try:
        yield
    except subprocess.TimeoutExpired:
        raise SigningError(ERROR_KEY_STORE.format(error=ERROR_GPG_TIMEOUT)) from None
    except (OSError, ValueError) as error:
        raise SigningError(ERROR_KEY_STORE.format(error=error)) from error


def _home() -> str:
    return str(settings.GNUPG_HOME)


def _secret_info(fingerprint: str) -> KeyInfo | None:
    for key in list_keys(_home(), secret=True):
        if key.fingerprint == fingerprint:
            return key
    return None


@transaction.atomic
def _record(info: KeyInfo, *, label: str, actor: Actor, how: str) -> SigningKey:
    key, _created = SigningKey.objects.update_or_create(
        fingerprint=info.fingerprint,
        defaults={"label": label, "uids": list(info.uids), "expires": info.expires, "active": True},
        create_defaults={
            "label": label,
            "uids": list(info.uids),
            "expires": info.expires,
            "created": getattr(gpg_key_details().get(info.fingerprint), "created", None),
            "added_by": signed_in(actor),
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


def import_signing_key(*, armored: str, label: str, actor: Actor) -> SigningKey:
    """Import an armored secret key into the key store and record it (editors only)."""
    _check_editor(actor, "content.add_signingkey", ERROR_ADD)
    if not label.strip():
        raise SigningError(ERROR_LABEL)
    if "-----BEGIN PGP" not in armored:
        raise SigningError(ERROR_NOT_ARMORED)
    if "PRIVATE KEY BLOCK" not in armored:
        raise SigningError(ERROR_PUBLIC_ONLY)
    with _key_store_errors():
        fingerprint = import_key(_home(), armored)
        info = _secret_info(fingerprint)
    if info is None:
        raise SigningError(ERROR_PUBLIC_ONLY)
    if info.expired:
        raise SigningError(ERROR_EXPIRED.format(expires=info.expires))
    return _record(info, label=label.strip(), actor=actor, how="imported")


def generate_signing_key(
    *, name: str, email: str, label: str, expire: str, actor: Actor
) -> SigningKey:
    """Generate an ed25519 signing key without passphrase in the key store and record it."""
    _check_editor(actor, "content.add_signingkey", ERROR_ADD)
    if not label.strip():
        raise SigningError(ERROR_LABEL)
    with _key_store_errors():
        fingerprint = generate_key(_home(), name=name, email=email, expire=expire)
        info = _secret_info(fingerprint)
    if info is None:  # gpg said it made the key, but it is not there: never pretend
        raise SigningError(ERROR_GENERATED_MISSING.format(fingerprint=fingerprint))
    return _record(info, label=label.strip(), actor=actor, how="generated")


@transaction.atomic
def set_key_active(*, key: SigningKey, actor: Actor, active: bool) -> SigningKey:
    """Switch a key off (profiles can no longer sign with it) or on again, audited."""
    _check_editor(actor, "content.change_signingkey", ERROR_SWITCH_PERMISSION)
    key.active = active
    key.save(update_fields=["active"])
    PublicVersion.bump()  # post pages and the API offer signed copies only while a key signs
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
        raise SigningError(ERROR_NO_SUCH_KEY.format(fingerprint=key.fingerprint))
    return str(armored)


def in_key_store(keys: list[SigningKey]) -> set[str]:
    """Fingerprints of those keys whose secret key is in the key store (one gpg call)."""
    present = {info.fingerprint for info in list_keys(_home(), secret=True)}
    return {key.fingerprint for key in keys if key.fingerprint in present}


# --- Key lifecycle: retire, revoke (editors) ----------------------------------------------------

ERROR_LIFECYCLE_PERMISSION = gettext_lazy("Only editors may retire or revoke signing keys.")
ERROR_SWITCH_PERMISSION = gettext_lazy("Only editors may switch signing keys off or on.")
ERROR_ADD = gettext_lazy("Only editors may add signing keys.")
ERROR_NOT_CURRENT = gettext_lazy("{key} is already {status}; only a current key can be retired.")
ERROR_ALREADY_REVOKED = gettext_lazy("{key} is already revoked.")
ERROR_REASON = gettext_lazy(
    "Say in one line, for readers, why the key is revoked (at most 300 characters)."
)
ERROR_CERT_NOT_ARMORED = gettext_lazy(
    "Paste the revocation certificate: the armored block that starts with "
    "“-----BEGIN PGP PUBLIC KEY BLOCK-----”."
)
ERROR_CERT_SECRET = gettext_lazy("That text holds a secret key, not a revocation certificate.")
ERROR_CERT_WRONG_KEY = gettext_lazy(
    "That certificate does not revoke {key}: after importing it gpg still lists the key as "
    "valid. Check that it was made for fingerprint {fingerprint}."
)
ERROR_REVOKE_FAILED = gettext_lazy("gpg could not revoke {key}: {status}.")

REASON_MAX_CHARS = 300


class RevocationReason:
    """gpg's reason codes for a key revocation (RFC 4880, section 5.2.3.23)."""

    COMPROMISED = "1"
    SUPERSEDED = "2"
    NO_LONGER_USED = "3"
    CHOICES = [
        (COMPROMISED, "Key has been compromised"),
        (SUPERSEDED, "Key is superseded"),
        (NO_LONGER_USED, "Key is no longer used"),
    ]


@dataclass(frozen=True)
class GpgKeyDetails:
    """What gpg itself says about one public key: readers see these, not our own notes."""

    fingerprint: str
    uids: tuple[str, ...]
    created: datetime | None
    expires: datetime | None
    revoked: bool


def _timestamp(value: str | None) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def gpg_key_details() -> dict[str, GpgKeyDetails]:
    """Every public key in the key store, by fingerprint (one gpg call)."""
    return {
        key["fingerprint"]: GpgKeyDetails(
            fingerprint=key["fingerprint"],
            uids=tuple(key.get("uids", ())),
            created=_timestamp(key.get("date")),
            expires=_timestamp(key.get("expires")),
            revoked=key.get("trust") == "r",
        )
        for key in keystore(_home()).list_keys()
    }


def _check_editor(
    actor: Actor | None,
    permission: str = "content.change_signingkey",
    message: StrOrPromise = ERROR_LIFECYCLE_PERMISSION,
) -> None:
    """Every service here that changes a key checks its own right: views, admin and commands
    cannot forget it."""
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(str(message))


@transaction.atomic
def retire_signing_key(*, key: SigningKey, actor: Actor, reason: str = "") -> SigningKey:
    """The key signs nothing more but stays published, so what it signed still verifies."""
    _check_editor(actor)
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    if key.status != SigningKey.Status.CURRENT:
        raise SigningError(ERROR_NOT_CURRENT.format(key=key, status=key.get_status_display()))
    key.status = SigningKey.Status.RETIRED
    key.status_changed_at = timezone.now()
    key.status_reason = " ".join(reason.split())[:REASON_MAX_CHARS]
    key.save(update_fields=["status", "status_changed_at", "status_reason"])
    PublicVersion.bump()  # its profiles' signed copies leave the public pages
    record_event(
        action=AuditEvent.Action.SIGNING_KEY_RETIRED,
        actor=actor,
        fingerprint=key.fingerprint,
        reason=key.status_reason,
    )
    return key


def revoke_signing_key(
    *,
    key: SigningKey,
    actor: Actor,
    reason: str,
    reason_code: str = RevocationReason.NO_LONGER_USED,
    certificate: str = "",
) -> SigningKey:
    """Mark the key revoked, and revoke it in the key store so /pgp.txt carries the revocation.

    With a pasted revocation certificate, that certificate is imported; otherwise, if the secret
    key is in the key store, gpg makes the revocation itself. Without either, the key is only
    recorded as revoked (the page says so; readers' gpg will not know until a certificate is
    imported).
    """
    _check_editor(actor)
    reason = " ".join(reason.split())
    if not reason or len(reason) > REASON_MAX_CHARS:
        raise SigningError(ERROR_REASON)
    if reason_code not in dict(RevocationReason.CHOICES):
        reason_code = RevocationReason.NO_LONGER_USED
    if SigningKey.objects.get(pk=key.pk).status == SigningKey.Status.REVOKED:
        raise SigningError(ERROR_ALREADY_REVOKED.format(key=key))
    with _key_store_errors():
        how = _revoke_in_key_store(key, certificate=certificate, reason=reason, code=reason_code)
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().get(pk=key.pk)
        if key.status == SigningKey.Status.REVOKED:  # a concurrent revocation won
            raise SigningError(ERROR_ALREADY_REVOKED.format(key=key))
        key.status = SigningKey.Status.REVOKED
        key.status_changed_at = timezone.now()
        key.status_reason = reason
        key.save(update_fields=["status", "status_changed_at", "status_reason"])
        PublicVersion.bump()  # its profiles' signed copies leave the public pages
        record_event(
            action=AuditEvent.Action.SIGNING_KEY_REVOKED,
            actor=actor,
            fingerprint=key.fingerprint,
            reason=reason,
            reason_code=reason_code,
            how=how,
        )
    return key


def _revoke_in_key_store(key: SigningKey, *, certificate: str, reason: str, code: str) -> str:
    """Revoke the key in gpg; return how (for the audit event)."""
    details = gpg_key_details().get(key.fingerprint)
    if details is not None and details.revoked:
        return "already revoked in the key store"
    if certificate.strip():
        _import_revocation(key, certificate)
        return "certificate imported"
    if _secret_info(key.fingerprint) is None:
        return "recorded only (no secret key and no certificate)"
    _generate_revocation(key, reason=reason, code=code)
    return "generated by gpg"


def _import_revocation(key: SigningKey, certificate: str) -> None:
    if "PRIVATE KEY" in certificate:
        raise SigningError(ERROR_CERT_SECRET)
    # gpg's ready-made certificates (openpgp-revocs.d) have an explanation above the block and
    # a ":" in front of its first line, against accidental import: accept them as they are.
    text = certificate.replace(":-----BEGIN PGP", "-----BEGIN PGP", 1)
    start = text.find("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    if start < 0:
        raise SigningError(ERROR_CERT_NOT_ARMORED)
    if _certificate_keys(text[start:]) != {key.fingerprint}:  # never revoke another key
        raise SigningError(ERROR_CERT_WRONG_KEY.format(key=key, fingerprint=key.fingerprint))
    keystore(_home()).import_keys(text[start:])
    details = gpg_key_details().get(key.fingerprint)
    if details is None or not details.revoked:
        raise SigningError(ERROR_CERT_WRONG_KEY.format(key=key, fingerprint=key.fingerprint))


def _certificate_keys(armored: str) -> set[str]:
    """Fingerprints (or key IDs) the pasted text is about, read by gpg without importing it."""
    command = [keystore(_home()).gpgbinary, "--homedir", _home(), "--batch", "--with-colons"]
    command += ["--import-options", "show-only", "--import"]
    listing = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        command, input=armored.encode(), capture_output=True, timeout=30, check=False
    ).stdout.decode(errors="replace")
    found = set()
    for fields in (line.split(":") for line in listing.splitlines()):
        if fields[0] == "fpr":
            found.add(fields[9])
        elif fields[0] == "rvs" and len(fields) > 12:
            found.add(fields[12] or fields[4])
    return found


def _generate_revocation(key: SigningKey, *, reason: str, code: str) -> None:
    """`gpg --edit-key FPR revkey` (gpg refuses --gen-revoke in batch mode, not this)."""
    answers = f"revkey\ny\n{code}\n{reason}\n\ny\nsave\n"
    read_end, write_end = os.pipe()
    os.write(write_end, (settings.GNUPG_PASSPHRASE or "").encode() + b"\n")
    os.close(write_end)
    command = [keystore(_home()).gpgbinary, "--homedir", _home(), "--batch", "--yes"]
    command += ["--pinentry-mode", "loopback", "--passphrase-fd", str(read_end)]
    command += ["--command-fd", "0", "--status-fd", "2", "--edit-key", key.fingerprint]
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            command,
            input=answers.encode(),
            capture_output=True,
            pass_fds=(read_end,),
            timeout=60,
            check=False,
        )
    finally:
        os.close(read_end)
    details = gpg_key_details().get(key.fingerprint)
    if details is None or not details.revoked:
        lines = [
            line for line in result.stderr.decode(errors="replace").splitlines()
            if line.startswith("gpg:")
        ]  # fmt: skip
        status = lines[-1].removeprefix("gpg:").strip() if lines else f"exit {result.returncode}"
        raise SigningError(ERROR_REVOKE_FAILED.format(key=key, status=status))
