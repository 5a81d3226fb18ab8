"""Every public page, found by following links from `/`, is clean HTML that works without
JavaScript: one h1 and no skipped heading level, labelled form fields, unique ids, no inline
style or any script, only relative links to our own pages, an <html lang>, no cookie.

The parser is the standard library's, made strict here: every element that is opened is closed
in order (void elements excepted). The browser tests (tests/browser) run axe-core on the same
pages; this catches the same mistakes in the fast suite.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from content import roles
from content.models import ExportProfile, Post
from tests.views.test_public_lists import make_shelf

pytestmark = pytest.mark.usefixtures("export_settings")

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
FIELDS = frozenset({"input", "select", "textarea"})
UNLABELLED_INPUTS = frozenset({"hidden", "submit", "button", "reset"})


class PageCheck(HTMLParser):
    """Collects what the checks below need, and every structural error as it goes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[str] = []
        self.links: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if "style" in attributes or tag in ("style", "script"):
            self.errors.append(f"inline style or script: <{tag}>")
        if any(name.startswith("on") for name in attributes):
            self.errors.append(f"event handler attribute on <{tag}>")
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))
        if tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"] or "")
        if tag in FIELDS and attributes.get("type") not in UNLABELLED_INPUTS:
            self.fields.append(attributes.get("id") or f"<{tag} name={attributes.get('name')}>")
        for name in ("href", "src", "action"):
            if attributes.get(name) is not None:
                self.links.append(attributes[name] or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()


def check_page(path: str, html: str) -> PageCheck:
    page = PageCheck()
    page.feed(html)
    page.close()
    problems = list(page.errors)
    if page.stack:
        problems.append(f"left open: {page.stack}")
    if not page.html_lang:
        problems.append("no <html lang>")
    if page.headings.count(1) != 1:
        problems.append(f"{page.headings.count(1)} h1 elements")
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading h{before} followed by h{after}")
    if page.headings and page.headings[0] != 1:
        problems.append("the first heading is not the h1")
    if len(set(page.ids)) != len(page.ids):
        problems.append(f"duplicate ids: {sorted(page.ids)}")
    for field in page.fields:
        if field not in page.label_for:
            problems.append(f"unlabelled field {field}")
    assert not problems, (path, problems)
    return page


def own_links(links: list[str]) -> list[str]:
    """Links to our own site: relative only. An absolute link must lead elsewhere (a source)."""
    own = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme or link.startswith("//"):
            assert parts.hostname not in ("testserver", "hr.example.org"), link
            assert ".onion" not in (parts.hostname or ""), link
            continue
        own.append(link.split("#")[0])
    return own


@pytest.fixture
def site(author: Any, reviewer: Any, make_user: Any, languages: Any, team_key: Any) -> Any:
    people = (author, reviewer, make_user("second_reviewer", roles.REVIEWERS))
    profile = ExportProfile.objects.get(slug="phpbb")
    profile.sign, profile.signing_key = True, team_key
    profile.save()
    return make_shelf(people, languages)


def crawl(client: Any) -> dict[str, Any]:
    """Every page reachable by a link from `/`, by path (with its query), and its answer."""
    seen: dict[str, Any] = {}
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen or path.startswith(("/static/", "/media/")):
            continue
        response = client.get(path)
        seen[path] = response
        if response["Content-Type"].startswith("text/html"):
            page = check_page(path, response.content.decode())
            base = path.split("?")[0]
            for link in own_links(page.links):
                queue.append(link if link.startswith("/") else base + link)
    return seen


def test_every_public_page_reached_from_home_is_clean_html_without_cookies(
    client: Any, site: dict[str, Post]
) -> None:
    pages = crawl(client)
    assert len(pages) > 30
    unsigned = {"/canary.txt", "/mirrors.txt"}  # 404 until the team signs them
    for path, response in pages.items():
        assert response.status_code == (404 if path in unsigned else 200), path
        assert not response.cookies, path
    tesla = site["tesla"]
    for expected in (
        "/en/",
        "/nl/",
        "/en/substances/",
        "/en/substances/mdma/",
        "/nl/substances/mdma/",
        tesla.get_public_url(),
        reverse("public:signed", args=["en", tesla.slug, "phpbb"]),
        "/en/feed/",
        "/en/feed.json",
        "/en/feed/alerts/",
        "/en/feed/alerts.json",
        "/en/?topic=drug-checking",
        "/verify/",
        "/pgp/",
    ):
        assert expected in pages, expected


def test_pages_with_filters_search_and_more_pages_are_clean_html(
    client: Any, site: dict[str, Post], settings: Any
) -> None:
    settings.PUBLIC_PAGE_SIZE = 2
    for url in (
        "/",
        "/?page=2",
        "/en/?kind=drug_alert&substance=mdma",
        "/en/?q=pills",
        "/en/?q=nothing-at-all",
        "/en/?page=2",
        "/en/substances/mdma/?page=2",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        check_page(url, response.content.decode())


def test_the_strict_parser_catches_what_it_must() -> None:
    good = (
        '<html lang="en"><body><h1>A</h1><h2>B</h2>'
        '<label for="x">X</label><input id="x"></body></html>'
    )
    check_page("good", good)
    for bad in (
        '<html lang="en"><h1>A</h1><h3>C</h3></html>',
        '<html lang="en"><h1>A</h1><h1>B</h1></html>',
        "<html><h1>A</h1></html>",
        '<html lang="en"><h1>A</h1><select name="kind"></select></html>',
        '<html lang="en"><h1>A</h1><p style="color: red">x</p></html>',
        '<html lang="en"><h1>A</h1><script>alert(1)</script></html>',
        '<html lang="en"><h1>A</h1><ul><li>x</ul></html>',
    ):
        with pytest.raises(AssertionError):
            check_page("bad", bad)
    with pytest.raises(AssertionError):
        own_links(["http://testserver/en/"])


def test_the_not_found_page_is_a_whole_page_of_the_site(
    client: Any, settings: Any, db: Any
) -> None:
    settings.DEBUG = False
    for url in ("/no/such/page/", "/en/no-such-post-here/", "/xx/"):
        response = client.get(url)
        assert response.status_code == 404, url
        page = check_page(url, response.content.decode())
        assert "/" in own_links(page.links) and "/verify/" in own_links(page.links)
        assert not response.cookies
