"""The public, read-only site: published posts only, no staff identities, nothing third-party.

It serves the HTML stored with each revision (rendered once, when it was written) and works
without JavaScript, so it can also be served as an onion service.
"""

from __future__ import annotations

from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from content import addresses
from content.models import Language, Post, PostQuerySet, Review


def _published() -> PostQuerySet:
    return Post.objects.published().select_related("language", "published_revision")


def index(request: HttpRequest) -> HttpResponse:
    languages = (
        Language.objects.filter(posts__in=Post.objects.published()).distinct().order_by("name")
    )
    code = request.GET.get("lang", "")
    posts = _published().order_by("-published_at")
    if code:
        posts = posts.filter(language__code=code)
    return render(
        request,
        "content/public/index.html",
        {"posts": posts, "languages": languages, "current": code},
    )


def post_page(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    found = addresses.resolve(language_code=lang, slug=slug)
    if found.gone:
        # An address that had to disappear: say so, and name nothing (no title, no new address).
        return render(request, "content/public/gone.html", {"address_gone": True}, status=410)
    if found.old is not None:
        return HttpResponsePermanentRedirect(found.old.post.get_public_url())
    post = found.post
    if post is None:
        raise Http404("No post at this address.")
    status = post.public_status
    if status != HTTPStatus.OK:
        # A reader following an old forum link must learn the text is no longer valid (410).
        return render(request, "content/public/gone.html", {"post": post}, status=status)
    revision = post.expect_published_revision()  # 200 means it has one
    approvals = Review.objects.approvals_of(revision).approver_count()
    translations = (
        _published()
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
