"""Every public page, found by crawling from `/`, as an anonymous reader gets it in Chromium.

The site must work in Tor Browser at its "safest" level (no JavaScript), load nothing from
another host, keep to its Content-Security-Policy, pass axe-core, fit a phone's screen, and set
no cookie. One module fixture seeds the demo content, crawls and audits each page once
(tests/browser/public_audit.py); each test below asserts one of those promises on the result,
so a failure names every page and problem at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import modify_settings, override_settings
from django.urls import Resolver404, resolve

from content import public_urls
from tests.browser.public_audit import (
    MAX_PAGES,
    SiteAudit,
    audit_site,
    is_file_or_feed,
    seed_public_site,
)
from tests.support import SITE, Keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_SIZE = 3  # small, so the lists have a second page whose links the crawl follows too
# Routes of content.public_urls that are not pages for a reader (files and feeds aside).
NOT_PAGES = {"healthz": "for monitors", "signed": "a download"}


@pytest.fixture(scope="module")
def audit(
    browser: Any, live_server: Any, django_db_setup: None, django_db_blocker: Any, gpg_keys: Keys
) -> Iterator[SiteAudit]:
    host = urlsplit(live_server.url).hostname
    changes = [
        modify_settings(ALLOWED_HOSTS={"append": host}),
        override_settings(
            PUBLIC_PAGE_SIZE=PAGE_SIZE,
            GNUPG_HOME=gpg_keys.home,
            GNUPG_PASSPHRASE="",
            PUBLIC_SITE_URL=SITE,
        ),
    ]
    for change in changes:
        change.enable()
    try:
        with django_db_blocker.unblock():
            cache.clear()
            site = seed_public_site(gpg_keys)
            result = audit_site(browser, live_server.url, site)
        print(f"\nPublic pages audited ({len(result.visits)}):\n{result.report()}")
        yield result
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        cache.clear()
        for change in reversed(changes):
            change.disable()


def _listed(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def _kind(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return ""
    return (match.url_name or "") if match.namespace == "public" else ""


def test_the_crawl_reaches_every_kind_of_public_page(audit: SiteAudit) -> None:
    """Links from `/` lead to a page of every HTML route in content.public_urls (new routes
    included) and to every published post, in each language; the 410, 404 and verify answers
    are there too."""
    site = audit.site
    page_kinds = {
        pattern.name
        for pattern in public_urls.urlpatterns
        if pattern.name not in NOT_PAGES and not is_file_or_feed(f"/{pattern.pattern}")
    }
    linked = [v.url for v in audit.visits if not v.paste and audit.statuses[v.name] == 200]
    assert page_kinds - {_kind(url) for url in linked} == set(), audit.report()
    paths = {urlsplit(url).path for url in linked}
    assert set(site.published) - paths == set(), audit.report()
    assert set(site.published.values()) == {"nl", "fr", "en"}
    assert audit.statuses[f"{audit.origin}{site.withdrawn}"] == 410
    assert audit.statuses[f"{audit.origin}{site.given_up}"] == 410
    assert 404 in audit.statuses.values()
    assert [v.via for v in audit.visits if v.paste] == list(site.pastes)
    assert len(audit.visits) <= MAX_PAGES


def test_every_page_works_without_javascript(audit: SiteAudit) -> None:
    """Loads with its status, its stylesheet, a <main> with an <h1>, a way home and the footer;
    its GET forms (filters, search) and the verify form answer without scripts."""
    assert audit.without_js == [], _listed(audit.without_js)


def test_no_page_breaks_its_content_security_policy(audit: SiteAudit) -> None:
    assert audit.csp == [], _listed(audit.csp)


def test_no_page_asks_another_host_for_anything(audit: SiteAudit) -> None:
    assert audit.other_hosts == [], _listed(audit.other_hosts)


def test_every_page_passes_axe_core(audit: SiteAudit) -> None:
    assert audit.axe == [], _listed(audit.axe)


def test_every_page_is_readable_on_a_phone(audit: SiteAudit) -> None:
    assert audit.phone == [], _listed(audit.phone)


def test_the_anonymous_reader_gets_no_cookie(audit: SiteAudit) -> None:
    assert audit.cookies == [], _listed(audit.cookies)
