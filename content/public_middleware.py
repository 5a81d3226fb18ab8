"""Public pages answered before sessions, authentication, CSRF and messages run.

The public pages (home, language lists, substance pages, posts and their signed copies), the
feeds, the sitemap and robots.txt read none of those (a reader gets no cookie, and the
pages come from the cache: content.public_cache), so their requests skip that work: a cached
post page then costs little more than its one query. The security headers still apply: this
middleware stands after the ones that set them (settings.MIDDLEWARE).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from content.languages import accepted_language, interface_language
from harmreduction.middleware import is_private

# The public views that read no session or user (all but the signed copies are cached pages).
EARLY_VIEWS = frozenset(
    {
        "public:index",
        "public:language",
        "public:substances",
        "public:substance",
        "public:post",
        "public:signed",
        "public:feed",
        "public:kind_feed",
        "public:json_feed",
        "public:kind_json_feed",
        "public:sitemap",
        "public:robots",
    }
)


class PublicPagesFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Not under the private prefixes: "/studio/typo/" matches the post pattern, and its
        # 404 must come from the full stack, in the signed-in person's studio language.
        if request.method in ("GET", "HEAD") and not is_private(request):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if match.view_name in EARLY_VIEWS:
                request.resolver_match = match
                home = match.view_name == "public:index"
                language = page_language(request, match.kwargs.get("lang"), home=home)
                # Activated, not overridden: a 404 raised by the view renders in it too.
                translation.activate(language)
                request.LANGUAGE_CODE = language
                response: HttpResponseBase = match.func(request, *match.args, **match.kwargs)
                if home:
                    patch_vary_headers(response, ["Accept-Language"])
                return response
        return self.get_response(request)


def page_language(request: HttpRequest, lang: str | None, *, home: bool) -> str:
    """The words' language of an early public page: its address's language (a post's, a
    list's, a feed's) when the interface speaks it, else English; the home page, which has no
    language in its address, the reader's Accept-Language (it then varies on that header and
    its cache key holds the language: content.public_cache.page_key); the sitemap and
    robots.txt, which have no words, English."""
    if lang is not None:
        return interface_language(lang)
    return accepted_language(request) if home else str(settings.LANGUAGE_CODE)
