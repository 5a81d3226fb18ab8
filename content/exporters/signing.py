"""PGP clear-signing with the real gpg binary (python-gnupg), in a key store passed in.

Every failure raises SigningError with a message an editor can act on; nothing here ever returns
text that looks signed but is not: each signature is verified before it is handed back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import gnupg
from django.utils.translation import gettext_lazy

KEY_MISSING = gettext_lazy("No secret key with fingerprint {fingerprint} is in the key store.")
KEY_EXPIRED = gettext_lazy(
    "The signing key {fingerprint} expired on {expired:%Y-%m-%d}; extend or replace it."
)
KEY_REVOKED = gettext_lazy("The signing key {fingerprint} is revoked; choose another key.")
WRONG_PASSPHRASE = gettext_lazy(
    "The passphrase for signing key {fingerprint} is wrong."
)
GPG_FAILED = gettext_lazy("gpg could not sign with key {fingerprint}: {status}.")
NOT_VERIFIED = gettext_lazy(
    "The signature just made did not verify ({status}); nothing was exported."
)
IMPORT_FAILED = gettext_lazy("No key could be imported from that text: {status}.")
GENERATE_FAILED = gettext_lazy("gpg could not generate a key: {status}.")
BAD_SIGNATURE = gettext_lazy("The signature does not verify: {status}.")
# Our words inside the messages above; gpg's own `status` words are passed on as gpg wrote them.
SIGNED_BY_OTHER = gettext_lazy("signed by {fingerprint}")
TEXT_DIFFERS = gettext_lazy("the signed text differs from the export")
NO_SIGNATURE_FOUND = gettext_lazy("no signature found")
NO_SIGNATURE_PRODUCED = gettext_lazy("no signature produced")
DRAFT_NEVER_SIGNED = gettext_lazy(
    "A draft (not approved) is never signed; export it unsigned as a preview."
)

# The agent must not remember passphrases: a cached one would let a wrong passphrase sign.
AGENT_CONF = "default-cache-ttl 0\nmax-cache-ttl 0\nallow-loopback-pinentry\n"


class SigningError(Exception):
    """Signing or verifying failed; the message says why."""


def keystore(gnupghome: str | os.PathLike[str]) -> gnupg.GPG:
    """A python-gnupg handle on the key store directory, created private if missing."""
    home = Path(gnupghome)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    conf = home / "gpg-agent.conf"
    if not conf.exists():
        conf.write_text(AGENT_CONF)
    return gnupg.GPG(gnupghome=str(home), encoding="utf-8")


@dataclass(frozen=True)
class KeyInfo:
    fingerprint: str
    uids: tuple[str, ...]
    expires: datetime | None
    secret: bool

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires <= datetime.now(tz=UTC)


def list_keys(gnupghome: str | os.PathLike[str], *, secret: bool = False) -> list[KeyInfo]:
    keys = keystore(gnupghome).list_keys(secret=secret)
    return [
        KeyInfo(
            fingerprint=key["fingerprint"],
            uids=tuple(key.get("uids", ())),
            expires=datetime.fromtimestamp(int(key["expires"]), tz=UTC)
            if key.get("expires")
            else None,
            secret=secret,
        )
        for key in keys
    ]


def import_key(gnupghome: str | os.PathLike[str], armored: str) -> str:
    """Import an armored key (public or secret); return the fingerprint of the first key."""
    result = keystore(gnupghome).import_keys(armored)
    fingerprints: list[str] = [f for f in result.fingerprints if f]
    if not fingerprints:
        status = "; ".join(r.get("text", "") for r in result.results) or "no key found"
        raise SigningError(IMPORT_FAILED.format(status=status))
    return fingerprints[0]


def generate_key(
    gnupghome: str | os.PathLike[str],
    *,
    name: str,
    email: str,
    passphrase: str | None = None,
    expire: str = "2y",
) -> str:
    """A new ed25519 signing key; `expire` is gpg's Expire-Date ("2y", "2030-01-01", "0")."""
    gpg = keystore(gnupghome)
    params = gpg.gen_key_input(
        key_type="EDDSA",
        key_curve="ed25519",
        key_usage="sign",
        name_real=name,
        name_email=email,
        expire_date=expire,
        passphrase=passphrase or "",
        no_protection=not passphrase,
    )
    result = gpg.gen_key(params)
    if not result.fingerprint:
        raise SigningError(GENERATE_FAILED.format(status=result.status or result.stderr[-300:]))
    return str(result.fingerprint)


def _secret_key(gnupghome: str | os.PathLike[str], fingerprint: str) -> KeyInfo:
    wanted = fingerprint.upper().replace(" ", "")
    for key in list_keys(gnupghome, secret=True):
        if key.fingerprint.upper() == wanted:
            return key
    raise SigningError(KEY_MISSING.format(fingerprint=fingerprint))


def clearsign(
    gnupghome: str | os.PathLike[str], text: str, *, fingerprint: str, passphrase: str | None = None
) -> str:
    """Clear-sign `text` with the key `fingerprint` and check the result before returning it."""
    key = _secret_key(gnupghome, fingerprint)
    if key.expired:
        raise SigningError(KEY_EXPIRED.format(fingerprint=fingerprint, expired=key.expires))
    gpg = keystore(gnupghome)
    # None, not "": python-gnupg sends any passphrase given, even empty, as the first input line.
    result = gpg.sign(text, keyid=key.fingerprint, passphrase=passphrase or None, clearsign=True)
    if not result or not result.data:
        raise SigningError(_sign_failure(_status(result), fingerprint))
    signed: str = result.data.decode("utf-8")
    verified = verify(gnupghome, signed)
    if verified != key.fingerprint:
        raise SigningError(NOT_VERIFIED.format(status=SIGNED_BY_OTHER.format(fingerprint=verified)))
    if _signed_lines(signed) != [line.rstrip() for line in text.rstrip("\n").split("\n")]:
        raise SigningError(NOT_VERIFIED.format(status=TEXT_DIFFERS))
    return signed


def _signed_lines(signed: str) -> list[str]:
    """The lines a clear signature covers, dash-escaping undone (RFC 4880, section 7.1)."""
    body = signed.split("\n\n", 1)[1].split("\n-----BEGIN PGP SIGNATURE-----", 1)[0]
    return [line[2:] if line.startswith("- ") else line.rstrip() for line in body.split("\n")]


def _status(result: gnupg.Sign) -> str | None:
    """python-gnupg leaves `status` empty on some failures; gpg's own words are in stderr."""
    if result.status:
        return str(result.status)
    text = (result.stderr or "").lower()
    for words, status in (("bad passphrase", "bad passphrase"), ("expired", "key expired")):
        if words in text:
            return status
    lines = [line for line in text.splitlines() if line.startswith("gpg:")]
    return lines[-1].removeprefix("gpg:").strip() if lines else None


def _sign_failure(status: str | None, fingerprint: str) -> str:
    if status == "bad passphrase":
        return WRONG_PASSPHRASE.format(fingerprint=fingerprint)
    if status == "key revoked":
        return KEY_REVOKED.format(fingerprint=fingerprint)
    if status == "key expired":
        return KEY_EXPIRED.format(fingerprint=fingerprint, expired=datetime.now(tz=UTC))
    return GPG_FAILED.format(fingerprint=fingerprint, status=status or NO_SIGNATURE_PRODUCED)


def verify(gnupghome: str | os.PathLike[str], signed: str) -> str:
    """The primary-key fingerprint of a good signature; SigningError for anything else."""
    result = keystore(gnupghome).verify(signed)
    if not result.valid:
        raise SigningError(BAD_SIGNATURE.format(status=result.status or NO_SIGNATURE_FOUND))
    return str(result.pubkey_fingerprint or result.fingerprint)


@dataclass(frozen=True)
class Signer:
    """What an export profile's signing key becomes: a key store, a key and its passphrase."""

    gnupghome: str
    fingerprint: str
    passphrase: str | None = None

    def sign(self, text: str) -> str:
        return clearsign(
            self.gnupghome, text, fingerprint=self.fingerprint, passphrase=self.passphrase
        )

    def overhead(self) -> int:
        """Characters a clear signature adds around a short text (dash-escaping not counted)."""
        sample = "x\n"
        return len(self.sign(sample)) - len(sample)
