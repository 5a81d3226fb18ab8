"""Writing revisions, the only way content changes: save, create, restore (compare: diffs.py).

`save_revision()` is the single writer of Revision rows. It locks the post, refuses an edit based
on an out-of-date revision (no lost update), writes nothing when nothing changed, renders the body
once, and records an audit event in the same transaction.

What a revision holds is declared once, in content.revision_schema (RevisionContent and its
fields); the names callers know are re-exported here.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content import alert_rules, markdown, workflow
from content.actors import Person, signed_in

# Diffs live in content.diffs; views and tests know them by these names (re-exported).
from content.diffs import FieldDiff as FieldDiff
from content.diffs import compare as compare
from content.diffs import word_diff as word_diff
from content.models import (
    AuditEvent,
    Language,
    OldAddress,
    Post,
    PostKind,
    Revision,
    Tag,
    address_taken,
    record_event,
)

# The schema's names, as callers know them (`X as X`: re-exported).
from content.revision_schema import FactsInvalid as FactsInvalid
from content.revision_schema import RevisionContent as RevisionContent
from content.revision_schema import Source as Source
from content.revision_schema import diff_rows as diff_rows
from content.revision_schema import tag_key as tag_key
from content.revision_schema import validate_facts as validate_facts

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ERROR_EDIT_CONFLICT = gettext_lazy(
    "Someone else saved this post while you were editing it. Your text has not been saved and "
    "is still in the form below. Check what changed meanwhile, merge it into your text if needed, "
    "then save again."
)
ERROR_NO_PERMISSION = gettext_lazy("You may not edit this post.")
ERROR_SLUG_TAKEN = gettext_lazy(
    "This address is already used by another post in this language; choose another."
)
ERROR_PUBLIC_NOTE_REQUIRED = gettext_lazy(
    "This text changes {what} compared with published version {number}. Readers of the old "
    "text on forums get this version as a replacement, so say what changed this time in “What "
    "changed, for readers” (at most 500 characters), e.g. “The pills tested contained up to "
    "280 mg, not 250 mg.”"
)


class SlugTaken(ValueError):
    def __init__(self) -> None:
        super().__init__(ERROR_SLUG_TAKEN)


class PublicNoteRequired(workflow.WorkflowError):
    """The revision changes what readers of a repost rely on, and says nothing about it."""


class EditConflict(Exception):
    """The edit was based on a revision that is no longer the latest."""

    def __init__(self, *, post: Post, base: Revision | None, latest: Revision) -> None:
        self.post = post
        self.base = base
        self.latest = latest
        super().__init__(ERROR_EDIT_CONFLICT)

    @property
    def intervening(self) -> list[Revision]:
        """The revisions written after the one the editor started from, oldest first."""
        after = self.base.number if self.base else 0
        return list(
            self.post.revisions.filter(number__gt=after).select_related("author").order_by("number")
        )


def _tags_for(content: RevisionContent) -> list[Tag]:
    """The Tag rows for the content's names; "2C-B" and "2c b" are one tag (same slug)."""
    tags = []
    for kind, name in content.tag_names():
        slug = slugify(name)[:80]
        if slug:  # the same key as tag_key()
            tag, _ = Tag.objects.get_or_create(kind=kind, slug=slug, defaults={"name": name})
        else:  # a name with no Latin letters: match it by name
            found = Tag.objects.filter(kind=kind, name__iexact=name).first()
            tag = found or Tag.objects.create(kind=kind, name=name)
        tags.append(tag)
    return tags


def _write_revision(
    *, post: Post, content: RevisionContent, author: User, based_on: Revision | None, note: str
) -> Revision:
    html = markdown.render_html(content.body)
    number = (based_on.number if based_on else 0) + 1
    try:
        with transaction.atomic():
            revision = Revision.objects.create(
                post=post,
                number=number,
                based_on=based_on,
                **content.columns(),
                change_note=note,
                author=author,
                content_hash=content.content_hash,
                rendered_html=html,
            )
    except IntegrityError:
        # Another transaction took this number first: same outcome as a stale base.
        latest = Revision.objects.filter(post=post).order_by("-number").first()
        assert latest is not None  # the one that took this number
        raise EditConflict(post=post, base=based_on, latest=latest) from None
    revision.tags.set(_tags_for(content))
    updated = Post.objects.filter(pk=post.pk, latest_revision=based_on).update(
        latest_revision=revision
    )
    if updated != 1:
        raise EditConflict(post=post, base=based_on, latest=revision)
    post.latest_revision = revision
    return revision


@transaction.atomic
def save_revision(
    *,
    post: Post,
    author: Person,
    content: RevisionContent,
    base_revision_id: int | None,
    change_note: str = "",
    action: str = AuditEvent.Action.REVISION_SAVED,
) -> Revision | None:
    """Save `content` as the post's next revision, or return None when nothing changed.

    Raises EditConflict when `base_revision_id` (the revision the editor started from) is no
    longer the latest, PermissionError when `author` may not edit the post, and FactsInvalid
    when the content states facts its post's kind does not declare (KIND_FACTS) or, for a drug
    alert, facts that break its rules (content.alert_rules.AlertFactsInvalid).
    """
    if not post.can_be_edited_by(author):
        raise PermissionError(ERROR_NO_PERMISSION)
    locked = Post.objects.select_for_update().get(pk=post.pk)
    workflow.check_editable(locked)
    validate_facts(locked.kind, content.facts)
    latest = locked.latest_revision
    if latest is not None and latest.content_hash == content.content_hash:
        return None
    if locked.kind == PostKind.DRUG_ALERT:
        # The alert's rules (units, plausible amounts, dates): the form checks the same. Facts
        # are required once any is stated or the alert stated them before; an older alert
        # without facts stays editable without them (the studio's form asks a new alert).
        alert_rules.validate(
            content.facts, required=bool(content.facts or (latest and latest.facts))
        )
    if (latest.pk if latest else None) != base_revision_id:
        # Only create_post() saves without a base, and only before the post has a revision.
        assert latest is not None
        base = (
            Revision.objects.filter(pk=base_revision_id, post=locked).first()
            if base_revision_id is not None
            else None
        )
        raise EditConflict(post=locked, base=base, latest=latest)
    blocker = public_note_blocker(locked, content)
    if blocker:
        raise PublicNoteRequired(blocker)
    revision = _write_revision(
        post=locked, content=content, author=signed_in(author), based_on=latest, note=change_note
    )
    record_event(
        action=action,
        actor=author,
        post=locked,
        revision=revision,
        number=revision.number,
        content_hash=revision.content_hash,
    )
    workflow.on_new_revision(post=locked, revision=revision, actor=author)
    post.latest_revision = revision
    post.state = locked.state
    return revision


def unique_slug(*, language: Language, title: str, wanted: str = "") -> str:
    base = slugify(wanted or title)[:100] or "post"
    slug, n = base, 2
    while address_taken(language=language, slug=slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_post(
    *,
    author: Person,
    language: Language,
    kind: str,
    content: RevisionContent,
    slug: str = "",
    change_note: str = "",
    translation_of: Post | None = None,
) -> Post:
    """Create a post and its first revision. Raises SlugTaken if the address is in use."""
    if not author.has_perm("content.add_post"):
        raise PermissionError(_("You may not create posts."))
    if slug and address_taken(language=language, slug=slug):
        raise SlugTaken
    try:
        with transaction.atomic():
            post = Post.objects.create(
                slug=slug or unique_slug(language=language, title=content.title),
                language=language,
                kind=kind,
                created_by=signed_in(author),
                **(
                    {"translation_group": translation_of.translation_group}
                    if translation_of
                    else {}
                ),
            )
    except IntegrityError:
        raise SlugTaken from None
    # A "gone" old address of another post may be reused; its rule no longer applies.
    OldAddress.objects.filter(language=language, slug=post.slug).delete()
    record_event(action=AuditEvent.Action.POST_CREATED, actor=author, post=post, slug=post.slug)
    save_revision(
        post=post,
        author=author,
        content=content,
        base_revision_id=None,
        change_note=change_note or "First version",
    )
    return post


def restore_revision(
    *, post: Post, revision: Revision, actor: Person, base_revision_id: int | None
) -> Revision | None:
    """Write a new revision with the content of an old one. History is never rewritten."""
    return save_revision(
        post=post,
        author=actor,
        content=RevisionContent.of(revision),
        base_revision_id=base_revision_id,
        change_note=f"Restored revision {revision.number}",
        action=AuditEvent.Action.REVISION_RESTORED,
    )


# --- What readers of an older repost must be told ---------------------------------------------

# A number with a dose unit, or a range of them: "250 mg", "1,5 g", "100-150 µg", "20 %".
_NUMBER = r"\d+(?:[.,]\d+)?"
_DOSE = re.compile(
    rf"(?<![\w.,])({_NUMBER}(?:\s*[-\u2013]\s*{_NUMBER})?)\s*(mg|µg|μg|ug|mcg|g|ml|%)(?!\w)",
    re.IGNORECASE,
)
_UNITS = {"μg": "µg", "ug": "µg", "mcg": "µg"}


def doses(content: RevisionContent) -> Counter[str]:
    """The doses stated in the title, summary and body, normalised ("1,5 G" is "1.5 g")."""
    text = "\n".join((content.title, content.summary, content.body))
    found: Counter[str] = Counter()
    for number, unit in _DOSE.findall(text):
        amount = re.sub(r"\s+", "", number).replace(",", ".").replace("\u2013", "-")
        found[f"{amount} {_UNITS.get(unit.lower(), unit.lower())}"] += 1
    return found


def public_note_reason(old: RevisionContent, new: RevisionContent, *, kind: str) -> str:
    """What `new` changes that readers of `old` rely on ("" when nothing such changed)."""
    if doses(old) != doses(new):
        return _("a dose")
    if {tag_key(n) for n in old.substances} != {tag_key(n) for n in new.substances}:
        return _("the substances")
    if kind == PostKind.DRUG_ALERT and (old.title, old.summary) != (new.title, new.summary):
        return _("the title or summary of a drug alert")
    return ""


def last_published(post: Post) -> Revision | None:
    """The published revision, or for a withdrawn post the one it last published."""
    if post.published_revision_id:
        return post.published_revision
    event = (
        AuditEvent.objects.filter(post=post, action=AuditEvent.Action.PUBLISHED)
        .exclude(revision=None)
        .select_related("revision")
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.revision if event else None


def public_note_blocker(post: Post, content: RevisionContent) -> str:
    """Why `content` may not be saved without a public change note ("" when it may).

    The note is required when, compared with the text readers last saw published, the new text
    changes a dose, a substance tag, or (drug alerts) the title or summary: reposts of the old
    text get this version as a replacement, and it opens with the note. The published text's
    own note, left unchanged, does not count: it says what changed before.
    """
    published = last_published(post)
    if published is None:
        return ""
    # The published text's own note, kept unchanged in the form, says nothing about this change.
    if content.public_change_note not in ("", published.public_change_note):
        return ""
    what = public_note_reason(RevisionContent.of(published), content, kind=post.kind)
    return ERROR_PUBLIC_NOTE_REQUIRED.format(what=what, number=published.number) if what else ""
