"""A post's public page, and the signed copies readers download from it.

The page is served from the cache (content.public_cache): one query when cached. An address
that is no longer a post's answers 410 or redirects (content.addresses); a post taken offline
answers 410, one never published 404. A translation names its other published language
versions (links, and hreflang links in the head: no x-default, since no version is
language-neutral) and warns while a safety change of its source is not yet translated
(content.translations).
"""

from __future__ import annotations

import datetime
from http import HTTPStatus

from django.db.models import prefetch_related_objects
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from content import addresses, exports, markdown
from content.exporters import ExportError, SigningError
from content.models import ExportProfile, Post, PublicVersion, Review
from content.public_cache import Rendered, page_key, serve, start_of, with_language
from content.translations import reader_notice

ERROR_NO_COPY = gettext_lazy("There is no signed copy of this post for that forum.")
ERROR_COPY_UNAVAILABLE = gettext_lazy(
    "The signed copy cannot be made right now; try again later.\n"
)
TEXT = "text/plain; charset=utf-8"


def post_page(request: HttpRequest, lang: str, slug: str) -> HttpResponseBase:
    version = PublicVersion.current()
    today = timezone.localdate()  # the review may fall due
    response = serve(
        request,
        key=page_key("post", version, lang, slug, today),
        render=lambda: _post_at(request, lang=lang, slug=slug, version=version),
    )
    return with_language(response, lang)


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
        changed_at = max(changed_at, start_of(post.review_due + datetime.timedelta(days=1)))
    return Rendered(_render_post(request, post), changed_at=changed_at)


def _old_address(request: HttpRequest, *, lang: str, slug: str) -> HttpResponse:
    found = addresses.resolve(language_code=lang, slug=slug)
    if found.gone:
        # An address that had to disappear: say so, and name nothing (no title, no new address).
        return render(request, "content/public/gone.html", {"address_gone": True}, status=410)
    if found.old is not None:
        return HttpResponsePermanentRedirect(found.old.post.get_public_url())
    raise Http404(gettext_lazy("No post at this address."))


def _render_post(request: HttpRequest, post: Post) -> HttpResponse:
    revision = post.expect_published_revision()  # 200 means it has one
    # One query for the tags, read by the page and by the interaction warnings.
    prefetch_related_objects([revision], "tags")
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
            # A safety change of the source not yet translated, in the post's language.
            "untranslated": reader_notice(post),
            # Interaction warnings (and other blocks before the text), in the post's language.
            "before_text": markdown.render_html(
                exports.blocks_before_text(revision, post.language.code, None)
            ),
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
        return HttpResponse(str(ERROR_COPY_UNAVAILABLE), status=503, content_type=TEXT)
    filename, data, content_type = outcome.download()
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Language"] = lang
    response["Cache-Control"] = "no-cache"
    return response
