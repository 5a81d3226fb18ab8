"""/healthz: 200 while the database answers and the signing keys in use are in the key store."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.urls import reverse


def test_a_healthy_instance_without_keys_answers_200(client, db):
    response = client.get(reverse("public:healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "key_store": "no signing key in use",
        "status": "ok",
    }
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_a_current_key_in_the_store_is_healthy(client, export_settings, team_key):
    response = client.get(reverse("public:healthz"))
    assert response.status_code == 200
    assert response.json()["key_store"] == "ok"


def test_a_current_key_missing_from_the_store_is_503_and_names_nothing(
    client, team_key, own_store
):
    response = client.get(reverse("public:healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "key_store": "failing", "status": "failing"}
    assert team_key.fingerprint not in response.content.decode()


def test_a_database_that_does_not_answer_is_503(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("public:healthz"))
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json()["database"] == "failing"


def test_the_checks_run_at_most_once_in_a_few_seconds(
    client, export_settings, team_key, django_assert_num_queries
):
    client.get(reverse("public:healthz"))
    with django_assert_num_queries(0):
        assert client.get(reverse("public:healthz")).status_code == 200
    cache.clear()
    with django_assert_num_queries(2):  # SELECT 1, the keys in use
        client.get(reverse("public:healthz"))
