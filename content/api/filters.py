"""The post list's filters: query parameters, checked by a serializer (400 with the reason)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from rest_framework import serializers

from content import alert_search
from content.alert_search import MAX_FILTER_CHARS, AlertFilters
from content.models import PostKind, PostQuerySet, Tag

ALERT_FILTERS = ("found", "sold_as", "colour", "logo")  # content.alert_search.AlertFilters


class PostFilters(serializers.Serializer[Any]):
    """Every filter is optional; given together, a post must match them all."""

    language = serializers.SlugField(
        required=False, max_length=12, help_text="A language code, e.g. nl or fr-BE."
    )
    kind = serializers.ChoiceField(choices=PostKind.choices, required=False)
    substance = serializers.SlugField(
        required=False,
        max_length=80,
        help_text="A substance's slug: the published text is tagged with it.",
    )
    topic = serializers.SlugField(
        required=False,
        max_length=80,
        help_text="A topic's slug: the published text is tagged with it.",
    )
    found = serializers.CharField(
        required=False,
        max_length=MAX_FILTER_CHARS,
        help_text=(
            "Drug alerts whose lab found this substance (by name or a known alias, e.g. XTC "
            "for MDMA; spelling as tags: 3 MMC is 3-MMC)."
        ),
    )
    sold_as = serializers.CharField(
        required=False,
        max_length=MAX_FILTER_CHARS,
        help_text="Drug alerts whose 'sold as' holds each of these words.",
    )
    colour = serializers.CharField(
        required=False,
        max_length=MAX_FILTER_CHARS,
        help_text="Drug alerts whose colour holds each of these words.",
    )
    logo = serializers.CharField(
        required=False,
        max_length=MAX_FILTER_CHARS,
        help_text="Drug alerts whose logo or imprint holds each of these words.",
    )
    updated_since = serializers.DateTimeField(
        required=False,
        help_text=(
            "ISO 8601 date and time (with an offset; without one it is read in Europe/Brussels "
            "time). Only posts updated at or after it: published, or reviewed again, since."
        ),
    )


def _tagged(kind: str, slug: str) -> Exists:
    """The published revision carries the tag `kind`/`slug` (EXISTS: no duplicate rows)."""
    return Exists(
        Tag.objects.filter(kind=kind, slug=slug, revisions=OuterRef("published_revision"))
    )


def apply(posts: PostQuerySet, filters: dict[str, Any]) -> PostQuerySet:
    """`posts` narrowed by the checked filters (`PostFilters.validated_data`); `posts` must be
    annotated with `updated_at` (content.api.views.with_public_fields)."""
    conditions = Q()
    if "language" in filters:
        conditions &= Q(language__code=filters["language"])
    if "kind" in filters:
        conditions &= Q(kind=filters["kind"])
    if "updated_since" in filters:
        conditions &= Q(updated_at__gte=filters["updated_since"])
    if "substance" in filters:
        posts = posts.filter(_tagged(Tag.Kind.SUBSTANCE, filters["substance"]))
    if "topic" in filters:
        posts = posts.filter(_tagged(Tag.Kind.TOPIC, filters["topic"]))
    facts = AlertFilters.of({name: filters.get(name, "") for name in ALERT_FILTERS})
    return alert_search.matching(posts.filter(conditions), facts)
