"""Old public addresses of posts: what a former slug answers once the post has moved.

Only `content.addresses.change_slug()` writes these rows. A post's current slug always wins: an
old address is consulted only when no post has that slug in that language. An old address either
redirects (301) to wherever its post lives now, or answers 410 Gone and names nothing, for an
address that must disappear (a name typed into the first title, say).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from content.models.posts import Language, Post


class OldAddressQuerySet(models.QuerySet["OldAddress"]):
    def redirecting(self) -> OldAddressQuerySet:
        return self.filter(kind=OldAddress.Kind.REDIRECT)


class OldAddress(models.Model):
    """One former slug of a post in its language, and what it answers now."""

    class Kind(models.TextChoices):
        REDIRECT = "redirect", gettext_lazy("Redirects to the new address (301)")
        GONE = "gone", gettext_lazy("Answers 410 Gone and names nothing")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="old_addresses")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name_plural = "old addresses"
        constraints = [
            # One rule per address: moving away from it again replaces the rule.
            models.UniqueConstraint(fields=["language", "slug"], name="unique_old_address"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} [{self.language_id}] {self.kind}"


# Second path segments the public site uses for its own pages (content/public_urls.py): a post
# with one of these slugs would be hidden behind them, so they are always taken.
RESERVED_SLUGS = frozenset({"feed", "substances"})


def address_taken(*, language: Language, slug: str, post: Post | None = None) -> bool:
    """Whether `slug` in `language` belongs to another post: its current slug, or an old address
    that still redirects to it (taking that would silently break the redirect). The public
    site's own paths (RESERVED_SLUGS) are always taken."""
    if slug in RESERVED_SLUGS:
        return True
    posts = Post.objects.filter(language=language, slug=slug)
    old = OldAddress.objects.redirecting().filter(language=language, slug=slug)
    if post is not None and post.pk is not None:
        posts, old = posts.exclude(pk=post.pk), old.exclude(post=post)
    return posts.exists() or old.exists()
