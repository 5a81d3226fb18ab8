"""A drug alert expires: the day after its expiry date it leaves the active alerts and the
alerts feed, says "expired on" on its page (still readable), refuses final export, and its
reposts get a ready expiry notice in each forum's format. On its expiry day all is normal."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from content import exports, reposts, roles, states
from content.models import AuditEvent, ExportProfile, Post, PostKind, Repost
from content.revisions import create_post, save_revision
from content.views.public import active_alerts
from tests.readers import rendered_html, visible_text
from tests.support import content_of, profile

ATOM = "{http://www.w3.org/2005/Atom}"
REAL_TODAY = timezone.localdate()
TESTED = REAL_TODAY - datetime.timedelta(days=5)
EXPIRES = REAL_TODAY + datetime.timedelta(days=10)
DAY_AFTER = EXPIRES + datetime.timedelta(days=1)
TITLE = "High-dose pills: orange Tesla"


def alert_facts(expires: datetime.date = EXPIRES) -> dict[str, Any]:
    return {
        "sold_as": "Ecstasy (orange Tesla)",
        "substances": [{"name": "MDMA", "amount": "240", "unit": "mg", "per": "pill"}],
        "colour": "orange",
        "logo": "Tesla",
        "shape": "shield",
        "tested_on": TESTED.isoformat(),
        "tested_at": "Brussels",
        "tested_by": "Drug checking service",
        "severity": "high_dose",
        "expires_on": expires.isoformat(),
    }


def make_alert(author: Any, reviewers: list[Any], language: Any, **changes: Any) -> Post:
    """A drug alert with facts, published with the approvals its kind needs."""
    values: dict[str, Any] = {
        "title": TITLE,
        "summary": "Pills sold as orange Tesla contain about 240 mg of MDMA.",
        "body": "Start with a quarter of a pill: about 240 mg is a very high dose.",
        "substances": ("MDMA",),
        "facts": alert_facts(),
    }
    post = create_post(
        author=author,
        language=language,
        kind=PostKind.DRUG_ALERT,
        content=content_of(**(values | changes)),
    )
    states.publish_latest(post, author=author, reviewers=reviewers)
    return Post.objects.select_related("language", "published_revision").get(pk=post.pk)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    """Make `timezone.localdate()` (the site's today, Europe/Brussels) answer `day`; a date
    asked of a given moment is still that moment's."""
    real = timezone.localdate

    def travel(day: datetime.date) -> None:
        def localdate(value: Any = None, timezone: Any = None) -> datetime.date:
            return day if value is None else real(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    return travel


@pytest.fixture
def reviewers(reviewer: Any, make_user: Any) -> list[Any]:
    return [reviewer, make_user("second_reviewer", roles.REVIEWERS)]


@pytest.fixture
def alert(author: Any, reviewers: list[Any], english: Any) -> Post:
    return make_alert(author, reviewers, english)


@pytest.fixture
def reposted(alert: Post, author: Any) -> Iterator[list[Repost]]:
    """The alert posted on every active seeded forum profile while it was in force."""
    yield [
        reposts.record_repost(
            post=alert, profile=p, actor=author, where=f"{p.slug} thread", posted_on=TESTED
        )
        for p in ExportProfile.objects.filter(active=True).order_by("slug")
    ]


def home_alerts(client: Any) -> str:
    html = client.get(reverse("public:index")).content.decode()
    section = re.search(r'<section class="alerts".*?</section>', html, re.S)
    return section.group(0) if section else ""


def alerts_feed_titles(client: Any) -> list[str]:
    response = client.get(reverse("public:kind_feed", args=["en", "alerts"]))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.iter(f"{ATOM}entry")]


def json_feed_titles(client: Any) -> list[str]:
    response = client.get(reverse("public:kind_json_feed", args=["en", "alerts"]))
    return [item["title"] for item in json.loads(response.content)["items"]]


def test_on_its_expiry_day_an_alert_is_active_everywhere(client, alert, on_day) -> None:
    on_day(EXPIRES)
    assert list(active_alerts()) == [alert]
    assert TITLE in home_alerts(client)
    assert alerts_feed_titles(client) == [TITLE] and json_feed_titles(client) == [TITLE]
    page = client.get(alert.get_public_url()).content.decode()
    assert "expired on" not in page
    assert not alert.is_expired and exports.final_blocker(alert) == ""


def test_the_day_after_it_leaves_the_active_list_and_the_feeds_at_once(
    client, alert, on_day
) -> None:
    on_day(EXPIRES)
    # Both pages are cached on the expiry day: the next day must not be served from them.
    assert TITLE in home_alerts(client) and alerts_feed_titles(client) == [TITLE]
    on_day(DAY_AFTER)
    assert not active_alerts().exists()
    assert TITLE not in home_alerts(client)
    assert alerts_feed_titles(client) == [] and json_feed_titles(client) == []
    language = client.get(reverse("public:language", args=["en"])).content.decode()
    assert '<section class="alerts"' not in language
    # Still in its language's list, as history, marked.
    assert TITLE in language and f"expired on {EXPIRES.isoformat()}" in language


def test_an_expired_alert_stays_readable_and_says_when_it_expired(client, alert, on_day) -> None:
    on_day(DAY_AFTER)
    response = client.get(alert.get_public_url())
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert f"This drug alert expired on {EXPIRES.isoformat()}" in text
    assert "240 mg" in text  # its text, as history


def test_an_alert_without_an_expiry_date_never_expires(
    client, author, reviewers, english, on_day
) -> None:
    old = make_alert(author, reviewers, english, facts={})
    on_day(DAY_AFTER)
    assert list(active_alerts()) == [old] and not old.is_expired


def test_an_expired_alert_refuses_final_export_with_the_reason(
    author_client, alert, on_day
) -> None:
    url = reverse("content:post_export", args=[alert.pk])
    on_day(EXPIRES)
    assert author_client.post(url, {"profile": "phpbb", "version": "final"}).status_code == 200
    on_day(DAY_AFTER)
    response = author_client.post(url, {"profile": "phpbb", "version": "final"})
    assert response.status_code == 409
    assert f"expired on {EXPIRES.isoformat()}" in response.content.decode()
    with pytest.raises(exports.NotExportable, match="expired on"):
        exports.final_revision(Post.objects.get(pk=alert.pk))
    # A preview still works: the team may work on a new version.
    preview = author_client.post(url, {"profile": "phpbb", "version": "preview"})
    assert preview.status_code == 200


def test_an_expired_alert_cannot_be_recorded_as_reposted(alert, author, on_day) -> None:
    on_day(DAY_AFTER)
    with pytest.raises(exports.NotExportable, match="expired on"):
        reposts.record_repost(post=alert, profile=profile("phpbb"), actor=author,
                              where="new thread", posted_on=DAY_AFTER)  # fmt: skip


def test_its_reposts_are_outdated_only_after_it_expired(client, editor, reposted, on_day) -> None:
    client.force_login(editor)
    on_day(EXPIRES)
    assert not Repost.objects.outdated().exists()
    on_day(DAY_AFTER)
    assert set(Repost.objects.outdated()) == set(reposted)
    page = client.get(reverse("content:outdated_reposts")).content.decode()
    assert page.count(f"the alert expired on {EXPIRES.isoformat()}") == len(reposted)
    assert "Expiry notice" in page


FORUM_FORMATS = ("bbcode", "forum_markdown")


def test_each_repost_gets_an_expiry_notice_in_its_forums_format(
    editor, reposted, export_settings, on_day
) -> None:
    on_day(DAY_AFTER)
    formats = set()
    for repost in Repost.objects.select_related("post", "post__language", "revision", "profile"):
        outcome = exports.notice_for(repost=repost, actor=editor)
        assert outcome.notice and outcome.basename.endswith(f"expiry-{repost.profile.slug}")
        fmt = repost.profile.format
        formats.add(fmt)
        text = "\n".join(outcome.parts)
        if fmt in FORUM_FORMATS:  # what the forum shows, by a parser that is not ours
            text = visible_text(rendered_html(text, fmt))
        text = " ".join(text.split())
        assert f"Expired: {TITLE}" in text
        assert f"This drug alert expired on {EXPIRES.isoformat()}" in text
        assert repost.revision.content_hash in text
        assert f"It was version 1, published on {REAL_TODAY.isoformat()}" in text
    assert set(FORUM_FORMATS) <= formats
    notices = AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, details__expiry_notice=True
    )
    assert notices.count() == len(reposted)


def test_before_it_expires_there_is_no_expiry_notice(editor, reposted, on_day) -> None:
    on_day(EXPIRES)
    with pytest.raises(exports.NotExportable, match="has not expired"):
        exports.expiry_notice(repost=reposted[0], actor=editor)


def test_a_signing_profiles_expiry_notice_is_signed_and_verifies(
    alert, author, editor, signed_profile, gpg_keys, export_settings, on_day
) -> None:
    repost = reposts.record_repost(
        post=alert, profile=signed_profile, actor=author, where="signed", posted_on=TESTED
    )
    on_day(DAY_AFTER)
    outcome = exports.expiry_notice(repost=Repost.objects.get(pk=repost.pk), actor=editor)
    assert outcome.result.signed
    for part in outcome.parts:
        assert re.search(r"^Status: expired\s*$", part, re.MULTILINE)
        checked = subprocess.run(["gpg", "--homedir", gpg_keys.home, "--batch", "--verify"],
                                 input=part.encode(), capture_output=True, check=False)  # fmt: skip
        assert checked.returncode == 0, checked.stderr


def test_the_dashboard_gives_the_notice_and_closes_the_repost(
    client, editor, reposted, on_day
) -> None:
    client.force_login(editor)
    on_day(DAY_AFTER)
    repost = reposted[0]
    page = client.post(reverse("content:repost_replacement", args=[repost.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Expiry notice for" in html and "This drug alert expired on" in html
    closed = client.post(
        reverse("content:repost_close", args=[repost.pk]), {"posted_on": DAY_AFTER.isoformat()}
    )
    assert closed.status_code == 302
    assert Repost.objects.get(pk=repost.pk).notice_posted_on == DAY_AFTER
    assert repost not in Repost.objects.outdated()


def test_a_new_revision_with_a_later_expiry_brings_the_alert_back(
    alert, author, reviewers, on_day
) -> None:
    on_day(DAY_AFTER)
    assert alert.is_expired
    later = alert_facts(expires=DAY_AFTER + datetime.timedelta(days=30))
    save_revision(post=alert, author=author, content=content_of(
        title=TITLE, summary="Still sold.", body="Still around: about 240 mg.",
        substances=("MDMA",), facts=later, public_change_note="Still sold; valid longer.",
    ), base_revision_id=alert.latest_revision_id)  # fmt: skip
    states.publish_latest(Post.objects.get(pk=alert.pk), author=author, reviewers=reviewers)
    assert list(active_alerts()) == [alert]
