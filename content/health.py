"""What `/healthz` checks: the database answers, and every signing key in use is in the key store.

A monitor polls it; a reader may too, so the answer names no key and no error detail, and the
checks run at most once per `HEALTH_CHECK_SECONDS` per process (gpg is a subprocess).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import DatabaseError, connection

from content.models import SigningKey
from content.signing_keys import in_key_store

logger = logging.getLogger(__name__)

HEALTH_CHECK_SECONDS = 10
OK = "ok"
FAILING = "failing"
NO_KEYS = "no signing key in use"


@dataclass(frozen=True)
class Health:
    database: str
    key_store: str

    @property
    def healthy(self) -> bool:
        return FAILING not in (self.database, self.key_store)

    def as_dict(self) -> dict[str, str]:
        return asdict(self) | {"status": OK if self.healthy else FAILING}


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database does not answer.")
        return FAILING
    return OK


def _key_store() -> str:
    try:
        in_use = list(SigningKey.objects.filter(status=SigningKey.Status.CURRENT, active=True))
        if not in_use:
            return NO_KEYS
        missing = len(in_use) - len(in_key_store(in_use))
    except (DatabaseError, OSError, ValueError):
        logger.exception("Health check: the key store cannot be read.")
        return FAILING
    if missing:
        logger.error("Health check: %d signing key(s) in use are not in the key store.", missing)
        return FAILING
    return OK


def check() -> Health:
    """The checks' result, from the cache when they ran in the last few seconds."""
    cached = cache.get("healthz")
    if isinstance(cached, Health):
        return cached
    health = Health(database=_database(), key_store=_key_store())
    cache.set("healthz", health, timeout=HEALTH_CHECK_SECONDS)
    return health
