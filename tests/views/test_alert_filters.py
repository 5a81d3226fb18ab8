"""Drug alerts are found by their facts on the public site: searched (?q=) and filtered by the
substance found (through its aliases), what it was sold as, its colour and its logo, on SQLite
and on PostgreSQL alike."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from content.models import Post
from tests.test_alert_expiry import alert_facts, make_alert
from tests.test_alert_expiry import reviewers as reviewers  # a fixture: two approvals


@pytest.fixture
def shelf(author: Any, reviewers: list[Any], english: Any) -> dict[str, Post]:
    """Two alerts whose text says nothing of their facts, and an article."""
    tesla = make_alert(author, reviewers, english, title="Warning one",
                       summary="Read the table.", body="Be careful.")  # fmt: skip
    blue = make_alert(
        author, reviewers, english, title="Warning two", summary="Read the table.",
        body="Be careful.", substances=(),
        facts=alert_facts() | {
            "sold_as": "Speed paste",
            "substances": [{"name": "3-MMC", "amount": "", "unit": "", "per": ""}],
            "colour": "light blue", "logo": "Superman",
        },
    )  # fmt: skip
    return {"tesla": tesla, "blue": blue}


def titles(client: Any, **params: str) -> list[str]:
    response = client.get(reverse("public:language", args=["en"]), params)
    assert response.status_code == 200
    posts = re.search(r'id="posts-heading".*?</ul>', response.content.decode(), re.S)
    assert posts is not None
    return sorted(re.findall(r">(Warning \w+)</a>", posts.group(0)))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"found": "mdma"}, ["Warning one"]),
        ({"found": "MDMA"}, ["Warning one"]),
        ({"found": "3 MMC"}, ["Warning two"]),
        ({"sold_as": "ecstasy"}, ["Warning one"]),
        ({"sold_as": "speed"}, ["Warning two"]),
        ({"colour": "orange"}, ["Warning one"]),
        ({"colour": "Blue"}, ["Warning two"]),
        ({"logo": "tesla"}, ["Warning one"]),
        ({"logo": "superman"}, ["Warning two"]),
        ({"logo": "tesla", "colour": "blue"}, []),
        ({"colour": "blu"}, []),  # every word asked for is a whole word of the fact
        ({"colour": "light blue"}, ["Warning two"]),
        ({"colour": "dark blue"}, []),
        ({"found": "ketamine"}, []),
    ],
)
def test_alerts_are_filtered_by_their_facts(client, shelf, params, expected) -> None:
    assert titles(client, **params) == expected


def test_a_substance_found_is_found_by_its_alias(client, shelf) -> None:
    from content.interactions import lookup

    if lookup("xtc") is None or lookup("mdma") is None:
        pytest.skip("the interaction table knows no alias XTC of MDMA")
    assert titles(client, found="XTC") == ["Warning one"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("tesla", ["Warning one"]),
        ("superman", ["Warning two"]),
        ("orange", ["Warning one"]),
        ("ecstasy", ["Warning one"]),
        ("3-MMC", ["Warning two"]),
        ("paste", ["Warning two"]),
        ("shield", ["Warning one", "Warning two"]),  # the shape (their text does not say it)
    ],
)
def test_alerts_are_searched_by_their_facts(client, shelf, q, expected) -> None:
    assert titles(client, q=q) == expected


def test_the_form_keeps_the_filters_and_a_too_long_one_is_refused(client, shelf) -> None:
    html = client.get(reverse("public:language", args=["en"]), {"colour": "orange"}).content
    assert b'name="colour" value="orange"' in html
    response = client.get(reverse("public:language", args=["en"]), {"logo": "x" * 81})
    assert response.status_code == 404
