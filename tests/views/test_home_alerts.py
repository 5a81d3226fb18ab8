"""The editor's home lists the drug alerts that expired, each with the reposts still waiting for
their expiry notice (linking to the outdated reposts), and the alerts expiring within a week:
counted and listed by the database, in the same queries with 3 or 30 alerts."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content import home, reposts
from content.models import ExportProfile, Post
from tests.test_alert_expiry import DAY_AFTER, EXPIRES, TESTED, alert_facts, make_alert
from tests.test_alert_expiry import on_day as on_day  # the fixture
from tests.test_alert_expiry import reviewers as reviewers  # the fixture
from tests.views.test_pagination import copies, posts_like

HOME = reverse("content:dashboard")
SOON = DAY_AFTER + datetime.timedelta(days=home.ALERT_WARNING_DAYS)


def section(page: str, key: str) -> str:
    found = re.search(rf'<section class="home-section" id="{key}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def alerts(author: Any, reviewers: list[Any], language: Any, count: int) -> tuple[Post, Post]:
    """`count` alerts that expire on EXPIRES (the first reposted `count` times) and `count`
    that expire on SOON, and one that expires the day after SOON."""
    expired = make_alert(author, reviewers, language, title="Expired orange Tesla")
    first = reposts.record_repost(
        post=expired,
        profile=ExportProfile.objects.get(slug="phpbb"),
        actor=author,
        where="https://forum.example/t/1",
        posted_on=TESTED,
    )
    copies(first, count - 1, where=lambda i: f"https://forum.example/t/{i + 2}")
    posts_like(expired, count - 1)
    expiring = make_alert(
        author, reviewers, language, title="Expiring blue Punisher", facts=alert_facts(SOON)
    )
    posts_like(expiring, count - 1)
    later = SOON + datetime.timedelta(days=1)
    make_alert(author, reviewers, language, title="Later red Skull", facts=alert_facts(later))
    return expired, expiring


def test_the_editor_sees_expired_and_expiring_alerts(
    client: Any, author: Any, reviewers: list[Any], editor: Any, english: Any, on_day: Any
) -> None:
    alerts(author, reviewers, english, 2)
    on_day(DAY_AFTER)
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    expired = section(page, "expired_alerts")
    assert 'Alerts that expired <span class="count">(2)</span>' in expired
    assert expired.count("Expired orange Tesla") == 2
    assert EXPIRES.isoformat() in expired
    # The first alert has 2 reposts waiting for the expiry notice; its copy has none.
    outdated = reverse("content:outdated_reposts")
    assert f'<a href="{outdated}">2 reposts</a>' in expired
    assert "none" in expired
    expiring = section(page, "expiring_alerts")
    assert 'Alerts expiring within 7 days <span class="count">(2)</span>' in expiring
    assert expiring.count("Expiring blue Punisher") == 2
    assert SOON.isoformat() in expiring
    assert "Later red Skull" not in page
    assert "Expired orange Tesla" not in expiring


def test_an_alert_expiring_today_is_expiring_not_expired(
    client: Any, author: Any, reviewers: list[Any], editor: Any, english: Any, on_day: Any
) -> None:
    alerts(author, reviewers, english, 1)
    on_day(EXPIRES)
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    assert section(page, "expired_alerts") == ""
    assert "Expired orange Tesla" in section(page, "expiring_alerts")


def test_without_alerts_expiring_the_sections_are_not_shown(client: Any, editor: Any) -> None:
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    assert 'id="expired_alerts"' not in page and 'id="expiring_alerts"' not in page


def test_an_author_does_not_see_the_team_s_alert_sections(
    client: Any, author: Any, reviewers: list[Any], english: Any, on_day: Any
) -> None:
    alerts(author, reviewers, english, 1)
    on_day(DAY_AFTER)
    client.force_login(author)
    page = client.get(HOME).content.decode()
    assert 'id="expired_alerts"' not in page and 'id="expiring_alerts"' not in page


def test_the_expiring_list_pages_through_every_alert_expiring_soon(
    client: Any, author: Any, reviewers: list[Any], editor: Any, english: Any, on_day: Any
) -> None:
    alerts(author, reviewers, english, 2)
    on_day(DAY_AFTER)
    client.force_login(editor)
    page = client.get(HOME, {"show": "all", "state": home.EXPIRING}).content.decode()
    assert "All posts: alerts expiring soon" in page
    assert page.count("Expiring blue Punisher") == 2
    assert "Expired orange Tesla" not in page and "Later red Skull" not in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_alert_sections_cost_one_list_query_each_with_3_or_30_alerts(
    client: Any,
    author: Any,
    reviewers: list[Any],
    editor: Any,
    english: Any,
    on_day: Callable[[datetime.date], None],
    count: int,
) -> None:
    alerts(author, reviewers, english, count)
    on_day(DAY_AFTER)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(HOME).content.decode()
    # The session, the user, their permissions (2), their roles, the navigation's counts; one
    # query counts every section; the first rows of the outdated reposts, the expired alerts
    # (their reposts waiting for a notice counted within) and the expiring alerts.
    assert len(captured.captured_queries) == 6 + 1 + 3
    # The queue, overdue posts, outdated reposts, keys, expired and expiring alerts.
    assert page.count('<section class="home-section"') == 6
    assert f'<a href="{reverse("content:outdated_reposts")}">{count} reposts</a>' in page


def test_expired_alerts_come_newest_first_and_expiring_ones_soonest_first(
    client: Any, author: Any, reviewers: list[Any], editor: Any, english: Any, on_day: Any
) -> None:
    earlier = EXPIRES - datetime.timedelta(days=2)
    make_alert(author, reviewers, english, title="Expired earlier", facts=alert_facts(earlier))
    make_alert(author, reviewers, english, title="Expired later")
    make_alert(author, reviewers, english, title="Expiring last", facts=alert_facts(SOON))
    sooner = SOON - datetime.timedelta(days=2)
    make_alert(author, reviewers, english, title="Expiring first", facts=alert_facts(sooner))
    on_day(DAY_AFTER)
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    expired, expiring = section(page, "expired_alerts"), section(page, "expiring_alerts")
    assert expired.index("Expired later") < expired.index("Expired earlier")
    assert expiring.index("Expiring first") < expiring.index("Expiring last")
    assert f'href="{HOME}?show=all&amp;state={home.EXPIRING}"' in expiring
