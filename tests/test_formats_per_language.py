"""Dates and decimals as each language writes them (settings.FORMAT_MODULE_PATH,
harmreduction/formats): ISO dates in English, day/month/year in Dutch and French as in Belgium,
a decimal comma in Dutch and French. What machines read keeps ISO: feeds, the sitemap, exports'
dates; the stored facts keep the canonical "1.5"."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from content import exports, languages, roles
from content.models import ExportProfile, Post
from tests.exports.test_alert_facts_exports import alert_in, html_text
from tests.test_alert_facts import with_amount

# 4 March: the day and the month cannot be mistaken for each other.
PUBLISHED = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 30))
SHOWN = {"en": "2026-03-04", "nl": "04/03/2026", "fr": "04/03/2026"}
ANY_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}/\d{2}/\d{4}\b")


@pytest.fixture
def people(author: Any, reviewer: Any, make_user: Any) -> tuple[Any, ...]:
    return author, reviewer, make_user("second_reviewer", roles.REVIEWERS)


def alert(code: str, people: tuple[Any, ...], amount: str = "240") -> Post:
    post = alert_in(code, people, facts=with_amount(amount))
    # Backdated, so the page's publication date is known.
    post.published_at = PUBLISHED
    post.save(update_fields=["published_at"])
    return post


@pytest.mark.parametrize("code", ["en", "nl", "fr"])
def test_the_public_post_page_writes_its_dates_as_its_language_does(
    code: str, client: Any, people: tuple[Any, ...]
) -> None:
    post = alert(code, people)
    page = client.get(post.get_public_url()).content.decode()
    found = re.search(r'<p class="meta"[^>]*>(.*?)</p>', page, re.S)
    assert found is not None
    meta = html_text(found.group(1))
    assert SHOWN[code] in meta, meta
    other = SHOWN["en"] if code != "en" else SHOWN["nl"]
    assert other not in meta


@pytest.mark.parametrize("code", ["en", "nl", "fr"])
def test_a_studio_page_writes_dates_in_the_persons_studio_language(
    code: str, client: Any, people: tuple[Any, ...], author: Any
) -> None:
    post = alert("en", people)
    languages.set_studio_language(user=author, language=code)
    client.force_login(author)
    page = html_text(client.get(post.get_absolute_url()).content.decode())
    written = timezone.localtime(post.expect_latest_revision().created_at)
    pattern = "%Y-%m-%d %H:%M" if code == "en" else "%d/%m/%Y %H:%M"
    assert written.strftime(pattern) in page
    if code != "en":
        assert written.strftime("%Y-%m-%d") not in page


@pytest.mark.parametrize(("code", "amount"), [("en", "1.5 mg"), ("nl", "1,5 mg"), ("fr", "1,5 mg")])
def test_an_amount_is_written_with_the_decimal_mark_of_the_alerts_language(
    code: str, amount: str, client: Any, people: tuple[Any, ...], export_settings: Any
) -> None:
    post = alert(code, people, amount="1.5")
    assert (
        post.expect_published_revision().facts["substances"][0]["amount"] == "1.5"
    )  # stored canonical
    page = html_text(client.get(post.get_public_url()).content.decode())
    assert amount in page
    profile = ExportProfile.objects.filter(active=True, format="plaintext").first()
    assert profile is not None
    part = exports.export_post(post=post, profile=profile, actor=people[0], final=True).parts[0]
    assert amount in part
    wrong = "1,5 mg" if code == "en" else "1.5 mg"
    assert wrong not in page and wrong not in part
    # The export's dates stay ISO in every language: forums are read across languages.
    assert "2026-11-20" in part and "20/11/2026" not in part


def test_feeds_and_the_sitemap_keep_machine_dates(client: Any, people: tuple[Any, ...]) -> None:
    post = alert("nl", people)
    sitemap = client.get(reverse("public:sitemap")).content.decode()
    assert re.search(r"<lastmod>\d{4}-\d{2}-\d{2}T", sitemap), sitemap
    assert "/2026" not in sitemap
    atom = client.get(reverse("public:feed", args=["nl"])).content.decode()
    assert "2026-03-04T" in atom and "04/03/2026" not in atom
    items = json.loads(client.get(reverse("public:json_feed", args=["nl"])).content)["items"]
    assert [item["date_published"][:10] for item in items if post.slug in item["url"]] == [
        "2026-03-04"
    ]
    assert not [found for found in ANY_DATE.findall(atom + sitemap) if "/" in found]
