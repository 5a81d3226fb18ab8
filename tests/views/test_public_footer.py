"""Every public page carries the links readers use to check our signatures, in its footer, as
addresses relative to the site, so they work the same on the clear web and over Tor."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from content import workflow
from tests.support import ONION, SITE

pytestmark = pytest.mark.usefixtures("export_settings")

TRUST_LINKS = ("/pgp/", "/pgp.txt", "/verify/", "/canary.txt", "/mirrors.txt")


class FooterLinks(HTMLParser):
    """The href of every <a> inside a <footer> element, and how many footers there are."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.footers, self.hrefs = 0, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "footer":
            self.depth += 1
            self.footers += 1
        elif tag == "a" and self.depth:
            self.hrefs.extend(value or "" for name, value in attrs if name == "href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "footer" and self.depth:
            self.depth -= 1


def footer_links(html: str) -> list[str]:
    parser = FooterLinks()
    parser.feed(html)
    parser.close()
    assert parser.footers == 1 and parser.depth == 0, "one closed <footer> per page"
    return parser.hrefs


def assert_trust_footer(response: Any, status: int) -> None:
    assert response.status_code == status
    html = response.content.decode()
    hrefs = footer_links(html)
    for href in TRUST_LINKS:
        assert href in hrefs, (href, hrefs)
    for href in hrefs:  # relative to the site: no scheme, no host, no protocol-relative //
        assert href.startswith("/") and not href.startswith("//"), href
    assert SITE not in html and ONION not in html


def test_the_index_has_the_trust_links_in_its_footer(client, published) -> None:
    assert_trust_footer(client.get(reverse("public:index")), 200)


def test_a_post_page_has_the_trust_links_in_its_footer(client, published) -> None:
    assert_trust_footer(client.get(published.get_public_url()), 200)


def test_the_410_page_of_a_withdrawn_post_has_the_trust_links_in_its_footer(
    client, published, editor
) -> None:
    workflow.withdraw(post=published, actor=editor, reason="dose wrong", public_reason="Wrong.")
    assert_trust_footer(client.get(published.get_public_url()), 410)


@pytest.mark.parametrize("name", ["pgp", "verify"])
def test_the_key_and_verify_pages_have_the_trust_links_in_their_footer(
    client, team_key, name
) -> None:
    assert_trust_footer(client.get(reverse(f"public:{name}")), 200)


def test_a_link_outside_the_footer_does_not_count() -> None:
    html = '<main><a href="/pgp/">k</a></main><footer><a href="/verify/">v</a></footer>'
    assert footer_links(html) == ["/verify/"]
