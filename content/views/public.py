"""The public, read-only site: published posts only, no staff identities, nothing third-party.

It serves the HTML stored with each revision (rendered once, when it was written) and works
without JavaScript, so it can also be served as an onion service. Pages come from Django's cache
(content.public_cache): a post page costs one query when it is cached, and a reader who has it
gets a 304. Search results are the exception: any words can be searched for, so they are
rendered for each request and never stored. Documents with absolute URLs (feeds, sitemap) are
cached per scheme and host (content.feeds.origin_of).

Addresses: / (active drug alerts, languages, newest posts), /<lang>/ (one language, filtered by
?kind=, ?substance=, ?topic=, searched with ?q=), /<lang>/substances/ and
/<lang>/substances/<slug>/, /<lang>/<slug>/ (a post) and /<lang>/<slug>/signed/<profile>/ (its
signed text for a forum), feeds (content.feeds), /robots.txt and /sitemap.xml.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Case, Count, Prefetch, QuerySet, When
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from content import addresses, exports, search
from content.exporters import ExportError, SigningError
from content.feeds import FEED_TITLES, LanguageFeed, feed_subject, json_feed, origin_of, sitemap
from content.models import (
    ExportProfile,
    Language,
    Post,
    PostKind,
    PostQuerySet,
    PublicVersion,
    Review,
    Tag,
)
from content.pagination import Pages
from content.public_cache import Rendered, page_key, serve

ERROR_NO_LANGUAGE = "No posts are published in this language."
ERROR_NO_PAGE = "There is no such page."
ERROR_NO_FILTER = "There is no such kind of post, substance or topic."
ERROR_NO_SUBSTANCE = "Nothing is published about this substance in this language."
ERROR_NO_COPY = "There is no signed copy of this post for that forum."
ERROR_COPY_UNAVAILABLE = "The signed copy cannot be made right now; try again later.\n"
TEXT = "text/plain; charset=utf-8"

# What a list of posts shows; the body and its HTML stay in the database.
LIST_COLUMNS = (
    "slug",
    "kind",
    "state",
    "published_at",
    "review_due",
    "language__code",
    "language__name",
    "published_revision__title",
    "published_revision__summary",
)
ALERTS_SHOWN = 20  # active drug alerts at the top of a page, newest first
MAX_SEARCH_CHARS = 200
TAG_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def active_alerts(today: datetime.date | None = None) -> PostQuerySet:
    """The drug alerts readers must see first: the one definition of an "active" alert.

    In force (published, not withdrawn or archived, review not overdue). An expiry date, when
    alerts get one, belongs here too."""
    return Post.objects.in_force(today).filter(kind=PostKind.DRUG_ALERT)


def _published() -> PostQuerySet:
    return Post.objects.published().select_related("language", "published_revision")


def _listed(posts: PostQuerySet) -> PostQuerySet:
    """`posts` as a list shows them: the listed columns and the substances each is about."""
    substances = Prefetch(
        "published_revision__tags",
        queryset=Tag.objects.filter(kind=Tag.Kind.SUBSTANCE),
        to_attr="substance_tags",
    )
    return (
        posts.select_related("language", "published_revision")
        .only(*LIST_COLUMNS)
        .prefetch_related(substances)
    )


def _alerts(today: datetime.date, language: Language | None = None) -> list[Post]:
    alerts = active_alerts(today).select_related("language", "published_revision")
    if language is not None:
        alerts = alerts.filter(language=language)
    return list(alerts.only(*LIST_COLUMNS).order_by("-published_at", "-pk")[:ALERTS_SHOWN])


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _page_number(request: HttpRequest) -> int:
    """`?page=` as written by our own links (1, 2, ...); anything else is not a page."""
    raw = request.GET.get("page", "1")
    if not raw.isdecimal() or raw != str(int(raw)) or int(raw) < 1:
        raise Http404(ERROR_NO_PAGE)
    return int(raw)


def _page(rows: QuerySet[Any], number: int) -> Page[Any]:
    try:
        return Paginator(rows, settings.PUBLIC_PAGE_SIZE).page(number)
    except EmptyPage:
        raise Http404(ERROR_NO_PAGE) from None


def _with_language(response: HttpResponseBase, codes: str) -> HttpResponseBase:
    """Content-Language on a page (and on its 304), never on an error."""
    if response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_MODIFIED) and codes:
        response["Content-Language"] = codes
    return response


# --- The home page -------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponseBase:
    if "lang" in request.GET:  # the old per-language list: its links live on in forums
        return _old_language_link(request)
    version = PublicVersion.current()
    number = _page_number(request)
    today = timezone.localdate()  # alerts go out of force, reviews fall due
    key = page_key("index", version, number, today)
    response = serve(
        request,
        key=key,
        render=lambda: Rendered(
            _render_index(request, key=key, number=number, today=today),
            changed_at=max(version.changed_at, _start_of(today)),
        ),
    )
    return _with_language(response, _shown_languages(key))


def _old_language_link(request: HttpRequest) -> HttpResponsePermanentRedirect:
    code = request.GET["lang"]
    if not TAG_SLUG.fullmatch(code):
        raise Http404(ERROR_NO_LANGUAGE)
    query = urlencode({"page": request.GET["page"]}) if "page" in request.GET else ""
    url = reverse("public:language", args=[code])
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _languages_key(key: str) -> str:
    return f"{key}:content-language"


def _shown_languages(key: str) -> str:
    """The languages the home page under `key` shows, stored beside it when it rendered (a
    cached page is answered without looking at the posts)."""
    codes = cache.get(_languages_key(key))
    if codes is None:  # evicted without its page: ask the database
        codes = ", ".join(_languages().values_list("code", flat=True))
        cache.set(_languages_key(key), codes, timeout=None)
    return str(codes)


def _languages() -> QuerySet[Language]:
    """The languages something is published in."""
    return Language.objects.filter(posts__in=Post.objects.published()).distinct().order_by("name")


def _render_index(
    request: HttpRequest, *, key: str, number: int, today: datetime.date
) -> HttpResponse:
    languages = list(_languages())
    cache.set(_languages_key(key), ", ".join(language.code for language in languages), None)
    page = _page(_listed(Post.objects.published()).order_by("-published_at", "-pk"), number)
    return render(
        request,
        "content/public/index.html",
        {
            "alerts": _alerts(today) if number == 1 else [],
            "languages": languages,
            "page": page,
            "page_links": Pages(page=page, query=""),
        },
    )


# --- One language's list: filters, search, pages ------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a list page is narrowed to: the query string of its form."""

    kind: str = ""
    substance: str = ""
    topic: str = ""
    q: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> Filters:
        """The filters `request` asks for; a kind or tag slug that cannot exist is a 404 (a
        tag slug that does not is found when the page renders)."""
        kind = request.GET.get("kind", "")
        substance = request.GET.get("substance", "")
        topic = request.GET.get("topic", "")
        if kind and kind not in PostKind.values:
            raise Http404(ERROR_NO_FILTER)
        if any(slug and not TAG_SLUG.fullmatch(slug) for slug in (substance, topic)):
            raise Http404(ERROR_NO_FILTER)
        q = " ".join(request.GET.get("q", "").split())[:MAX_SEARCH_CHARS]
        return cls(kind=kind, substance=substance, topic=topic, q=q)

    @property
    def query(self) -> str:
        """The query string page links keep."""
        fields = {"kind": self.kind, "substance": self.substance, "topic": self.topic, "q": self.q}
        return urlencode({name: value for name, value in fields.items() if value})


def language_page(request: HttpRequest, lang: str) -> HttpResponseBase:
    filters = Filters.of(request)
    number = _page_number(request)
    today = timezone.localdate()

    version = PublicVersion.current()

    def rendered() -> HttpResponse:
        return _render_language(
            request, lang=lang, filters=filters, number=number, today=today, version=version
        )

    if filters.q:  # any words may be searched for: never stored
        response: HttpResponseBase = rendered()
        response["Cache-Control"] = "no-cache"
        return _with_language(response, lang)
    key = page_key(
        "language", version, lang, filters.kind, filters.substance, filters.topic, number, today
    )
    page = serve(
        request,
        key=key,
        render=lambda: Rendered(rendered(), changed_at=max(version.changed_at, _start_of(today))),
    )
    return _with_language(page, lang)


def _language(code: str) -> Language:
    language = Language.objects.filter(code=code).first()
    if language is None:
        raise Http404(ERROR_NO_LANGUAGE)
    return language


def _language_tags(language: Language, version: PublicVersion) -> list[Tag]:
    """The tags something in `language` is about: the filter form's choices, and the only slugs
    a filter may name. Kept in the cache under the public version: a search page, which is never
    cached itself, then does not gather them from every published revision each time."""
    key = page_key("language-tags", version, language.code)
    tags = cache.get(key)
    if tags is None:
        published = Post.objects.published().filter(language=language)
        tags = list(
            Tag.objects.filter(revisions__in=published.values("published_revision"))
            .distinct()
            .order_by("name")
        )
        cache.set(key, tags, timeout=None)
    return list(tags)


def _render_language(
    request: HttpRequest,
    *,
    lang: str,
    filters: Filters,
    number: int,
    today: datetime.date,
    version: PublicVersion,
) -> HttpResponse:
    language = _language(lang)
    published = Post.objects.published().filter(language=language)
    tags = _language_tags(language, version)
    chosen = {(tag.kind, tag.slug): tag for tag in tags}
    posts = _listed(published)
    if filters.kind:
        posts = posts.filter(kind=filters.kind)
    for kind, slug in ((Tag.Kind.SUBSTANCE, filters.substance), (Tag.Kind.TOPIC, filters.topic)):
        if slug:
            if (kind, slug) not in chosen:
                raise Http404(ERROR_NO_FILTER)
            posts = posts.filter(published_revision__tags=chosen[(kind, slug)])
    if filters.q:
        posts = search.search(posts, filters.q, language)
    else:
        posts = posts.order_by("-published_at", "-pk")
    page = _page(posts, number)
    return render(
        request,
        "content/public/language.html",
        {
            "language": language,
            "alerts": _alerts(today, language),
            "filters": filters,
            "kinds": PostKind.choices,
            "substances": [tag for tag in tags if tag.kind == Tag.Kind.SUBSTANCE],
            "topics": [tag for tag in tags if tag.kind == Tag.Kind.TOPIC],
            "feed_titles": FEED_TITLES,
            "page": page,
            "page_links": Pages(page=page, query=filters.query),
        },
    )


# --- Substances ----------------------------------------------------------------------------


def substances(request: HttpRequest, lang: str) -> HttpResponseBase:
    version = PublicVersion.current()
    number = _page_number(request)
    page = serve(
        request,
        key=page_key("substances", version, lang, number),
        render=lambda: Rendered(
            _render_substances(request, lang=lang, number=number), changed_at=version.changed_at
        ),
    )
    return _with_language(page, lang)


def _render_substances(request: HttpRequest, *, lang: str, number: int) -> HttpResponse:
    language = _language(lang)
    published = Post.objects.published().filter(language=language)
    # filter() before annotate(): the count is of this language's published revisions only.
    tags = (
        Tag.objects.filter(
            kind=Tag.Kind.SUBSTANCE, revisions__in=published.values("published_revision")
        )
        .annotate(published_count=Count("revisions"))
        .order_by("name", "pk")
    )
    page = _page(tags, number)
    return render(
        request,
        "content/public/substances.html",
        {"language": language, "page": page, "page_links": Pages(page=page, query="")},
    )


def substance(request: HttpRequest, lang: str, slug: str) -> HttpResponseBase:
    version = PublicVersion.current()
    number = _page_number(request)
    today = timezone.localdate()  # reviews fall due
    page = serve(
        request,
        key=page_key("substance", version, lang, slug, number, today),
        render=lambda: Rendered(
            _render_substance(request, lang=lang, slug=slug, number=number),
            changed_at=max(version.changed_at, _start_of(today)),
        ),
    )
    return _with_language(page, lang)


def _render_substance(request: HttpRequest, *, lang: str, slug: str, number: int) -> HttpResponse:
    language = _language(lang)
    tag = Tag.objects.filter(kind=Tag.Kind.SUBSTANCE, slug=slug).first()
    if tag is None:
        raise Http404(ERROR_NO_SUBSTANCE)
    posts = (
        _listed(Post.objects.published())
        .filter(language=language, published_revision__tags=tag)
        .order_by(Case(When(kind=PostKind.DRUG_ALERT, then=0), default=1), "-published_at", "-pk")
    )
    page = _page(posts, number)
    if not page.paginator.count:
        raise Http404(ERROR_NO_SUBSTANCE)
    return render(
        request,
        "content/public/substance.html",
        {"language": language, "tag": tag, "page": page, "page_links": Pages(page=page, query="")},
    )


# --- Feeds, sitemap, robots.txt ------------------------------------------------------------


def _document(
    request: HttpRequest, name: str, *parts: object, make: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """A document with absolute URLs: cached per scheme and host (content.feeds)."""
    version = PublicVersion.current()
    return serve(
        request,
        key=page_key(name, version, origin_of(request), *parts),
        render=lambda: Rendered(make(), changed_at=version.changed_at),
    )


def feed(request: HttpRequest, lang: str, kind: str = "") -> HttpResponseBase:
    response = _document(
        request, "feed", lang, kind, make=lambda: LanguageFeed()(request, lang=lang, kind=kind)
    )
    return _with_language(response, lang)


def json_feed_page(request: HttpRequest, lang: str, kind: str = "") -> HttpResponseBase:
    response = _document(
        request, "json-feed", lang, kind, make=lambda: json_feed(request, feed_subject(lang, kind))
    )
    return _with_language(response, lang)


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


# --- A post, and its signed copies ---------------------------------------------------------


def post_page(request: HttpRequest, lang: str, slug: str) -> HttpResponseBase:
    version = PublicVersion.current()
    today = timezone.localdate()  # the review may fall due
    response = serve(
        request,
        key=page_key("post", version, lang, slug, today),
        render=lambda: _post_at(request, lang=lang, slug=slug, version=version),
    )
    return _with_language(response, lang)


def _post_at(request: HttpRequest, *, lang: str, slug: str, version: PublicVersion) -> Rendered:
    """Whatever lives at this address: the post (200), a 410 or 404 for one that is not
    published, or an old address's redirect or 410."""
    post = (
        Post.objects.select_related("language", "published_revision")
        .filter(language__code=lang, slug=slug)
        .first()
    )
    if post is None:
        return Rendered(_old_address(request, lang=lang, slug=slug), changed_at=version.changed_at)
    status = post.public_status
    if status != HTTPStatus.OK:
        # A reader following an old forum link must learn the text is no longer valid (410).
        gone = render(request, "content/public/gone.html", {"post": post}, status=status)
        return Rendered(gone, changed_at=version.changed_at)
    changed_at = version.changed_at
    if post.is_overdue and post.review_due is not None:
        changed_at = max(changed_at, _start_of(post.review_due + datetime.timedelta(days=1)))
    return Rendered(_render_post(request, post), changed_at=changed_at)


def _old_address(request: HttpRequest, *, lang: str, slug: str) -> HttpResponse:
    found = addresses.resolve(language_code=lang, slug=slug)
    if found.gone:
        # An address that had to disappear: say so, and name nothing (no title, no new address).
        return render(request, "content/public/gone.html", {"address_gone": True}, status=410)
    if found.old is not None:
        return HttpResponsePermanentRedirect(found.old.post.get_public_url())
    raise Http404("No post at this address.")


def _render_post(request: HttpRequest, post: Post) -> HttpResponse:
    revision = post.expect_published_revision()  # 200 means it has one
    approvals = Review.objects.approvals_of(revision).approver_count()
    translations = (
        Post.objects.published()
        .select_related("language")
        .only("slug", "language__code", "language__name")
        .filter(translation_group=post.translation_group)
        .exclude(pk=post.pk)
        .order_by("language__code")
    )
    # Signing happens here once per version and profile (content.export_cache keeps it); the
    # page lists the profiles whose copy could be made.
    copies = exports.reader_copies(post)
    return render(
        request,
        "content/public/post.html",
        {
            "post": post,
            "revision": revision,
            "approvals": approvals,
            "translations": translations,
            "tags": revision.tags.all(),
            "copies": copies,
        },
    )


def signed_copy(request: HttpRequest, lang: str, slug: str, profile: str) -> HttpResponse:
    """The signed text of a post in force, as one forum profile formats it, as a download."""
    post = (
        Post.objects.select_related("language", "published_revision")
        .filter(language__code=lang, slug=slug)
        .first()
    )
    if post is None or not post.in_force:
        raise Http404(ERROR_NO_COPY)
    try:
        outcome = exports.reader_copy(post, profile)
    except (exports.NotExportable, ExportProfile.DoesNotExist):
        raise Http404(ERROR_NO_COPY) from None
    except (ExportError, SigningError):  # the key store or the settings, not the reader
        return HttpResponse(ERROR_COPY_UNAVAILABLE, status=503, content_type=TEXT)
    filename, data, content_type = outcome.download()
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Language"] = lang
    response["Cache-Control"] = "no-cache"
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page in the site's own frame (a heading, the way home, the footer's trust links)
    instead of Django's bare one: the handler404 of the root URLconf."""
    return render(request, "content/public/not_found.html", status=HTTPStatus.NOT_FOUND)
