"""The partner API's views: the list of published posts, one post, and JSON 404s for the rest.

Read-only (GET, HEAD, OPTIONS; anything else answers 405), no authentication, session, cookie
or CSRF. An answer depends only on what the public site shows, so its ETag is derived, before
any post is read, from the public version (content.models.PublicVersion, raised by every
public change in its own transaction), the day (reviews fall due), the app's code
(content.public_cache.RELEASE) and the address asked for: a partner polling with If-None-Match
gets a 304 for one small query. `Cache-Control: no-cache`, as on the public pages: a
withdrawal must reach partners at once.
"""

from __future__ import annotations

import hashlib
from http import HTTPStatus
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.http import (
    HttpRequest,
    HttpResponseBase,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from content import addresses
from content.api import filters
from content.api.pagination import PostPages
from content.api.serializers import (
    ErrorSerializer,
    GoneSerializer,
    PostDetailSerializer,
    PostSummarySerializer,
    ValidationErrorSerializer,
    api_path,
)
from content.exports import reader_copies
from content.models import Post, PostQuerySet, PublicVersion, Tag
from content.public_cache import CACHE_CONTROL, RELEASE

ERROR_NOT_FOUND = gettext_lazy("No published post at this address.")
ERROR_NO_SUCH_PATH = gettext_lazy("There is no such address in this API.")

# What the list reads of a post and its published revision: not the text, its HTML or sources.
LIST_COLUMNS = (
    "slug",
    "kind",
    "state",
    "published_at",
    "last_reviewed_at",
    "review_due",
    "language__code",
    "published_revision__number",
    "published_revision__title",
    "published_revision__summary",
    "published_revision__content_hash",
    "published_revision__facts",  # a drug alert's facts (PostSummarySerializer.alert)
)

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag of an earlier answer: 304 if nothing changed since.",
)
NOT_MODIFIED = OpenApiResponse(description="Not modified: the ETag in If-None-Match is current.")
THROTTLED = OpenApiResponse(
    ErrorSerializer, description="Too many requests from this address; see Retry-After."
)


def with_public_fields(posts: PostQuerySet) -> PostQuerySet:
    """`posts` with their language, published revision and its tags, and `updated_at`: the
    later of the publication and the start of the current review cycle."""
    return (
        posts.select_related("language", "published_revision")
        .annotate(updated_at=Greatest("published_at", Coalesce("last_reviewed_at", "published_at")))
        .prefetch_related(_tags())
    )


def _tags() -> Prefetch[Any]:
    return Prefetch("published_revision__tags", queryset=Tag.objects.order_by("kind", "name"))


def etag_of(request: HttpRequest, version: PublicVersion) -> str:
    parts = [
        "api",
        str(version.number),
        RELEASE,
        timezone.localdate().isoformat(),
        request.path,
        request.META.get("QUERY_STRING", ""),
    ]
    return '"' + hashlib.sha256(":".join(parts).encode()).hexdigest()[:32] + '"'


class NoCacheMixin(APIView):
    """Every answer of the API may be kept, but must be checked again before it is used."""

    # DRF passes Django's own responses (a 304, a redirect) through unchanged; its stubs type
    # them all as its Response.
    def finalize_response(  # type: ignore[override]
        self, request: Any, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[arg-type]
        patch_cache_control(response, no_cache=True)
        return response


def not_modified(request: HttpRequest, etag: str) -> HttpResponseBase | None:
    """A 304 when the reader's If-None-Match names `etag` (weakly compared), else None.

    Not for `If-None-Match: *`: it would answer 304 before the query is checked, to a query
    that never had an answer (an ETag we sent belongs to a query that was answered with 200,
    and any change that could make it invalid, such as fewer pages, changes the ETag)."""
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    if etag not in sent and f"W/{etag}" not in sent:
        return None
    answer = HttpResponseNotModified()
    answer.headers["ETag"] = etag
    answer.headers["Cache-Control"] = CACHE_CONTROL
    return answer


class PostList(NoCacheMixin, ListAPIView[Post]):
    """Published posts, most recently updated first."""

    serializer_class = PostSummarySerializer
    pagination_class = PostPages

    def get_queryset(self) -> QuerySet[Post]:
        # A plain dict, not the QueryDict: DRF skips an empty form value ("?kind=") silently.
        checked = filters.PostFilters(data=self.request.query_params.dict())
        checked.is_valid(raise_exception=True)
        posts = with_public_fields(Post.objects.published()).only(*LIST_COLUMNS)
        return filters.apply(posts, checked.validated_data).order_by(F("updated_at").desc(), "-pk")

    @extend_schema(
        operation_id="posts_list",
        parameters=[filters.PostFilters, IF_NONE_MATCH],
        responses={
            200: PostSummarySerializer(many=True),
            304: NOT_MODIFIED,
            400: OpenApiResponse(ValidationErrorSerializer, description="A filter is invalid."),
            404: OpenApiResponse(ErrorSerializer, description="No such page."),
            429: THROTTLED,
        },
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]  # a 304 is Django's
        etag = etag_of(request._request, PublicVersion.current())
        answer = not_modified(request._request, etag)
        if answer is not None:
            return answer
        response: HttpResponseBase = super().get(request, *args, **kwargs)
        response["ETag"] = etag
        return response


class PostDetail(NoCacheMixin):
    """One published post, by its public address's language and slug."""

    @extend_schema(
        operation_id="posts_retrieve",
        parameters=[IF_NONE_MATCH],
        responses={
            200: PostDetailSerializer,
            301: OpenApiResponse(
                description="An old address of a post: Location is the post's API address now."
            ),
            304: NOT_MODIFIED,
            404: OpenApiResponse(ErrorSerializer, description="No post was ever published here."),
            410: OpenApiResponse(
                GoneSerializer,
                description=(
                    "Withdrawn or archived (withdrawn_at is null for an archived post), or an "
                    "address that had to disappear (both fields empty): do not show it any more."
                ),
            ),
            429: THROTTLED,
        },
    )
    def get(self, request: Any, lang: str, slug: str) -> HttpResponseBase:
        etag = etag_of(request._request, PublicVersion.current())
        answer = not_modified(request._request, etag)
        if answer is not None:
            return answer
        post = with_public_fields(Post.objects.all()).filter(language__code=lang, slug=slug).first()
        if post is None:
            return self._old_address(lang=lang, slug=slug)
        status = post.public_status
        if status == HTTPStatus.GONE:
            return gone(withdrawn_at=post.withdrawn_at, reason=post.public_reason)
        if status != HTTPStatus.OK:
            raise NotFound(ERROR_NOT_FOUND)
        context = {"translations": _translations(post), "signed": reader_copies(post)}
        data = PostDetailSerializer(post, context=context).data
        response: HttpResponseBase = Response(data, headers={"ETag": etag})
        return response

    @staticmethod
    def _old_address(*, lang: str, slug: str) -> HttpResponseBase:
        found = addresses.resolve(language_code=lang, slug=slug)
        if found.gone:
            # An address that had to disappear (it exposed someone): name nothing.
            return gone(withdrawn_at=None, reason="")
        if found.old is not None:
            return HttpResponsePermanentRedirect(api_path(found.old.post))
        raise NotFound(ERROR_NOT_FOUND)


def gone(*, withdrawn_at: Any, reason: str) -> HttpResponseBase:
    data = GoneSerializer({"withdrawn_at": withdrawn_at, "reason": reason}).data
    response: HttpResponseBase = Response(data, status=HTTPStatus.GONE)
    return response


def _translations(post: Post) -> PostQuerySet:
    """The other published posts of the post's translation group, by language code."""
    return (
        Post.objects.published()
        .filter(translation_group=post.translation_group)
        .exclude(pk=post.pk)
        .select_related("language")
        .only("slug", "language__code")
        .order_by("language__code")
    )


def no_such_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under /api/: a JSON 404, not the site's HTML page."""
    response = JsonResponse({"detail": str(ERROR_NO_SUCH_PATH)}, status=HTTPStatus.NOT_FOUND)
    patch_cache_control(response, no_cache=True)
    return response
