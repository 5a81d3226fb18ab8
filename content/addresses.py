"""Changing a post's address (its slug), and what its old addresses answer.

Until a post is first published its slug is only a name in the studio, so whoever may edit the
post may change it, and the old one simply stops existing. Once published, the address has been
seen by readers, forums and feeds: only an editor (the right to take published text offline,
`content.withdraw_post`) may change it, and must choose what the old address does: redirect
(301) to the new one, or answer 410 Gone and name nothing, for an address that exposed someone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from content import workflow
from content.actors import Actor, signed_in
from content.models import (
    AuditEvent,
    OldAddress,
    Post,
    PublicVersion,
    address_taken,
    record_event,
)
from content.revisions import SlugTaken

MAX_SLUG_LENGTH = 120  # Post.slug's length: generated slugs can be longer than 100 ("...-2")
ERROR_SLUG_FORMAT = format_lazy(
    gettext_lazy(
        "An address may use only lower-case letters, digits, hyphens and underscores (at most "
        "{max} characters), e.g. ketamine-and-your-bladder."
    ),
    max=MAX_SLUG_LENGTH,
)
ERROR_NO_PERMISSION = gettext_lazy("You may not change the address of this post.")
ERROR_PUBLISHED = gettext_lazy(
    "This post has been published, so its address is known to readers and forums: only an "
    "editor can change it now, choosing whether the old address redirects or is gone."
)


class BadSlug(ValueError):
    def __init__(self) -> None:
        super().__init__(ERROR_SLUG_FORMAT)


def was_published(post: Post) -> bool:
    """Whether readers may have seen the post's address (it was published at least once)."""
    return post.published_at is not None or post.published_revision_id is not None


def may_change_slug(post: Post, user: Actor) -> bool:
    """For views: whether to offer `user` the address field (change_slug checks again)."""
    if not post.can_be_edited_by(user):
        return False
    return not was_published(post) or user.has_perm("content.withdraw_post")


def _check_slug(slug: str) -> None:
    try:
        validate_slug(slug)
    except ValidationError:
        raise BadSlug from None
    if len(slug) > MAX_SLUG_LENGTH or slug != slug.lower():
        raise BadSlug


@transaction.atomic
def change_slug(*, post: Post, actor: Actor, slug: str, keep_old_address: bool) -> Post:
    """Give `post` the address `slug`. After the first publication the old address redirects to
    the new one (`keep_old_address`) or answers 410 Gone; before it, it is simply dropped.

    Raises PermissionError (workflow.NotPermitted) when `actor` may not, BadSlug for a
    malformed slug, SlugTaken when another post uses the address or it still redirects to one.
    """
    locked = Post.objects.select_for_update(of=("self",)).select_related("language").get(pk=post.pk)
    if not locked.can_be_edited_by(actor):
        raise workflow.NotPermitted(ERROR_NO_PERMISSION)
    published = was_published(locked)
    if published and not actor.has_perm("content.withdraw_post"):
        raise workflow.NotPermitted(ERROR_PUBLISHED)
    if not published:
        workflow.check_editable(locked)
    _check_slug(slug)
    if slug == locked.slug:
        return locked
    if address_taken(language=locked.language, slug=slug, post=locked):
        raise SlugTaken
    old = locked.slug
    kind = ""
    # The new address is no longer an old one (taking back its own, or a gone one of another).
    OldAddress.objects.filter(language=locked.language, slug=slug).delete()
    if published:
        kind = OldAddress.Kind.REDIRECT if keep_old_address else OldAddress.Kind.GONE
        OldAddress.objects.filter(language=locked.language, slug=old).delete()
        OldAddress.objects.create(
            post=locked, language=locked.language, slug=old, kind=kind, changed_by=signed_in(actor)
        )
    locked.slug = slug
    try:
        with transaction.atomic():
            locked.save(update_fields=["slug"])
        PublicVersion.bump()  # links to it on cached public pages change
    except IntegrityError:  # another post took it between the check and the save
        raise SlugTaken from None
    record_event(
        action=AuditEvent.Action.SLUG_CHANGED,
        actor=actor,
        post=locked,
        old_slug=old,
        new_slug=slug,
        old_address=str(kind) or "dropped (never published)",
    )
    post.slug = slug
    return locked


@dataclass(frozen=True)
class Found:
    """What a public address leads to: the post living there, or an old address of one."""

    post: Post | None = None
    old: OldAddress | None = None

    @property
    def gone(self) -> bool:
        return self.old is not None and self.old.kind == OldAddress.Kind.GONE


def resolve(*, language_code: str, slug: str) -> Found:
    """The post at this address now, else the old address's rule, else nothing (404).

    Verify pages reading "Post: <language>/<slug>" from an old signed text can use this too: a
    redirect names the post under its new slug, a gone address names nothing.
    """
    post = (
        Post.objects.select_related("language", "published_revision")
        .filter(language__code=language_code, slug=slug)
        .first()
    )
    if post is not None:
        return Found(post=post)
    old = (
        OldAddress.objects.select_related("post", "post__language")
        .filter(language__code=language_code, slug=slug)
        .first()
    )
    return Found(old=old)
