"""The public site's machine-readable documents: Atom and JSON Feed 1.1 feeds of published posts
(per language, and per language and kind) and the sitemap.

Every document here holds absolute URLs, which are built from the scheme and host the request
came in on (the clear-web host or the onion one), so its cache key holds them too
(`origin_of`, used by content.views.public_documents): a feed fetched over Tor never hands
onion readers the clear-web links of a copy cached for the clear web, nor the other way round.

Entry ids do not depend on the host or the address: an entry's id is
`urn:uuid:` + uuid5(ENTRY_NAMESPACE, "post/<post pk>/revision/<revision number>"). The post's
primary key never changes (a slug does, and the host differs between the clear web and Tor),
so a reader subscribed over both sees one entry per published version; a new version is a new
entry, on purpose: readers must notice that a text they may have reposted changed. A feed's own
id is uuid5(ENTRY_NAMESPACE, "feed/<language code>/<kind slug or 'all'>").
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.models import Language, Post, PostKind, Tag
from content.models.posts import expired_alert

FEED_LENGTH = 30
# The kinds of post a feed can be limited to, by the readable name in its address.
FEED_KINDS: dict[str, PostKind] = {
    "alerts": PostKind.DRUG_ALERT,
    "articles": PostKind.ARTICLE,
    "faq": PostKind.FAQ_ANSWER,
    "fact-sheets": PostKind.FACT_SHEET,
}
FEED_TITLES = {
    "alerts": gettext_lazy("Drug alerts"),
    "articles": gettext_lazy("Articles"),
    "faq": gettext_lazy("FAQ answers"),
    "fact-sheets": gettext_lazy("Substance fact sheets"),
}
FEED_DESCRIPTION = gettext_lazy(
    "Reviewed harm-reduction information, drug alerts and fact sheets."
)
# Fixed for ever: changing it would change every entry id readers have seen.
ENTRY_NAMESPACE = uuid.UUID("6f1c2d4e-8a0b-5c3d-9e7f-2b4a6c8d0e1f")
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
# The sitemap protocol's limit of addresses in one file.
SITEMAP_LIMIT = 50_000


def origin_of(request: HttpRequest) -> str:
    """The scheme and host absolute URLs are built from (the host checked by ALLOWED_HOSTS)."""
    return f"{request.scheme}://{request.get_host()}"


def entry_id(post: Post, revision_number: int) -> str:
    """The stable id of one published version of a post (see the module's docstring)."""
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'post/{post.pk}/revision/{revision_number}')}"


def feed_id(language_code: str, kind_slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'feed/{language_code}/{kind_slug or "all"}')}"


@dataclass(frozen=True)
class FeedSubject:
    """What one feed is of: a language, and optionally a kind of post (a FEED_KINDS name)."""

    language: Language
    kind_slug: str = ""

    @property
    def title(self) -> str:
        with translation.override(self.language.code):  # the feed's words in its language
            what = (
                FEED_TITLES[self.kind_slug]
                if self.kind_slug
                else _("Harm reduction information")
            )
            return f"{what} ({self.language.name})"

    @property
    def description(self) -> str:
        with translation.override(self.language.code):
            return str(FEED_DESCRIPTION)

    @property
    def page(self) -> str:
        """The list page showing what the feed holds."""
        page = reverse("public:language", args=[self.language.code])
        return f"{page}?kind={FEED_KINDS[self.kind_slug]}" if self.kind_slug else page


def feed_subject(lang: str, kind_slug: str = "") -> FeedSubject:
    """The feed at /<lang>/feed/[<kind>/]; 404 for an unknown language or kind."""
    if kind_slug and kind_slug not in FEED_KINDS:
        raise Http404(gettext_lazy("There is no such feed."))
    return FeedSubject(get_object_or_404(Language, code=lang), kind_slug)


def feed_posts(subject: FeedSubject, today: datetime.date | None = None) -> list[Post]:
    """The newest published posts of the feed, with their published revision and its tags.
    A drug alert past its expiry date is left out (it is history, not a warning to subscribe
    to); its page stays readable and says it expired."""
    posts = Post.objects.published().filter(language=subject.language)
    posts = posts.exclude(expired_alert(today))
    if subject.kind_slug:
        posts = posts.filter(kind=FEED_KINDS[subject.kind_slug])
    return list(
        posts.select_related("language", "published_revision")
        .prefetch_related(Prefetch("published_revision__tags", queryset=Tag.objects.all()))
        .order_by("-published_at", "-pk")[:FEED_LENGTH]
    )


class LanguageFeed(Feed[Post, FeedSubject]):
    """Atom. Django's syndication framework makes its links absolute with the request's host."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, lang: str, kind: str = "") -> FeedSubject:
        subject = feed_subject(lang, kind)
        self.language = subject.language.code  # one instance per request (public_documents.feed)
        return subject

    def title(self, subject: FeedSubject) -> str:
        return subject.title

    def link(self, subject: FeedSubject) -> str:
        return subject.page

    def feed_guid(self, subject: FeedSubject) -> str:
        return feed_id(subject.language.code, subject.kind_slug)

    def subtitle(self, subject: FeedSubject) -> str:
        return subject.description

    def items(self, subject: FeedSubject) -> list[Post]:
        return feed_posts(subject)

    def item_title(self, post: Post) -> str:
        return post.expect_published_revision().title

    def item_description(self, post: Post) -> str:
        # The stored, sanitized HTML of exactly the published revision.
        return post.expect_published_revision().rendered_html

    def item_link(self, post: Post) -> str:
        return post.get_public_url()

    def item_pubdate(self, post: Post) -> datetime.datetime | None:
        return post.published_at

    def item_guid(self, post: Post) -> str:
        return entry_id(post, post.expect_published_revision().number)

    item_guid_is_permalink = False

    def item_categories(self, post: Post) -> list[str]:
        return [tag.name for tag in post.expect_published_revision().tags.all()]


def json_feed(request: HttpRequest, subject: FeedSubject) -> HttpResponse:
    """The same feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    origin = origin_of(request)
    items = []
    for post in feed_posts(subject):
        revision = post.expect_published_revision()
        item: dict[str, Any] = {
            "id": entry_id(post, revision.number),
            "url": origin + post.get_public_url(),
            "title": revision.title,
            "content_html": revision.rendered_html,
            "language": post.language.code,
            "tags": [tag.name for tag in revision.tags.all()],
        }
        if revision.summary:
            item["summary"] = revision.summary
        if post.published_at is not None:
            item["date_published"] = post.published_at.isoformat()
        changed = max(filter(None, (post.published_at, post.last_reviewed_at)), default=None)
        if changed is not None:
            item["date_modified"] = changed.isoformat()
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": subject.title,
        "home_page_url": origin + subject.page,
        "feed_url": origin + request.path,
        "description": subject.description,
        "language": subject.language.code,
        "items": items,
    }
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type=JSON_FEED_TYPE
    )
    response["Content-Language"] = subject.language.code
    return response


@dataclass(frozen=True)
class SitemapEntry:
    location: str
    changed: datetime.datetime | None


def sitemap(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: every published post, each language's list and each substance page, with
    the time it last changed. Two queries, however many posts there are."""
    origin = origin_of(request)
    posts = (
        Post.objects.published()
        .order_by("language__code", "-published_at", "pk")
        .values_list("language__code", "slug", "published_at", "last_reviewed_at")
    )
    languages: dict[str, datetime.datetime | None] = {}
    entries: list[SitemapEntry] = []
    for code, slug, published_at, reviewed_at in posts[:SITEMAP_LIMIT]:
        changed = max(filter(None, (published_at, reviewed_at)), default=None)
        entries.append(SitemapEntry(origin + reverse("public:post", args=[code, slug]), changed))
        newest = languages.get(code)
        if code not in languages or (changed and (newest is None or changed > newest)):
            languages[code] = changed
    substances = (
        Post.objects.published()
        .filter(published_revision__tags__kind=Tag.Kind.SUBSTANCE)
        .values_list("language__code", "published_revision__tags__slug")
        .annotate(changed=Max("published_at"))
        .order_by("language__code", "published_revision__tags__slug")
    )
    pages = [
        SitemapEntry(origin + reverse("public:language", args=[code]), changed)
        for code, changed in sorted(languages.items())
    ]
    pages += [
        SitemapEntry(origin + reverse("public:substance", args=[code, slug]), changed)
        for code, slug, changed in substances
    ]
    body = render_to_string(
        "content/public/sitemap.xml", {"entries": (pages + entries)[:SITEMAP_LIMIT]}
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
