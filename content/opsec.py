"""The opsec lint: what in a revision would expose the team, or mislead, once it is on a forum.

The checks read a revision's title, summary, body, sources (titles and URLs), tags and its post's
slug, piece by piece (one line of text is one piece). Each check is a function registered in
CHECKS; adding one is one function and one entry. A finding says where it is, what matched
(shown safely) and why, and whether it blocks a final export. An editor may override one
blocking finding of one revision with a written reason (`override_finding`); the override is
bound to that revision, so a new revision is checked afresh.

Everything the checks compare against (the team, the phrases, the allowed numbers, the
overrides) is read once per run by `Context.load`, not per rule or per word.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy, ngettext_lazy
from django_stubs_ext import StrOrPromise

from content.actors import Actor, signed_in
from content.models import AuditEvent, OpsecOverride, Post, Revision, Tag, record_event
from content.opsec_rules import CHECKS, Context, Piece, normal

ERROR_EXPORT_BLOCKED = gettext_lazy(
    "Nothing was exported: the opsec check found what must not go out in revision {number}: "
    "{findings} Change the text and save a new revision (it is checked again), or ask an "
    "editor to override the finding, with a reason, on the page of revision {number}."
)
ERROR_OVERRIDE_PERMISSION = gettext_lazy("Only editors may override an opsec finding.")
ERROR_OVERRIDE_REASON = gettext_lazy(
    "Say why this finding may go out; the reason is kept in the audit log."
)
ERROR_OVERRIDE_TOO_LONG = gettext_lazy("Keep the reason under {limit} characters.")
ERROR_NO_SUCH_FINDING = gettext_lazy(
    "This revision has no such blocking finding (the page may be out of date); reload it."
)
ERROR_ALREADY_OVERRIDDEN = gettext_lazy("This finding of this revision is already overridden.")
ERROR_OVERRIDE_FORM = gettext_lazy(
    "The override was incomplete or its reason longer than 1000 characters; nothing was recorded."
)
MESSAGE_FOUND = ngettext_lazy(
    "The opsec check found %(count)s thing to look at in this revision, %(blocking)s of which "
    "block a final export; see the list under “Opsec check”.",
    "The opsec check found %(count)s things to look at in this revision, %(blocking)s of which "
    "block a final export; see the list under “Opsec check”.",
    "count",
)
MAX_REASON = 1000
SHOWN_LIMIT = 80

# --- Running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    key: str  # stable for this revision: binds an override
    rule: str
    label: str
    where: str
    shown: str
    reason: str
    advice: str
    blocks: bool
    override: OpsecOverride | None = None

    @property
    def blocking(self) -> bool:
        return self.blocks and self.override is None

    @property
    def place(self) -> str:
        """`where` in the language of the page (`where` itself stays English: it is part of
        the finding's key and of the audit log)."""
        return place_of(self.where)

    def __str__(self) -> str:
        return f"{self.place}: {self.label.lower()} “{self.shown}” ({self.reason})"


# The places pieces() names, as patterns of the stored English `where`, and how people read them.
PLACES: tuple[tuple[re.Pattern[str], StrOrPromise], ...] = (
    (re.compile(r"title"), gettext_lazy("title")),
    (re.compile(r"summary, line (?P<number>\d+)"), gettext_lazy("summary, line %(number)s")),
    (re.compile(r"body, line (?P<number>\d+)"), gettext_lazy("body, line %(number)s")),
    (re.compile(r"source (?P<number>\d+), title"), gettext_lazy("source %(number)s, title")),
    (re.compile(r"source (?P<number>\d+), URL"), gettext_lazy("source %(number)s, URL")),
    (re.compile(r"tag “(?P<name>.*)”", re.DOTALL), gettext_lazy("tag “%(name)s”")),
    (re.compile(r"address \(slug\)"), gettext_lazy("address (slug)")),
)


def place_of(where: str) -> str:
    """A finding's stored place ("body, line 3") as the current language says it; a place
    of no known form as it is."""
    for pattern, wording in PLACES:
        found = pattern.fullmatch(where)
        if found is not None:
            return str(wording) % found.groupdict()
    return where


@dataclass(frozen=True)
class Report:
    revision: Revision
    findings: tuple[Finding, ...]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    def get(self, key: str) -> Finding | None:
        return next((f for f in self.findings if f.key == key), None)

    @property
    def summary(self) -> str:
        """One line for a message after saving ("" when nothing was found)."""
        if not self.findings:
            return ""
        return MESSAGE_FOUND % {"count": len(self.findings), "blocking": len(self.blocking)}


def pieces(revision: Revision, slug: str, tags: list[str]) -> Iterator[Piece]:
    """The revision's text as the checks read it, each piece with where it is."""
    yield Piece("title", "title", revision.title)
    for name, text in (("summary", revision.summary), ("body", revision.body)):
        for number, line in enumerate(text.splitlines(), start=1):
            yield Piece(name, f"{name}, line {number}", line)
    for number, source in enumerate(revision.sources, start=1):
        yield Piece("source", f"source {number}, title", str(source.get("title", "")))
        yield Piece("source", f"source {number}, URL", str(source.get("url", "")))
    for name in tags:
        yield Piece("tag", f"tag “{name}”", name)
    # Hyphens read as spaces, so "jane-doe" is the name "Jane Doe".
    yield Piece("slug", "address (slug)", slug.replace("-", " "))


def shown_safely(text: str) -> str:
    """The matched text, without control or direction-changing characters, and short."""
    cleaned = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text)
    return cleaned if len(cleaned) <= SHOWN_LIMIT else cleaned[: SHOWN_LIMIT - 1] + "…"


def run_checks(*, revision: Revision, post: Post | None = None) -> Report:
    """Every registered check over `revision` and its post's slug, with overrides applied."""
    tags = sorted(revision.tags.all(), key=lambda tag: (tag.kind != Tag.Kind.SUBSTANCE, tag.name))
    ctx = Context.load(revision, [tag.name for tag in tags if tag.kind == Tag.Kind.SUBSTANCE])
    slug = (post or revision.post).slug
    findings: list[Finding] = []
    seen: Counter[str] = Counter()
    for piece in pieces(revision, slug, [tag.name for tag in tags]):
        hits = [(hit, check) for check in CHECKS for hit in check.find(piece, ctx)]
        for hit, check in sorted(hits, key=lambda pair: pair[0].start):  # in reading order
            matched = piece.text[hit.start : hit.end]
            identity = f"{check.code}|{piece.where}|{normal(matched)}"
            seen[identity] += 1
            digest = hashlib.sha256(f"{identity}|{seen[identity]}".encode()).hexdigest()
            key = f"{check.code}-{digest[:16]}"
            findings.append(
                Finding(
                    key=key,
                    rule=check.code,
                    label=str(check.label),
                    where=piece.where,
                    shown=shown_safely(matched),
                    reason=hit.reason,
                    advice=str(check.advice),
                    blocks=check.blocks if hit.blocks is None else hit.blocks,
                    override=ctx.overrides.get(key),
                )
            )
    return Report(revision=revision, findings=tuple(findings))


class OpsecError(Exception):
    """An override was refused; the message says why."""


class OverrideNotPermitted(OpsecError, PermissionError):
    pass


def export_blocker(*, post: Post, revision: Revision) -> str:
    """Why a final export of `revision` must not go out ("" when nothing blocks it)."""
    blocking = run_checks(revision=revision, post=post).blocking
    if not blocking:
        return ""
    findings = " ".join(f"{finding}: {finding.advice}" for finding in blocking)
    return ERROR_EXPORT_BLOCKED.format(number=revision.number, findings=findings)


@transaction.atomic
def override_finding(*, revision: Revision, key: str, actor: Actor, reason: str) -> OpsecOverride:
    """Let one blocking finding of `revision` go out, for a written reason (editors only)."""
    if not actor.has_perm("content.override_opsec"):
        raise OverrideNotPermitted(ERROR_OVERRIDE_PERMISSION)
    reason = reason.strip()
    if not reason:
        raise OpsecError(ERROR_OVERRIDE_REASON)
    if len(reason) > MAX_REASON:
        raise OpsecError(ERROR_OVERRIDE_TOO_LONG.format(limit=MAX_REASON))
    finding = run_checks(revision=revision).get(key)
    if finding is None or not finding.blocks:
        raise OpsecError(ERROR_NO_SUCH_FINDING)
    if finding.override is not None:
        raise OpsecError(ERROR_ALREADY_OVERRIDDEN)
    try:
        with transaction.atomic():
            override = OpsecOverride.objects.create(
                revision=revision,
                key=key,
                rule=finding.rule,
                where=finding.where[:200],
                reason=reason,
                actor=signed_in(actor),
            )
    except IntegrityError:  # another editor overrode it at the same moment
        raise OpsecError(ERROR_ALREADY_OVERRIDDEN) from None
    record_event(
        action=AuditEvent.Action.OPSEC_OVERRIDDEN,
        actor=actor,
        post=revision.post,
        revision=revision,
        key=key,
        rule=finding.rule,
        where=finding.where,
        shown=finding.shown,
        reason=reason,
    )
    return override
