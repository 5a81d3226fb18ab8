"""Translations of posts, and how they notice that their source moved on.

Posts with the same `translation_group` are language versions of one text. A translation's
revisions record the source revision they translate (`Revision.translates`, declared in
content.revision_schema like everything a reviewer judges, so it is hashed, diffed and bound
to approvals): that link, not a date or a guess, is what drift is measured from.

- `translate_post()` starts a translation: a post in another language, same group and kind,
  revision 1 holding the source's newest published text (or its latest, if never published)
  and translating it. One post per language and group.
- `drift()`: the source published a newer revision than the one the translation's latest
  revision translates. The studio flags it ("source changed since revision N") with the
  source's diff; "Update to the newest source" on the edit form moves the link.
- `untranslated_update()`: the source published a change that matters for safety (its kind's
  review policy says every change does, or an author marked a revision so) after the revision
  the translation's *published* text translates. Then the public page says so in the post's
  language, final exports carry that line, and final exports are refused
  (`export_blocker()`) until a translation based on the newest source is published or an
  editor lets this translation revision through (`override()`, audited).

Every publication already renews the public site's cache key (content.workflow: PublicVersion),
so a translation's page shows the warning, and its language links, from the next request on.

Why a foreign key on the revision rather than a table of links: the link is part of the text
the reviewer approves (a translation of revision 3 is other content than one of revision 4),
and a revision never changes, so the question "which source text does this published text
translate" has one answer that nobody can edit afterwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import override as language_override

from content import notices
from content.actors import Actor, Person, signed_in
from content.diffs import compare
from content.exporters import ExportDocument
from content.models import (
    AuditEvent,
    Language,
    Post,
    ReviewPolicy,
    Revision,
    TranslationOverride,
    record_event,
)
from content.models.posts import revision_text
from content.revision_schema import RevisionContent, SourceRef
from content.revisions import create_post, unique_slug

MAX_REASON = 1000
# What readers of a translation behind a safety change of its source are told (in its language).
NOTICE = notices.UNTRANSLATED_UPDATE


class TranslationError(ValueError):
    """A translation step was refused; the message says why."""


class TranslationNotPermitted(TranslationError, PermissionError):
    """The actor may not do this."""


class TranslationExists(TranslationError):
    """The group already has a post in that language: `post`."""

    def __init__(self, message: str, post: Post) -> None:
        super().__init__(message)
        self.post = post


def error_no_permission() -> str:
    return _("You may not create posts, so you cannot start a translation.")


def error_same_language(language: str) -> str:
    return _("This post is already in %(language)s; choose another language.") % {
        "language": language
    }


def error_exists(language: str) -> str:
    return _("This post already has a translation in %(language)s: here it is.") % {
        "language": language
    }


# --- The group -------------------------------------------------------------------------------


def language_versions(post: Post) -> list[Post]:
    """Every post of `post`'s translation group, itself included, by language code."""
    return list(
        Post.objects.filter(translation_group=post.translation_group)
        .select_related("language", "latest_revision", "published_revision")
        .defer(*revision_text("latest_revision", "published_revision"))
        .order_by("language__code", "pk")
    )


def newest_source_revision(source: Post) -> Revision:
    """What a new translation, or one brought up to date, translates: the source's published
    revision, or its latest if it was never published."""
    return source.published_revision or source.expect_latest_revision()


def missing_languages(post: Post, versions: list[Post]) -> list[Language]:
    """The languages `post` may be translated into: those no version of it is in."""
    taken = {version.language_id for version in versions}
    return list(Language.objects.exclude(pk__in=taken).order_by("name"))


@transaction.atomic
def translate_post(*, source: Post, language: Language, actor: Person) -> Post:
    """Start the translation of `source` into `language` (see the module docstring).

    Raises TranslationNotPermitted when `actor` may not create posts or cannot see `source`,
    TranslationExists (naming it) when the group already has a post in that language, and
    TranslationError for the source's own language."""
    if not actor.has_perm("content.add_post"):
        raise TranslationNotPermitted(error_no_permission())
    if not Post.objects.visible_to(actor).filter(pk=source.pk).exists():
        raise TranslationNotPermitted(error_no_permission())
    # The source row is locked, so two people translating into one language at once make
    # one post: the second waits and finds the first.
    source = (
        Post.objects.select_for_update(of=("self",))
        .select_related("language", "published_revision", "latest_revision")
        .get(pk=source.pk)
    )
    if source.language_id == language.pk:
        raise TranslationError(error_same_language(language.name))
    existing = Post.objects.filter(
        translation_group=source.translation_group, language=language
    ).first()
    if existing is not None:  # the group's version in that language, maybe its source
        raise TranslationExists(error_exists(language.name), existing)
    translated = newest_source_revision(source)
    content = dataclasses.replace(
        RevisionContent.of(translated),
        translates=SourceRef.of(translated),
        safety_relevant=False,
        public_change_note="",
    )
    post = create_post(
        author=actor,
        language=language,
        kind=source.kind,
        content=content,
        slug=unique_slug(language=language, title=translated.title, wanted=source.slug),
        change_note=_("Translation of revision %(number)s, not yet translated")
        % {"number": translated.number},
        translation_of=source,
    )
    record_event(
        action=AuditEvent.Action.TRANSLATION_STARTED,
        actor=actor,
        post=post,
        revision=post.latest_revision,
        source_post=source.pk,
        source_revision=translated.number,
        language=language.code,
    )
    return post


# --- Drift -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    """The source published `newest` after `translated`, the revision a translation follows."""

    source: Post
    translated: Revision
    newest: Revision
    safety: bool  # a change in between matters for safety

    @property
    def since(self) -> int:
        return self.translated.number


def _source_revision(revision: Revision | None) -> Revision | None:
    if revision is None or revision.translates_id is None:
        return None
    return (
        Revision.objects.select_related("post", "post__language", "post__published_revision")
        .filter(pk=revision.translates_id)
        .first()
    )


def safety_change_between(source: Post, after: int, upto: int) -> bool:
    """Whether a change of `source` after revision `after`, up to `upto`, matters for safety:
    its kind's policy says every change does, or an author marked a revision in between."""
    if upto <= after:
        return False
    if ReviewPolicy.for_kind(source.kind).source_changes_are_safety_relevant:
        return True
    return source.revisions.filter(
        number__gt=after, number__lte=upto, safety_relevant=True
    ).exists()


def _drift_from(translated: Revision | None) -> Drift | None:
    if translated is None:
        return None
    source = translated.post
    newest = source.published_revision
    if newest is None or newest.number <= translated.number:
        return None
    safety = safety_change_between(source, translated.number, newest.number)
    return Drift(source=source, translated=translated, newest=newest, safety=safety)


def flag_behind(posts: Iterable[Post]) -> None:
    """Set `source_drift` (a Drift or None) on each of `posts`, as `drift()` would, for a whole
    list: one query for the source revisions their latest revisions translate, and two for
    whether a change since matters for safety (none when no post is a translation)."""
    rows = list(posts)
    for post in rows:
        post.source_drift = None  # type: ignore[attr-defined]
    wanted = {
        post.latest_revision.translates_id
        for post in rows
        if post.latest_revision is not None and post.latest_revision.translates_id is not None
    }
    if not wanted:
        return
    translated = {
        revision.pk: revision
        for revision in Revision.objects.filter(pk__in=wanted)
        .select_related("post", "post__language", "post__published_revision")
        .defer(*Revision.TEXT_FIELDS, *revision_text("post__published_revision"))
    }
    moved = {
        revision.pk: revision
        for revision in translated.values()
        if revision.post.published_revision is not None
        and revision.post.published_revision.number > revision.number
    }
    if not moved:
        return
    kinds = {revision.post.kind for revision in moved.values()}
    policies = {policy.kind: policy for policy in ReviewPolicy.objects.filter(kind__in=kinds)}
    always = {
        kind
        for kind in kinds
        # A kind whose policy an editor deleted has the default one (ReviewPolicy.for_kind).
        if (policies.get(kind) or ReviewPolicy.for_kind(kind)).source_changes_are_safety_relevant
    }
    marked: dict[int, list[int]] = {}
    sources = {revision.post_id for revision in moved.values()}
    for post_id, number in Revision.objects.filter(
        post_id__in=sources, safety_relevant=True
    ).values_list("post_id", "number"):
        marked.setdefault(post_id, []).append(number)
    for post in rows:
        latest = post.latest_revision
        revision = moved.get(latest.translates_id or 0) if latest is not None else None
        if revision is None:
            continue
        source = revision.post
        newest = source.expect_published_revision()
        safety = source.kind in always or any(
            revision.number < number <= newest.number for number in marked.get(source.pk, [])
        )
        post.source_drift = Drift(  # type: ignore[attr-defined]
            source=source, translated=revision, newest=newest, safety=safety
        )


def drift(post: Post) -> Drift | None:
    """The studio's flag: the source published a newer text than the one `post`'s latest
    revision translates (None when it did not, or `post` is no translation)."""
    return _drift_from(_source_revision(post.latest_revision))


def untranslated_update(post: Post) -> Drift | None:
    """The readers' warning: a change that matters for safety, published by the source after
    the revision `post`'s published text translates (None when there is none)."""
    found = _drift_from(_source_revision(post.published_revision))
    return found if found is not None and found.safety else None


def override_of(post: Post, found: Drift) -> TranslationOverride | None:
    """An editor's decision letting `post`'s published revision out despite `found`."""
    return (
        TranslationOverride.objects.filter(
            revision=post.expect_published_revision(),
            source_revision__post=found.source,
            source_revision__number__gte=found.newest.number,
        )
        .select_related("actor")
        .first()
    )


def error_behind(found: Drift) -> str:
    return _(
        "An update of the source is not yet translated: “%(title)s” published revision "
        "%(newest)s, which matters for safety, after revision %(since)s that this translation "
        "follows. Update the translation and have it approved and published, or ask an editor "
        "to let it through."
    ) % {"title": found.newest.title, "newest": found.newest.number, "since": found.since}


def export_blocker(post: Post) -> str:
    """Why a final export of translation `post` must not go out ("" when nothing stops it)."""
    if post.published_revision is None or post.published_revision.translates_id is None:
        return ""
    found = untranslated_update(post)
    if found is None or override_of(post, found) is not None:
        return ""
    return error_behind(found)


def reader_notice(post: Post) -> str:
    """The line readers of `post` get while a safety change of the source is not translated,
    in the post's language ("" when there is none)."""
    if post.published_revision is None or post.published_revision.translates_id is None:
        return ""
    if untranslated_update(post) is None:
        return ""
    with language_override(post.language.code):
        return _(NOTICE)


def with_reader_notice(document: ExportDocument, post: Post) -> ExportDocument:
    """A final export's document, opening with `reader_notice()` when there is one (an editor
    let it through: the text is still behind its source)."""
    notice = reader_notice(post)
    if not notice:
        return document
    body = "\n\n".join(part for part in (f"**{notice}**", document.summary, document.body) if part)
    return dataclasses.replace(document, summary="", body=body)


# --- An editor's override ----------------------------------------------------------------------


def error_override_permission() -> str:
    return _("Only editors may let a translation behind its source be exported.")


def error_override_reason() -> str:
    return _("Say why this translation may go out before it is updated; the audit log keeps it.")


def error_override_long() -> str:
    return _("The reason is at most %(limit)s characters; shorten it.") % {"limit": MAX_REASON}


def error_nothing_to_override() -> str:
    return _("Nothing stops a final export of this translation; there is nothing to override.")


@transaction.atomic
def override(*, post: Post, actor: Actor, reason: str) -> TranslationOverride:
    """Let `post`'s published revision be exported as final although a safety change of its
    source is not translated yet, up to the source's current published revision; audited. The
    public page keeps its warning: the text is still behind."""
    if not actor.has_perm("content.override_translation"):
        raise TranslationNotPermitted(error_override_permission())
    reason = reason.strip()
    if not reason:
        raise TranslationError(error_override_reason())
    if len(reason) > MAX_REASON:
        raise TranslationError(error_override_long())
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("language", "published_revision")
        .get(pk=post.pk)
    )
    found = untranslated_update(post)
    if found is None or override_of(post, found) is not None:
        raise TranslationError(error_nothing_to_override())
    revision = post.expect_published_revision()
    try:
        with transaction.atomic():
            decision = TranslationOverride.objects.create(
                revision=revision,
                source_revision=found.newest,
                reason=reason,
                actor=signed_in(actor),
            )
    except IntegrityError:  # another editor decided at the same moment
        raise TranslationError(error_nothing_to_override()) from None
    record_event(
        action=AuditEvent.Action.TRANSLATION_OVERRIDDEN,
        actor=actor,
        post=post,
        revision=revision,
        source_post=found.source.pk,
        source_revision=found.newest.number,
        reason=reason,
    )
    return decision


# --- What the studio shows -------------------------------------------------------------------


def studio_panel(post: Post, user: Actor) -> dict[str, object]:
    """The post page's translations: every language version with its state and whether it is
    behind its source, what this post may be translated into, and, for a translation behind
    its source, the source's diff since the revision it follows and the editor's override."""
    versions = language_versions(post)
    flagged = drift(post)
    behind = untranslated_update(post)
    decision = override_of(post, behind) if behind is not None else None
    may_translate = user.has_perm("content.add_post")
    return {
        "language_versions": [(version, drift(version)) for version in versions]
        if len(versions) > 1
        else [],
        "translate_into": missing_languages(post, versions) if may_translate else [],
        "source_drift": flagged,
        "source_diffs": compare(
            RevisionContent.of(flagged.translated), RevisionContent.of(flagged.newest)
        )
        if flagged is not None
        else [],
        "untranslated": behind,
        "translation_override": decision,
        "may_override": behind is not None
        and decision is None
        and user.has_perm("content.override_translation"),
    }


def source_revision_of(revision: Revision) -> Revision | None:
    """The source revision `revision` translates, for the review page's side-by-side view."""
    return _source_revision(revision)
