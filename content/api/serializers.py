"""What the API says about a post: whitelists of fields, each read from the published revision.

Nothing here can name a person or carry a note: no serializer has a field for an author,
reviewer, change note, state note, review or notification, and each reads the post's published
revision, never its latest. Addresses are paths (see content.api.urls).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content import alerts
from content.exports import Outcome
from content.models import Post, PostKind, Tag


def api_path(post: Post) -> str:
    return reverse("api:post", args=[post.language.code, post.slug])


class TagSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(help_text="What the substance and topic filters take.")
    name = serializers.CharField()


class TagsSerializer(serializers.Serializer[Any]):
    substances = TagSerializer(many=True)
    topics = TagSerializer(many=True)


class SourceSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    consulted = serializers.CharField(
        allow_blank=True, help_text="When the source was consulted (YYYY-MM-DD), or empty."
    )


class SubstanceFoundSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=True, coerce_to_string=True,
        help_text="How much was found, as a decimal number; null when not stated.",
    )  # fmt: skip
    unit = serializers.ChoiceField(choices=["", *alerts.UNITS], allow_blank=True)
    per = serializers.ChoiceField(choices=["", *alerts.PER_UNITS], allow_blank=True)


class AlertFactsSerializer(serializers.Serializer[Any]):
    """What a drug-checking lab found, as the published revision of a drug alert states it.
    Text is empty and dates and numbers are null when the alert does not state them."""

    sold_as = serializers.CharField(allow_blank=True, help_text="What it was sold as.")
    substances = SubstanceFoundSerializer(many=True, help_text="The substances found.")
    colour = serializers.CharField(allow_blank=True)
    logo = serializers.CharField(allow_blank=True, help_text="Logo or imprint.")
    shape = serializers.CharField(allow_blank=True)
    weight_mg = serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=True, coerce_to_string=True
    )
    photo = serializers.CharField(allow_blank=True, help_text="Path of a photo, or empty.")
    tested_on = serializers.DateField(allow_null=True)
    tested_at = serializers.CharField(allow_blank=True, help_text="Where it was tested.")
    tested_by = serializers.CharField(
        allow_blank=True, help_text="The organisation that tested it."
    )
    severity = serializers.ChoiceField(choices=["", *alerts.SEVERITIES], allow_blank=True)
    expires_on = serializers.DateField(
        allow_null=True,
        help_text="The last day the warning holds (Europe/Brussels); null when not stated.",
    )
    expired = serializers.BooleanField(
        help_text="The expiry date has passed: the alert is history, no longer a warning."
    )


class PostSummarySerializer(serializers.Serializer[Any]):
    """A post as the list shows it: everything but the text and its sources."""

    language = serializers.CharField(source="language.code", help_text="Language code.")
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=PostKind.choices)
    title = serializers.CharField(source="published_revision.title")
    summary = serializers.CharField(source="published_revision.summary", allow_blank=True)
    revision = serializers.IntegerField(
        source="published_revision.number", help_text="Number of the published revision."
    )
    content_hash = serializers.CharField(
        source="published_revision.content_hash",
        help_text="SHA-256 of the published revision's content, as signed texts quote it.",
    )
    published_at = serializers.DateTimeField()
    last_reviewed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the current review cycle of the published text began."
    )
    updated_at = serializers.DateTimeField(
        help_text="The later of published_at and last_reviewed_at (what updated_since filters)."
    )
    review_due = serializers.DateField(
        allow_null=True, help_text="The date by which the text must be reviewed again."
    )
    overdue = serializers.BooleanField(
        source="is_overdue", help_text="The review date has passed: check before relying on it."
    )
    tags = serializers.SerializerMethodField()
    alert = serializers.SerializerMethodField(
        help_text="A drug alert's facts; null for other kinds and for alerts that state none."
    )
    api_url = serializers.SerializerMethodField(help_text="Path of this post in the API.")
    public_url = serializers.CharField(
        source="get_public_url", help_text="Path of this post on our public site."
    )

    @extend_schema_field(TagsSerializer)
    def get_tags(self, post: Post) -> dict[str, Any]:
        # Prefetched with the posts (published_revision__tags): no query per post.
        tags = list(post.expect_published_revision().tags.all())
        data: dict[str, Any] = TagsSerializer(
            {
                "substances": [t for t in tags if t.kind == Tag.Kind.SUBSTANCE],
                "topics": [t for t in tags if t.kind == Tag.Kind.TOPIC],
            }
        ).data
        return data

    @extend_schema_field(AlertFactsSerializer(allow_null=True))
    def get_alert(self, post: Post) -> dict[str, Any] | None:
        if post.kind != PostKind.DRUG_ALERT:
            return None
        facts = alerts.facts_of(post.expect_published_revision())
        if facts is None:
            return None
        data = dataclasses.asdict(facts) | {"expired": post.expired_on() is not None}
        return dict(AlertFactsSerializer(data).data)

    def get_api_url(self, post: Post) -> str:
        return api_path(post)


class TranslationSerializer(serializers.Serializer[Any]):
    language = serializers.CharField(source="language.code")
    api_url = serializers.SerializerMethodField()
    public_url = serializers.CharField(source="get_public_url")

    def get_api_url(self, post: Post) -> str:
        return api_path(post)


class SignedCopySerializer(serializers.Serializer[Any]):
    """The signed text readers can copy and check with gpg, in one forum format: the same
    text and signature as our own reposts."""

    profile = serializers.SlugField(source="profile.slug")
    profile_name = serializers.CharField(source="profile.name")
    format = serializers.CharField(source="profile.format")
    parts = serializers.ListField(
        child=serializers.CharField(),
        help_text="The text in parts that fit the forum's length limit, each clear-signed.",
    )


class PostDetailSerializer(PostSummarySerializer):
    """A published post in full: its text, sources, translations and signed copies."""

    # The view puts `translations` (published posts of the same translation group) and
    # `signed` (content.exports.reader_copies) in the context.

    body = serializers.CharField(
        source="published_revision.body", help_text="The text in Markdown (CommonMark)."
    )
    body_html = serializers.CharField(
        source="published_revision.rendered_html",
        help_text="The text as sanitized HTML (raw HTML in the Markdown is never passed through).",
    )
    sources = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()
    signed = serializers.SerializerMethodField()

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, post: Post) -> list[dict[str, Any]]:
        stored = post.expect_published_revision().sources or []
        sources = [
            {
                "title": str(source.get("title", "")),
                "url": str(source.get("url", "")),
                "consulted": str(source.get("consulted", "")),
            }
            for source in stored
            if isinstance(source, dict)
        ]
        return list(SourceSerializer(sources, many=True).data)

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, post: Post) -> list[dict[str, Any]]:
        return list(TranslationSerializer(self.context["translations"], many=True).data)

    @extend_schema_field(SignedCopySerializer(many=True))
    def get_signed(self, post: Post) -> list[dict[str, Any]]:
        copies: list[Outcome] = self.context["signed"]
        return list(SignedCopySerializer(copies, many=True).data)


class GoneSerializer(serializers.Serializer[Any]):
    """A post taken off the public site (withdrawn or archived), or an address that had to
    disappear: when, and why in words for readers. The internal reason is never given."""

    withdrawn_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """A refused query parameter: its name, and what is wrong with it."""

    language = serializers.ListField(child=serializers.CharField(), required=False)
    kind = serializers.ListField(child=serializers.CharField(), required=False)
    substance = serializers.ListField(child=serializers.CharField(), required=False)
    topic = serializers.ListField(child=serializers.CharField(), required=False)
    updated_since = serializers.ListField(child=serializers.CharField(), required=False)
    page_size = serializers.ListField(child=serializers.CharField(), required=False)
