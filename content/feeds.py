"""Atom feeds of published posts, one per language (django.contrib.syndication)."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from content.models import Language, Post

FEED_LENGTH = 30


class LanguageFeed(Feed[Post, Language]):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, lang: str) -> Language:
        return get_object_or_404(Language, code=lang)

    def title(self, language: Language) -> str:
        return f"Harm reduction information ({language.name})"

    def link(self, language: Language) -> str:
        return f"{reverse('public:index')}?lang={language.code}"

    def subtitle(self, language: Language) -> str:
        return "Reviewed harm-reduction information, drug alerts and fact sheets."

    def items(self, language: Language) -> list[Post]:
        posts = Post.objects.published().filter(language=language)
        return list(
            posts.select_related("language", "published_revision").order_by("-published_at")[
                :FEED_LENGTH
            ]
        )

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
        return f"{post.get_public_url()}#r{post.expect_published_revision().number}"

    item_guid_is_permalink = False
