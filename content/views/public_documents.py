"""The public site's documents with absolute addresses (Atom and JSON feeds, the sitemap), and
robots.txt. Feeds and sitemap are built from the address the reader used and cached per scheme
and host (content.feeds.origin_of), so the onion service's feed links to the onion service."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from content.feeds import LanguageFeed, feed_subject, json_feed, origin_of, sitemap
from content.models import PublicVersion
from content.public_cache import Rendered, page_key, serve, start_of, with_language

TEXT = "text/plain; charset=utf-8"


def _document(
    request: HttpRequest, name: str, *parts: object, make: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """A document with absolute URLs: cached per scheme and host (content.feeds), and per day:
    a drug alert leaves the feeds when it expires, at midnight, with nothing else changing."""
    version = PublicVersion.current()
    today = timezone.localdate()
    return serve(
        request,
        key=page_key(name, version, origin_of(request), today, *parts),
        render=lambda: Rendered(make(), changed_at=max(version.changed_at, start_of(today))),
    )


def feed(request: HttpRequest, lang: str, kind: str = "") -> HttpResponseBase:
    response = _document(
        request, "feed", lang, kind, make=lambda: LanguageFeed()(request, lang=lang, kind=kind)
    )
    return with_language(response, lang)


def json_feed_page(request: HttpRequest, lang: str, kind: str = "") -> HttpResponseBase:
    response = _document(
        request, "json-feed", lang, kind, make=lambda: json_feed(request, feed_subject(lang, kind))
    )
    return with_language(response, lang)


def sitemap_xml(request: HttpRequest) -> HttpResponseBase:
    return _document(request, "sitemap", make=lambda: sitemap(request))


ROBOTS = """\
User-agent: *
Disallow: /studio/
Disallow: /admin/
Disallow: /accounts/
Allow: /

Sitemap: {sitemap}
"""


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public site, not the studio. The sitemap's address is absolute, as
    the robots.txt standard asks, on the host the crawler asked (the onion service's own over
    Tor); the file is not cached, so no host's address is served to another."""
    body = ROBOTS.format(sitemap=origin_of(request) + reverse("public:sitemap"))
    return HttpResponse(body, content_type=TEXT)
