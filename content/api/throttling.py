"""Requests per client address, as DRF's AnonRateThrottle counts them, with two changes.

The address is the one the login throttle uses (harmreduction.accounts.client_ip): behind the
reverse proxy, LOGIN_CLIENT_IP_HEADER, so readers do not share the proxy's one address. And the
address is never stored: the counter lives in Django's cache under a keyed hash of it (HMAC
with SECRET_KEY), for as long as the rate's period. That counter is all we keep about readers.
Onion readers all arrive from the local Tor daemon and so share one counter.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from harmreduction.accounts import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    """settings.API_THROTTLE_RATE ("120/minute"; "" switches it off) per client address;
    beyond it, 429 with Retry-After."""

    scope = "partner_api"

    def get_rate(self) -> str | None:
        # Read on every request (not once at import, as DRF's THROTTLE_RATES is): tests and
        # deployments change the setting.
        return str(settings.API_THROTTLE_RATE) or None

    def get_cache_key(self, request: Any, view: Any) -> str:
        address = client_ip(request._request) or "unknown"
        digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
        return f"throttle:{self.scope}:{digest.hexdigest()[:32]}"
