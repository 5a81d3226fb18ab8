"""Checking a text a reader copied from a forum: is it ours, and is it the current version?

`check_text()` is the whole service behind the public verify page. It finds the first complete
clear-signed block in the paste, undoes what forums do to pasted text (CR line ends, quote or
code indentation, trailing blanks), and has gpg check that block, and nothing else, against our
key store. A good signature by one of our SigningKey rows names the post and revision (the
attestation lines of the signed text, or any 64-hex content hash in older exports); the answer
says whether that is the published text, what changed since, or that the post was withdrawn.
A paste without a signature is matched by its words against revisions that are or were public
and is reported as unsigned: it proves nothing by itself. The block and gpg's reading of it are
in content.clearsigned.

Nothing about the reader is kept: the paste is neither stored nor logged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from http import HTTPStatus

from django.conf import settings
from django.db.models import Count, Q

from content.addresses import resolve
from content.clearsigned import (
    ANY_HASH,
    Fields,
    GpgReport,
    find_armor,
    read_fields,
    run_gpg,
)
from content.models import AuditEvent, Post, PostState, PublicWord, Revision, SigningKey
from content.public_words import indexed, revision_texts
from content.public_words import words as words  # re-exported: tests read pastes with it
from content.revisions import FieldDiff, RevisionContent, compare


class Verdict(StrEnum):
    GOOD = "good"  # a good signature by one of our keys
    BAD = "bad"  # a signature that does not match the text: changed after signing
    NOT_OURS = "not_ours"  # signed, but not by a key of ours
    REVOKED = "revoked"  # signed by a key of ours that is revoked: proves nothing any more
    INVALID = "invalid"  # a signed block that is broken: gpg cannot check it
    UNSIGNED = "unsigned"  # no signed block at all
    UNAVAILABLE = "unavailable"  # gpg could not run (missing, or took too long)


class Standing(StrEnum):
    CURRENT = "current"
    OUTDATED = "outdated"  # another revision is published now
    WITHDRAWN = "withdrawn"
    ARCHIVED = "archived"
    UNPUBLISHED = "unpublished"  # not on the public site, for another reason


# --- The result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyReport:
    fingerprint: str
    uids: tuple[str, ...] = ()  # as gpg shows them to anyone who imports our key
    status: str = ""  # "current", "retired" or "revoked" (our records), "" when not ours
    reason: str = ""  # why it was retired or revoked, in words for readers
    expired: bool = False
    signed_after_retirement: bool = False

    @property
    def grouped(self) -> str:
        return " ".join(self.fingerprint[i : i + 4] for i in range(0, len(self.fingerprint), 4))


@dataclass(frozen=True)
class Match:
    post: Post
    revision: Revision
    standing: Standing
    published: Revision | None = None  # the published revision now, if any
    diffs: list[FieldDiff] = field(default_factory=list)
    since: datetime.datetime | None = None  # when it was withdrawn or archived
    public_reason: str = ""
    public_url: str = ""  # only while the post is on the public site
    overdue: bool = False
    withdrawal_notice: bool = False
    similarity: float | None = None  # for unsigned pastes: the share of words that matched


@dataclass(frozen=True)
class Result:
    verdict: Verdict
    outside_ignored: bool = False
    key: KeyReport | None = None
    match: Match | None = None
    names_unknown_revision: bool = False  # good signature, but no revision of ours fits


def check_text(paste: str, *, gnupghome: str | None = None) -> Result:
    """Everything the verify page says about a paste. Never raises for any input text."""
    armor = find_armor(paste)
    if not armor.started:
        return Result(Verdict.UNSIGNED, match=match_unsigned(paste))
    if not armor.block or not armor.signed_text:
        # Match the words, not the signature's: its base64 would crowd out every long word.
        words_only = paste.split("-----BEGIN PGP SIGNATURE-----")[0]
        return Result(
            Verdict.INVALID, outside_ignored=armor.outside, match=match_unsigned(words_only)
        )
    report = run_gpg(armor.block, gnupghome=str(gnupghome or settings.GNUPG_HOME))
    outside = armor.outside
    if report.outcome == "unavailable":
        return Result(Verdict.UNAVAILABLE, outside_ignored=outside)
    if report.outcome in {"bad", "invalid"}:
        return Result(Verdict(report.outcome), outside_ignored=outside)
    key = _our_key(report.fingerprint)
    if report.outcome == "no_key" and key is not None:
        # One of our keys, but the key store lacks it: our store is broken, not the text.
        return Result(Verdict.UNAVAILABLE, outside_ignored=outside)
    if report.outcome == "no_key" or key is None:
        return Result(Verdict.NOT_OURS, outside_ignored=outside, key=_key_report(None, report))
    key_report = _key_report(key, report)
    if key_report.status == "revoked":
        # A revoked key may be in other hands: its signature says nothing, the words may.
        match = match_unsigned(armor.signed_text)
        return Result(Verdict.REVOKED, outside_ignored=outside, key=key_report, match=match)
    fields = read_fields(armor.signed_text)
    revision = find_signed_revision(fields)
    if revision is None:
        return Result(
            Verdict.GOOD, outside_ignored=outside, key=key_report, names_unknown_revision=True
        )
    match = describe(revision, withdrawal_notice=fields.withdrawal_notice)
    return Result(Verdict.GOOD, outside_ignored=outside, key=key_report, match=match)


def _our_key(named: str) -> SigningKey | None:
    """Our key row for a fingerprint, or for a long key id (its last 16 hex digits)."""
    if len(named) < 16:
        return None
    return SigningKey.objects.filter(fingerprint__iendswith=named).first()


def _key_report(key: SigningKey | None, report: GpgReport) -> KeyReport:
    if key is None:
        return KeyReport(report.fingerprint)
    status = str(key.status)
    if key.status == SigningKey.Status.CURRENT and not key.active:
        status = "switched off"
    if report.key_revoked:
        status = SigningKey.Status.REVOKED
    changed = key.status_changed_at
    return KeyReport(
        fingerprint=key.fingerprint,
        uids=tuple(key.uids),
        status=status,
        reason=key.status_reason,
        expired=report.key_expired or key.is_expired,
        signed_after_retirement=status == "retired"
        and changed is not None
        and report.signed_at is not None
        and report.signed_at > changed,
    )


# --- Which revision, and where it stands (database) -----------------------------------------


def once_public() -> Q:
    """Revisions readers could have seen: published now, or published at some time."""
    ever = AuditEvent.objects.filter(action=AuditEvent.Action.PUBLISHED).values("revision")
    now = Post.objects.filter(published_revision__isnull=False).values("published_revision")
    return Q(pk__in=ever) | Q(pk__in=now)


def find_signed_revision(fields: Fields) -> Revision | None:
    """The revision a verified text names: by its content hash (the attestation's, else any
    64-hex run, as older exports have), or by post and version. A restore can give two
    revisions one hash: the named post, then the version, then the published one decides."""
    hashes = [fields.content_hash] if fields.content_hash else list(fields.hashes)
    revisions = Revision.objects.select_related("post", "post__language")
    named_post = _named_post(fields) if fields.slug else None
    if hashes:
        found = revisions.filter(content_hash__in=hashes)
    elif named_post is not None and fields.version is not None:
        found = revisions.filter(number=fields.version, post=named_post)
    else:
        return None

    def rank(revision: Revision) -> tuple[bool, bool, bool, int]:
        post = revision.post
        named = named_post is not None and post.pk == named_post.pk
        current = post.published_revision_id == revision.pk
        return named, revision.number == fields.version, current, revision.number

    return max(found[:50], key=rank, default=None)


def _named_post(fields: Fields) -> Post | None:
    """The post a "Post: <language>/<slug>" line names, also under an address it had before
    (a slug change that keeps the old address). An address made to disappear names nothing."""
    found = resolve(language_code=fields.language, slug=fields.slug)
    if found.post is not None:
        return found.post
    return found.old.post if found.old is not None and not found.gone else None


def _last_event(post: Post, action: str) -> datetime.datetime | None:
    event = post.audit_events.filter(action=action).order_by("-created_at", "-pk").first()
    return event.created_at if event else None


def describe(
    revision: Revision, *, withdrawal_notice: bool = False, similarity: float | None = None
) -> Match:
    """Where `revision` stands now, with what changed when another revision is published.
    Only public words are used: never the internal state note or change notes."""
    post = Post.objects.select_related("language", "published_revision").get(pk=revision.post_id)
    published = post.published_revision
    match = partial(
        Match, post, revision, withdrawal_notice=withdrawal_notice, similarity=similarity
    )
    withdrawn_on = post.withdrawn_at or _last_event(
        post, AuditEvent.Action.WITHDRAWN
    )
    if post.state == PostState.ARCHIVED:
        return match(Standing.ARCHIVED, since=_last_event(post, AuditEvent.Action.ARCHIVED))
    if post.state == PostState.WITHDRAWN or (published is None and withdrawn_on):
        reason = post.public_reason
        return match(Standing.WITHDRAWN, since=withdrawn_on, public_reason=reason)
    if published is None or post.public_status != HTTPStatus.OK:
        return match(Standing.UNPUBLISHED)
    url = post.get_public_url()
    if published.content_hash == revision.content_hash:
        return match(Standing.CURRENT, published, public_url=url, overdue=post.is_overdue)
    # Readers need what changed; the unchanged fields are in the text they hold.
    diffs = compare(RevisionContent.of(revision), RevisionContent.of(published))
    return match(Standing.OUTDATED, published, [d for d in diffs if d.changed], public_url=url)


# --- Unsigned pastes: which public revision do these words match? -----------------------------

SHINGLE = 3  # words per shingle: three in a row rarely match by chance
MIN_SHINGLES = 5
MIN_SIMILARITY = 0.6
PREFILTER_WORDS = 8
PREFILTER_CANDIDATES = 25


def shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def revision_shingles(revision: Revision) -> set[tuple[str, ...]]:
    """Shingles within each field (title, summary, body, each source's title): exports put
    frames and other words between fields, and show a source's address in some formats only."""
    return set().union(*(shingles(words(text)) for text in revision_texts(revision)))


def similarity(paste: set[tuple[str, ...]], revision: set[tuple[str, ...]]) -> tuple[float, float]:
    """(overlap, Jaccard). Overlap is the share of the smaller side found in the other, so a
    whole post inside a forum frame and a single paragraph of a post both score high; Jaccard
    breaks ties between revisions of one post."""
    shared = len(paste & revision)
    if not shared:
        return 0.0, 0.0
    return shared / min(len(paste), len(revision)), shared / len(paste | revision)


def _prefilter(tokens: list[str], hashes: list[str]) -> list[Revision]:
    """At most PREFILTER_CANDIDATES public revisions that contain the most of the paste's
    longest words (the rarest, as a rule), found in the index of public words; any revision
    whose hash the paste quotes is a candidate too. Only its words decide the match, never the
    quoted hash."""
    chosen = sorted(indexed(tokens), key=lambda t: (len(t), t))[-PREFILTER_WORDS:]
    ranked = (
        PublicWord.objects.filter(word__in=chosen)
        .values("revision")
        .annotate(hits=Count("revision"))
        .filter(hits__gte=min(2, len(chosen)) or 1)
        .order_by("-hits", "-revision")
        .values_list("revision", flat=True)[:PREFILTER_CANDIDATES]
    )
    wanted = list(ranked) if chosen else []
    quoted = (
        list(
            Revision.objects.filter(once_public(), content_hash__in=hashes).values_list(
                "pk", flat=True
            )
        )
        if hashes
        else []
    )
    order = {pk: rank for rank, pk in enumerate([*quoted, *wanted])}
    candidates = (
        Revision.objects.filter(pk__in=order).select_related("post").defer("rendered_html")
    )
    return sorted(candidates, key=lambda revision: order[revision.pk])


def match_unsigned(paste: str) -> Match | None:
    """The public revision whose words the paste matches best, if it matches well enough."""
    tokens = words(paste)
    ours = shingles(tokens)
    if len(ours) < MIN_SHINGLES:
        return None
    best: tuple[tuple[float, float, bool], Revision] | None = None
    for revision in _prefilter(tokens, ANY_HASH.findall(paste)):
        theirs = revision_shingles(revision)
        overlap, jaccard = similarity(ours, theirs)
        if overlap < MIN_SIMILARITY or len(ours & theirs) < MIN_SHINGLES:
            continue
        rank = (round(overlap, 3), jaccard, revision.post.published_revision_id == revision.pk)
        if best is None or rank > best[0]:
            best = (rank, revision)
    if best is None:
        return None
    return describe(best[1], similarity=best[0][0])
