"""The API gives a drug alert's facts as structured fields (with its expiry), and filters
alerts by substance found, sold as, colour and logo."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from content.models import PostKind
from tests.test_alert_expiry import EXPIRES, TESTED, alert_facts

POSTS = "/api/v1/posts/"


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["results"])


def test_an_alert_carries_its_facts_typed_and_other_posts_none(client, publish_post) -> None:
    alert = publish_post("Orange Tesla", kind=PostKind.DRUG_ALERT, facts=alert_facts())
    publish_post("An article")
    items = {item["title"]: item for item in client.get(POSTS).json()["results"]}
    assert items["An article"]["alert"] is None
    facts = items["Orange Tesla"]["alert"]
    assert facts["sold_as"] == "Ecstasy (orange Tesla)"
    assert facts["substances"] == [
        {"name": "MDMA", "amount": "240.0000", "unit": "mg", "per": "pill"}
    ]
    assert (facts["colour"], facts["logo"], facts["shape"]) == ("orange", "Tesla", "shield")
    assert facts["tested_on"] == TESTED.isoformat()
    assert facts["expires_on"] == EXPIRES.isoformat() and facts["expired"] is False
    detail = client.get(f"/api/v1/posts/en/{alert.slug}/").json()
    assert detail["alert"] == facts


def test_an_expired_alert_says_so(client, publish_post, monkeypatch) -> None:
    alert = publish_post("Orange Tesla", kind=PostKind.DRUG_ALERT, facts=alert_facts())
    after = EXPIRES + datetime.timedelta(days=1)
    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, tz=None: after if value is None else real(value, tz),
    )
    assert client.get(f"/api/v1/posts/en/{alert.slug}/").json()["alert"]["expired"] is True


def test_alerts_are_filtered_by_their_facts(client, publish_post) -> None:
    publish_post("Orange Tesla", kind=PostKind.DRUG_ALERT, facts=alert_facts())
    publish_post(
        "Blue Superman",
        kind=PostKind.DRUG_ALERT,
        facts=alert_facts() | {
            "sold_as": "Speed paste", "colour": "light blue", "logo": "Superman",
            "substances": [{"name": "3-MMC", "amount": "", "unit": "", "per": ""}],
        },
    )  # fmt: skip
    publish_post("Article on MDMA", substances=("MDMA",))
    assert titles(client.get(POSTS, {"found": "mdma"})) == ["Orange Tesla"]
    assert titles(client.get(POSTS, {"found": "3 MMC"})) == ["Blue Superman"]
    assert titles(client.get(POSTS, {"sold_as": "ecstasy"})) == ["Orange Tesla"]
    assert titles(client.get(POSTS, {"colour": "blue"})) == ["Blue Superman"]
    assert titles(client.get(POSTS, {"logo": "TESLA"})) == ["Orange Tesla"]
    assert titles(client.get(POSTS, {"logo": "tesla", "colour": "blue"})) == []
    assert titles(client.get(POSTS, {"substance": "mdma", "found": "mdma"})) == []
    too_long = client.get(POSTS, {"colour": "x" * 81})
    assert too_long.status_code == 400 and "colour" in too_long.json()
