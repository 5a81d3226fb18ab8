"""The public, read-only site: published posts only, no staff identities, nothing third-party.

It serves the HTML stored with each revision (rendered once, when it was written) and works
without JavaScript, so it can also be served as an onion service. Pages come from Django's cache
(content.public_cache): a post page costs one query when it is cached, and a reader who has it
gets a 304.
"""

from __future__ import annotations

import datetime
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.utils import timezone

from content import addresses
from content.feeds import LanguageFeed
from content.models import Language, Post, PostQuerySet, PublicVersion, Review
from content.pagination import Pages
from content.public_cache import Rendered, page_key, serve

ERROR_NO_LANGUAGE = "No posts are published in this language."
ERROR_NO_PAGE = "There is no such page."

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


def _published() -> PostQuerySet:
    return Post.objects.published().select_related("language", "published_revision")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _page_number(request: HttpRequest) -> int:
    """`?page=` as written by our own links (1, 2, ...); anything else is not a page."""
    raw = request.GET.get("page", "1")
    if not raw.isdecimal() or raw != str(int(raw)) or int(raw) < 1:
        raise Http404(ERROR_NO_PAGE)
    return int(raw)


def index(request: HttpRequest) -> HttpResponseBase:
    version = PublicVersion.current()
    code = request.GET.get("lang", "")
    number = _page_number(request)
    today = timezone.localdate()  # a review falling due changes the list
    return serve(
        request,
        key=page_key("index", version, code, number, today),
        render=lambda: Rendered(
            _render_index(request, code=code, number=number),
            changed_at=max(version.changed_at, _start_of(today)),
        ),
    )


def _render_index(request: HttpRequest, *, code: str, number: int) -> HttpResponse:
    languages = list(
        Language.objects.filter(posts__in=Post.objects.published()).distinct().order_by("name")
    )
    if code and code not in {language.code for language in languages}:
        raise Http404(ERROR_NO_LANGUAGE)
    posts = _published().only(*LIST_COLUMNS).order_by("-published_at", "-pk")
    if code:
        posts = posts.filter(language__code=code)
    try:
        page = Paginator(posts, settings.PUBLIC_PAGE_SIZE).page(number)
    except EmptyPage:
        raise Http404(ERROR_NO_PAGE) from None
    return render(
        request,
        "content/public/index.html",
        {
            "page": page,
            "page_links": Pages(page=page, query=urlencode({"lang": code}) if code else ""),
            "languages": languages,
            "current": code,
        },
    )


def feed(request: HttpRequest, lang: str) -> HttpResponseBase:
    version = PublicVersion.current()
    return serve(
        request,
        key=page_key("feed", version, lang),
        render=lambda: Rendered(LanguageFeed()(request, lang=lang), changed_at=version.changed_at),
    )


def post_page(request: HttpRequest, lang: str, slug: str) -> HttpResponseBase:
    version = PublicVersion.current()
    today = timezone.localdate()  # the review may fall due
    return serve(
        request,
        key=page_key("post", version, lang, slug, today),
        render=lambda: _post_at(request, lang=lang, slug=slug, version=version),
    )


def _post_at(request: HttpRequest, *, lang: str, slug: str, version: PublicVersion) -> Rendered:
    """Whatever lives at this address: the post (200), a 410 or 404 for one that is not
    published, or an old address's redirect or 410."""
    post = Post.objects.select_related("language").filter(language__code=lang, slug=slug).first()
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
    return render(
        request,
        "content/public/post.html",
        {
            "post": post,
            "revision": revision,
            "approvals": approvals,
            "translations": translations,
            "tags": revision.tags.all(),
        },
    )
