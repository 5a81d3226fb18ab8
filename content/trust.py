"""What readers check us with: our public keys, and the signed canary and mirror list.

/pgp.txt and /pgp/ publish every key we have recorded (current, retired and revoked), so old
signatures still verify and readers learn of revocations. Secret keys never leave the key store.

Which key signs the canary and the mirror list: the newest current key (by gpg's creation date)
that is switched on, unexpired and has its secret key in the key store. Retiring or revoking it
hands the job to the next one at the next signing run.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from content.actors import Actor, SystemActor, audit_fields
from content.exporters.signing import SigningError, clearsign, keystore
from content.models import AuditEvent, SignedStatement, SigningKey, record_event
from content.signing_keys import GpgKeyDetails, gpg_key_details, in_key_store

logger = logging.getLogger(__name__)

SITE_NAME = "Harm reduction information"
DEFAULT_CANARY_DAYS = 30
MAX_CANARY_DAYS = 366

ERROR_NO_PUBLIC_KEY = gettext_lazy(
    "No public key has been published here yet. Do not trust texts that claim to be signed by us "
    "until one is.\n"
)
ERROR_NO_SIGNING_KEY = gettext_lazy(
    "No key can sign the canary: none is current, switched on, unexpired and in the key store. "
    "Generate or import a key on the studio's signing keys page, then run this again."
)
ERROR_DAYS = format_lazy(
    gettext_lazy("The canary must be valid for 1 to {max} days."), max=MAX_CANARY_DAYS
)
ERROR_BAD_ADDRESS = gettext_lazy(
    "“{address}” is not a full http:// or https:// address; fix PUBLIC_SITE_URL, "
    "PUBLIC_ONION_URL or PUBLIC_MIRRORS."
)
ERROR_STATEMENT_PERMISSION = gettext_lazy("Only editors may sign the canary and the mirror list.")


# --- Public keys ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedKey:
    """One of our keys as readers see it: our record plus what gpg says about it."""

    key: SigningKey
    gpg: GpgKeyDetails

    @property
    def revoked(self) -> bool:
        return self.key.status == SigningKey.Status.REVOKED or self.gpg.revoked

    @property
    def status(self) -> str:
        return str(
            SigningKey.Status.REVOKED.label if self.revoked else self.key.get_status_display()
        )

    @property
    def expired(self) -> bool:
        return self.gpg.expires is not None and self.gpg.expires <= timezone.now()


_STATUS_ORDER: dict[str, int] = {SigningKey.Status.CURRENT: 0, SigningKey.Status.RETIRED: 1}


def published_keys() -> list[PublishedKey]:
    """Our recorded keys that gpg has, current first, then newest first.

    A recorded key missing from the key store is left out (with a warning in the log): there is
    nothing to publish for it, and a page must not fail because of it.
    """
    recorded = list(SigningKey.objects.all())
    details = _cached(recorded, "details", gpg_key_details)
    keys = []
    for key in recorded:
        if key.fingerprint not in details:
            logger.warning("Signing key %s is not in the key store; not published.", key)
            continue
        keys.append(PublishedKey(key=key, gpg=details[key.fingerprint]))
    if recorded and not keys:
        # Keys on record but none in the store: the store is broken or gone. Saying "no key
        # here" would tell readers that our genuine signatures are not ours.
        raise KeyStoreUnreadable(ERROR_STORE_HAS_NO_RECORDED_KEY)
    newest_first = sorted(keys, key=lambda k: k.gpg.created or k.key.added_at, reverse=True)
    return sorted(newest_first, key=lambda k: 2 if k.revoked else _STATUS_ORDER[k.key.status])


def public_keys_armored(keys: list[PublishedKey] | None = None) -> str:
    """The armored PUBLIC keys (one block), or "" when there is none to publish."""
    keys = published_keys() if keys is None else keys
    if not keys:
        return ""
    fingerprints = [k.key.fingerprint for k in keys]

    def export() -> str:
        armored = keystore(str(settings.GNUPG_HOME)).export_keys(fingerprints, secret=False)
        return str(armored or "")

    return _cached([k.key for k in keys], "armored", export)


class KeyStoreUnreadable(OSError):
    """Keys are on record, but the key store does not hold them."""


ERROR_STORE_HAS_NO_RECORDED_KEY = gettext_lazy(
    "None of the recorded signing keys is in the key store."
)
# Readers (and crawlers) fetch /pgp.txt and /pgp/ anonymously: gpg runs once per change of the
# key records, not once per request. The key is a digest of what the pages show from them.
CACHE_SECONDS = 300


def _cached[T](keys: list[SigningKey], what: str, compute: Callable[[], T]) -> T:
    state = "|".join(
        f"{k.fingerprint}:{k.status}:{k.status_changed_at}:{k.active}:{k.expires}" for k in keys
    )
    home = str(settings.GNUPG_HOME)
    digest = hashlib.sha256(f"{home}|{state}".encode()).hexdigest()[:32]
    # The cache hands back what compute() returned (its stubs only say "Any | None").
    return cast(T, cache.get_or_set(f"trust:{what}:{digest}", compute, CACHE_SECONDS))


# --- Which key signs site statements ----------------------------------------------------------


def statement_key() -> SigningKey:
    """The newest current, switched-on, unexpired key whose secret is in the key store."""
    candidates = [k for k in published_keys() if k.key.can_sign and not k.revoked and not k.expired]
    present = in_key_store([k.key for k in candidates])
    for candidate in candidates:  # already newest first
        if candidate.key.fingerprint in present and not candidate.key.is_expired:
            return candidate.key
    raise SigningError(ERROR_NO_SIGNING_KEY)


# --- The texts --------------------------------------------------------------------------------


def official_addresses() -> list[str]:
    """Clear-net address, onion address, then mirrors, each once, validated."""
    candidates = [settings.PUBLIC_SITE_URL, settings.PUBLIC_ONION_URL, *settings.PUBLIC_MIRRORS]
    addresses: list[str] = []
    validate = URLValidator(schemes=["http", "https"])
    for address in candidates:
        address = (address or "").strip().rstrip("/")
        if not address or address in addresses:
            continue
        try:
            validate(address)
        except ValidationError:
            raise SigningError(ERROR_BAD_ADDRESS.format(address=address)) from None
        addresses.append(address)
    return addresses


def _grouped(fingerprint: str) -> str:
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))


def canary_text(*, key: SigningKey, signed_at: datetime, valid_until: datetime) -> str:
    """The canary, in the usual shape. No line starts with "-", so nothing is dash-escaped."""
    addresses = [f"  {address}/" for address in official_addresses()]
    return "\n".join(
        [
            f"Warrant canary of {SITE_NAME}",
            "",
            f"Date: {signed_at:%Y-%m-%d}",
            f"Valid until: {valid_until:%Y-%m-%d}",
            "",
            "We renew this statement before the date above. If it is past that date, if the",
            "signature does not verify with our public key, or if the statement is changed or",
            "missing, assume something is wrong and do not trust new texts signed in our name.",
            "",
            "As of the date above:",
            "",
            "1. We have not received any warrant, subpoena, court order, gag order or other",
            "   legal demand to alter, add or remove content, to sign text we did not approve,",
            "   or to hand over our signing keys or information about our readers.",
            "2. To our knowledge our signing keys have not been compromised and remain under",
            "   the sole control of our team.",
            "3. No one outside our team has control of this site or its addresses.",
            "",
            "If we ever receive such a demand and may not say so, this canary will not be",
            "renewed.",
            "",
            "Official addresses:",
            *addresses,
            "",
            f"Signed with key: {_grouped(key.fingerprint)}",
            "Public key: /pgp.txt on each official address.",
        ]
    )


def mirrors_text(*, key: SigningKey, signed_at: datetime) -> str:
    addresses = [f"  {address}/" for address in official_addresses()]
    return "\n".join(
        [
            f"Official addresses of {SITE_NAME}",
            "",
            f"Date: {signed_at:%Y-%m-%d}",
            "",
            "These are our only official addresses. Any other address claiming to be us is not",
            "ours, whatever it looks like.",
            "",
            *addresses,
            "",
            f"Signed with key: {_grouped(key.fingerprint)}",
            "Public key: /pgp.txt on each official address.",
        ]
    )


# The command that renews the canary (cron or django.tasks): it may sign statements, nothing else.
SIGNING = SystemActor(name="sign_statements", permissions=frozenset({"content.change_signingkey"}))


# --- Signing and serving ----------------------------------------------------------------------


def sign_statements(
    *, days: int = DEFAULT_CANARY_DAYS, actor: Actor = SIGNING
) -> list[SignedStatement]:
    """Sign a fresh canary and mirror list with the statement key and store both.

    The scheduled command acts as the system actor SIGNING; a person must be an editor. Nothing
    is stored unless both texts signed and verified.
    """
    if not actor.has_perm("content.change_signingkey"):
        raise PermissionDenied(ERROR_STATEMENT_PERMISSION)
    if not 1 <= days <= MAX_CANARY_DAYS:
        raise SigningError(ERROR_DAYS)
    key = statement_key()
    signed_at = timezone.now()
    valid_until = signed_at + timedelta(days=days)
    texts = {
        SignedStatement.Kind.CANARY: canary_text(
            key=key, signed_at=signed_at, valid_until=valid_until
        ),
        SignedStatement.Kind.MIRRORS: mirrors_text(key=key, signed_at=signed_at),
    }
    passphrase = settings.GNUPG_PASSPHRASE or None
    home = str(settings.GNUPG_HOME)
    signed = {
        kind: clearsign(home, text, fingerprint=key.fingerprint, passphrase=passphrase)
        for kind, text in texts.items()
    }
    with transaction.atomic():
        statements = [
            SignedStatement.objects.create(
                kind=kind,
                text=text,
                fingerprint=key.fingerprint,
                valid_until=valid_until if kind == SignedStatement.Kind.CANARY else None,
            )
            for kind, text in signed.items()
        ]
        record_event(
            action=AuditEvent.Action.STATEMENT_SIGNED,
            **audit_fields(actor),
            fingerprint=key.fingerprint,
            valid_until=valid_until.isoformat(),
            statements=[statement.pk for statement in statements],
        )
    return statements


def newest_statement(kind: str) -> SignedStatement | None:
    return SignedStatement.objects.filter(kind=kind).order_by("-created_at", "-pk").first()
