"""The public, read-only site: published posts only, no staff identities, nothing third-party.

It serves the HTML stored with each revision (rendered once, when it was written) and works
without JavaScript, so it can also be served as an onion service. Pages come from Django's cache
(content.public_cache): a post page costs one query when it is cached, and a reader who has it
gets a 304. Search results are the exception: any words can be searched for, so they are
rendered for each request and never stored. Documents with absolute URLs (feeds, sitemap) are
cached per scheme and host (content.feeds.origin_of).

Addresses here: / (active drug alerts, languages, newest posts), /<lang>/ (one language,
filtered by ?kind=, ?substance=, ?topic=, drug alerts by their facts with ?found=, ?sold_as=,
?colour=, ?logo=, searched with ?q=), /<lang>/substances/ and
/<lang>/substances/<slug>/, and the 404 page. A post and its signed copies are in
views/public_post.py; feeds, the sitemap and robots.txt in views/public_documents.py.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
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
from django.utils.translation import gettext_lazy

from content import alert_search, search
from content.alert_search import AlertFilterInvalid, AlertFilters
from content.feeds import FEED_TITLES
from content.models import (
    Language,
    Post,
    PostKind,
    PostQuerySet,
    PublicVersion,
    Tag,
)
from content.pagination import Pages
from content.public_cache import Rendered, page_key, serve, start_of, with_language

ERROR_NO_LANGUAGE = gettext_lazy("No posts are published in this language.")
ERROR_NO_PAGE = gettext_lazy("There is no such page.")
ERROR_NO_FILTER = gettext_lazy("There is no such kind of post, substance or topic.")
ERROR_NO_SUBSTANCE = gettext_lazy("Nothing is published about this substance in this language.")

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

    In force: published, not withdrawn or archived, review not overdue, and not past the expiry
    date of its published revision (an expired alert stays readable, marked as such, in the
    lists of its language). Pages listing them hold the day in their cache key, so an alert
    leaves them at midnight (Europe/Brussels) without anything having to change."""
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
        .with_alert_expiry()  # an expired alert is marked; its facts stay unread
        .prefetch_related(substances)
    )


def _alerts(today: datetime.date, language: Language | None = None) -> list[Post]:
    alerts = (
        active_alerts(today).select_related("language", "published_revision").with_alert_expiry()
    )
    if language is not None:
        alerts = alerts.filter(language=language)
    return list(alerts.only(*LIST_COLUMNS).order_by("-published_at", "-pk")[:ALERTS_SHOWN])


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
            changed_at=max(version.changed_at, start_of(today)),
        ),
    )
    return with_language(response, _shown_languages(key))


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
    # Drug alerts by their facts (content.alert_search): ?found=, ?sold_as=, ?colour=, ?logo=
    alert: AlertFilters = field(default_factory=AlertFilters)

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
        try:
            alert = AlertFilters.of(request.GET)
        except AlertFilterInvalid as error:
            raise Http404(str(error)) from None
        return cls(kind=kind, substance=substance, topic=topic, q=q, alert=alert)

    @property
    def query(self) -> str:
        """The query string page links keep."""
        fields = {"kind": self.kind, "substance": self.substance, "topic": self.topic, "q": self.q}
        fields |= self.alert.as_dict()
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
        return with_language(response, lang)
    key = page_key(
        "language",
        version,
        lang,
        filters.kind,
        filters.substance,
        filters.topic,
        urlencode(filters.alert.as_dict()),
        number,
        today,
    )
    page = serve(
        request,
        key=key,
        render=lambda: Rendered(rendered(), changed_at=max(version.changed_at, start_of(today))),
    )
    return with_language(page, lang)


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
    posts = _listed(alert_search.matching(published, filters.alert))
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
    return with_language(page, lang)


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
            changed_at=max(version.changed_at, start_of(today)),
        ),
    )
    return with_language(page, lang)


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


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page in the site's own frame (a heading, the way home, the footer's trust links)
    instead of Django's bare one: the handler404 of the root URLconf."""
    return render(request, "content/public/not_found.html", status=HTTPStatus.NOT_FOUND)
