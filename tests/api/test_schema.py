"""The OpenAPI document describes the real answers: schemathesis calls every operation through
the WSGI application with generated parameters (valid and invalid) over a small seeded
database, and checks status codes, content types and bodies against the document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from content import addresses, workflow

SCHEMA = "/api/v1/schema/?format=json"


@pytest.fixture
def seeded(publish_post, languages, editor) -> Iterator[None]:
    """A few published posts, a translation, a withdrawn post and a moved one."""
    first = publish_post("Alert", kind="drug_alert", topics=("testing",))
    publish_post("Alerte", language=languages["fr"], translation_of=first)
    gone = publish_post("Gone")
    workflow.withdraw(post=gone, actor=editor, reason="Internal", public_reason="Wrong.")
    moved = publish_post("Moved")
    addresses.change_slug(post=moved, actor=editor, slug="moved-here", keep_old_address=True)
    # As Django's test client does: the end of a request must not close the test's connection
    # (and with it the transaction holding these posts).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Loaded when the module is collected (the schema is generated without the database). Not
# schemathesis.pytest.from_fixture(): with pytest 9 it fails (it sets Function._nodeid).
schema = schemathesis.openapi.from_wsgi(SCHEMA, get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case: Any, seeded: None) -> None:
    case.call_and_validate()


def test_the_schema_documents_each_answer_the_api_gives(client, db):
    document = client.get(SCHEMA).json()
    operations = {path: item["get"] for path, item in document["paths"].items()}
    assert set(operations) == {"/api/v1/posts/", "/api/v1/posts/{lang}/{slug}/"}
    assert set(operations["/api/v1/posts/"]["responses"]) == {"200", "304", "400", "404", "429"}
    assert set(operations["/api/v1/posts/{lang}/{slug}/"]["responses"]) == {
        "200",
        "301",
        "304",
        "404",
        "410",
        "429",
    }
    post = document["components"]["schemas"]["PostDetail"]["properties"]
    assert {"body", "body_html", "sources", "tags", "translations", "signed"} <= set(post)
    for name in ("author", "reviewer", "change_note", "state_note", "created_by", "email"):
        assert name not in str(document)
