"""CORS for reading the API from any site (on /api/ only), and the throttle per client address."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

POSTS = "/api/v1/posts/"
PARTNER = "https://partner.example.net"


def test_a_preflight_from_any_site_may_get_but_not_post(client, db):
    response = client.options(
        POSTS,
        headers={
            "origin": PARTNER,
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_simple_get_from_another_site_may_read_the_answer_and_its_etag(client, db):
    response = client.get(POSTS, headers={"origin": PARTNER})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("path", ["/", "/en/feed/", "/studio/", "/accounts/login/", "/verify/"])
def test_no_cors_headers_outside_the_api(client, db, path):
    response = client.get(path, headers={"origin": PARTNER})
    preflight = client.options(
        path, headers={"origin": PARTNER, "access-control-request-method": "GET"}
    )
    for answer in (response, preflight):
        assert not [h for h in answer.headers if h.lower().startswith("access-control-")], path


def test_beyond_the_rate_an_address_gets_429_with_retry_after(client, db, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    for _ in range(3):
        assert client.get(POSTS).status_code == 200
    refused = client.get(POSTS)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"]
    # Another address has its own count.
    assert client.get(POSTS, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_behind_the_proxy_each_client_address_is_counted_not_the_proxy(client, db, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    settings.LOGIN_CLIENT_IP_HEADER = "X-Real-IP"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for reader in ("198.51.100.1", "198.51.100.2"):
        for _ in range(2):
            assert client.get(POSTS, headers={"x-real-ip": reader}, **proxy).status_code == 200
    assert client.get(POSTS, headers={"x-real-ip": "198.51.100.1"}, **proxy).status_code == 429
    assert client.get(POSTS, headers={"x-real-ip": "198.51.100.3"}, **proxy).status_code == 200


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="reads the in-memory cache")
def test_the_throttle_keeps_no_client_address(client, db, settings):
    settings.API_THROTTLE_RATE = "5/minute"
    client.get(POSTS, REMOTE_ADDR="203.0.113.9")
    keys = list(getattr(cache, "_cache", {}))  # the test settings' in-memory cache
    assert keys and not [key for key in keys if "203.0.113.9" in key]
