"""The words of a withdrawal notice, of a drug alert's expiry notice and of a replacement's
"what changed" opening.

`content.exports` builds, signs and audits them; this module only writes their Markdown from the
post's history (its audit events and public change notes). Every value a notice states is known
when it is made; a date that is not is left out with its phrase. Like every word an export
writes itself, a notice is in the post's language, whoever makes it.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from content.exporters import ExportDocument
from content.exporters.forum_markdown import escape_line_starts, escape_text
from content.models import AuditEvent, Post, PostState, Revision

WITHDRAWAL_TITLE = gettext_noop("Withdrawn: {title}")
# Every value below is known when a notice is made; a date that is not is left out with its
# phrase (content.exporters.placeholders follows the same rule for profile templates).
WITHDRAWAL_BODY = gettext_noop(
    "We withdrew this information{on}. It was version {version}{published} (content hash "
    "{hash}). Please do not rely on it any more. If a corrected version is published, it will "
    "be posted here."
)
WITHDRAWN_ON = gettext_noop(" on {date}")  # {on} above
PUBLISHED_ON = gettext_noop(", published on {date}")  # {published} above
WITHDRAWAL_REASON = gettext_noop("Why: {reason}")
EXPIRY_TITLE = gettext_noop("Expired: {title}")
EXPIRY_BODY = gettext_noop(
    "This drug alert expired on {date}. It was version {version}{published} (content hash "
    "{hash}). It described what was tested then; do not rely on it for what is sold now. A new "
    "warning, if there is one, will be posted here."
)
# A replacement opens with what changed since the version posted there (public change notes).
CHANGED_SINCE = gettext_noop("**What changed since version {old}:**")
CHANGED_IN = gettext_noop("- Version {number}: {note}")
REPLACES = gettext_noop("**Updated:** version {new} replaces version {old}, posted here before.")
# A translation's final export while a safety change of its source is not translated opens with
# this line (content.translations.with_reader_notice); here with the other notices, so /verify/
# knows its words as ours (content.public_words.OUR_WORDS).
UNTRANSLATED_UPDATE = gettext_noop("An update of the source is not yet translated.")


def as_markdown(text: str) -> str:
    """Plain text (a note or reason people typed) as Markdown text that shows as typed."""
    return escape_line_starts(escape_text(" ".join(text.split())))


def changes_since(post: Post, posted: Revision, current: Revision) -> list[tuple[int, str]]:
    """(version, public change note) of each version published after `posted` up to `current`,
    oldest first; a note carried over unchanged from the version before is not repeated."""
    published = {
        event.revision
        for event in AuditEvent.objects.filter(
            post=post,
            action=AuditEvent.Action.PUBLISHED,
            revision__number__gt=posted.number,
            revision__number__lte=current.number,
        ).select_related("revision")
        if event.revision is not None  # always: the filter is on the revision
    } | {current}
    notes, previous = [], posted.public_change_note
    for revision in sorted(published, key=lambda r: r.number):
        if revision.public_change_note and revision.public_change_note != previous:
            notes.append((revision.number, revision.public_change_note))
        previous = revision.public_change_note
    return notes


def opening_with_changes(
    document: ExportDocument, post: Post, posted: Revision, current: Revision
) -> ExportDocument:
    """The document with "what changed" right under the title, before the summary and body,
    in the post's language."""
    notes = changes_since(post, posted, current)
    with translation.override(post.language.code):
        if not notes:
            opening = _(REPLACES).format(new=current.number, old=posted.number)
        elif len(notes) == 1:
            since = _(CHANGED_SINCE).format(old=posted.number)
            opening = f"{since} {as_markdown(notes[0][1])}"
        else:
            items = "\n".join(
                _(CHANGED_IN).format(number=n, note=as_markdown(note)) for n, note in notes
            )
            opening = _(CHANGED_SINCE).format(old=posted.number) + "\n\n" + items
    summary = as_markdown(document.summary) if document.summary.strip() else ""
    body = "\n\n".join(part for part in (opening, summary, document.body) if part)
    return replace(document, summary="", body=body)


def published_on(post: Post, revision: Revision) -> datetime.date | None:
    """When `revision` was first published (the post's date if no event says)."""
    event = (
        AuditEvent.objects.filter(post=post, revision=revision, action=AuditEvent.Action.PUBLISHED)
        .order_by("created_at", "pk")
        .first()
    )
    if event is None:
        moment = post.published_at
    else:  # the date it was published as, which a backdated import sets (workflow.publish `at`)
        recorded = event.details.get("published_at")
        moment = datetime.datetime.fromisoformat(recorded) if recorded else event.created_at
    return timezone.localdate(moment) if moment else None


def withdrawn_on(post: Post) -> datetime.date | None:
    if post.state == PostState.WITHDRAWN and post.withdrawn_at:
        return timezone.localdate(post.withdrawn_at)
    event = (
        AuditEvent.objects.filter(
            post=post, action__in=[AuditEvent.Action.WITHDRAWN, AuditEvent.Action.ARCHIVED]
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return timezone.localdate(event.created_at) if event else None


def withdrawal_text(post: Post, revision: Revision) -> tuple[str, str, datetime.date | None]:
    """(title, body, date first published) of the notice that `revision` was withdrawn: its
    version, hash and dates, and the reason for readers if the editor gave one. The internal
    reason never appears. In the post's language."""
    published, withdrawn = published_on(post, revision), withdrawn_on(post)
    with translation.override(post.language.code):
        body = _(WITHDRAWAL_BODY).format(
            on=_(WITHDRAWN_ON).format(date=withdrawn.isoformat()) if withdrawn else "",
            version=revision.number,
            published=_(PUBLISHED_ON).format(date=published.isoformat()) if published else "",
            hash=revision.content_hash,
        )
        if post.state == PostState.WITHDRAWN and post.public_reason:
            body += "\n\n" + _(WITHDRAWAL_REASON).format(reason=as_markdown(post.public_reason))
        title = _(WITHDRAWAL_TITLE).format(title=revision.title)
    return title, body, published


def expiry_text(
    post: Post, revision: Revision, expired: datetime.date
) -> tuple[str, str, datetime.date | None]:
    """(title, body, date first published) of the notice that the drug alert `revision` expired
    on `expired`: its version, hash and dates. In the post's language."""
    published = published_on(post, revision)
    with translation.override(post.language.code):
        body = _(EXPIRY_BODY).format(
            date=expired.isoformat(),
            version=revision.number,
            published=_(PUBLISHED_ON).format(date=published.isoformat()) if published else "",
            hash=revision.content_hash,
        )
        title = _(EXPIRY_TITLE).format(title=revision.title)
    return title, body, published
