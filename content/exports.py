"""Exporting posts to forums, and the repost register: the database side of `content.exporters`.

A post exports as *final* only when its published revision is still in force: published, not
withdrawn or archived, its review not overdue. Everything else exports as a preview of the latest
revision, marked "DRAFT - NOT REVIEWED" and never signed. A final export is written to the audit
log in the same transaction that produced it (who, post, revision, profile, hashes). The
services check the actor's right themselves (check_may_export): a final export or a withdrawal
notice needs content.export_final, a preview only that the actor sees the post; the export
commands act as a system actor (content.actors) that has that right.

The document handed to the exporters is built here from a whitelist of fields: title, summary,
body, sources, version, hash, dates, number of approvals and public URLs. Names, e-mail
addresses, change notes and reviewers' reasons never reach it. The words of a withdrawal notice
and of a replacement's "what changed" opening are written by content.notices.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content import (
    addresses,
    alerts,
    approval_rules,
    export_cache,
    interactions,
    notices,
    opsec,
    translations,
)
from content.actors import Actor, audit_fields
from content.exporters import (
    ExportDocument,
    ExportError,
    ExportResult,
    ExportSettings,
    ExportSource,
    Signer,
    SigningError,
)
from content.exporters.placeholders import template_placeholders
from content.feeds import FEED_KINDS
from content.models import (
    AuditEvent,
    ExportProfile,
    Post,
    PostState,
    Repost,
    Revision,
    Tag,
    record_event,
)
from content.models.posts import ALERT_EXPIRED, NOT_PUBLISHED, REVIEW_OVERDUE
from content.revision_schema import RevisionContent

ERROR_NO_TEXT = gettext_lazy(
    "“{title}” has no published text yet; it exports only as a draft preview."
)
ERROR_WITHDRAWN = gettext_lazy("“{title}” is withdrawn; it exports only as a draft preview.")
ERROR_ARCHIVED = gettext_lazy("“{title}” is archived; it exports only as a draft preview.")
ERROR_OVERDUE = gettext_lazy(
    "The review of “{title}” was due on {due:%Y-%m-%d} and is overdue; until it is re-reviewed "
    "it exports only as a draft preview."
)
ERROR_EXPIRED = gettext_lazy(
    "The drug alert “{title}” expired on {expired:%Y-%m-%d}; it exports only as a draft preview. "
    "If the warning still holds, publish a revision with a later expiry date."
)
ERROR_NO_KEY = gettext_lazy(
    "The profile “{profile}” signs its exports but has no signing key; ask an editor."
)
ERROR_KEY_INACTIVE = gettext_lazy(
    "The signing key {key} of the profile “{profile}” is switched off; ask an editor to choose "
    "another key. Nothing was exported."
)
ERROR_KEY_EXPIRED = gettext_lazy(
    "The signing key {key} of the profile “{profile}” expired on {expires:%Y-%m-%d}; ask an "
    "editor to extend or replace it. Nothing was exported."
)
ERROR_NOT_OUTDATED = gettext_lazy("This repost is up to date; there is nothing to replace.")
ERROR_NOT_WITHDRAWN = gettext_lazy(
    "This post is still published; post the replacement instead of a notice."
)
ERROR_NOT_EXPIRED = gettext_lazy(
    "This drug alert has not expired; post the replacement instead of an expiry notice."
)
ERROR_ADDRESS_NOT_SET = gettext_lazy(
    "The profile “{profile}” shows {{{placeholder}}}, but {setting} is not set, so readers "
    "could not check the text. Set {setting} in the environment, or change the profile's "
    "header and footer. Nothing was exported."
)
ADDRESS_SETTINGS = {"url": "PUBLIC_SITE_URL", "onion_url": "PUBLIC_ONION_URL"}


ERROR_FINAL_PERMISSION = gettext_lazy(
    "You may export previews only; final exports are for authors and editors."
)
ERROR_NOT_VISIBLE = gettext_lazy("You cannot see this post, so you cannot export it.")


def check_may_export(post: Post, actor: Actor, *, final: bool) -> None:
    """A final export (or a withdrawal notice) needs content.export_final, which authors,
    editors and the export commands have; a preview needs only that the actor sees the post.
    Raises PermissionDenied, which a view answers with 403."""
    if final:
        if not actor.has_perm("content.export_final"):
            raise PermissionDenied(ERROR_FINAL_PERMISSION)
    elif not Post.objects.visible_to(actor).filter(pk=post.pk).exists():
        raise PermissionDenied(ERROR_NOT_VISIBLE)


class NotExportable(ExportError):
    """A final export (or a repost) was asked for a post whose published text is not in force."""


# --- Rules --------------------------------------------------------------------------------------


# Post.not_in_force_because() -> what the user is told.
NOT_IN_FORCE_ERRORS = {
    PostState.WITHDRAWN: ERROR_WITHDRAWN,
    PostState.ARCHIVED: ERROR_ARCHIVED,
    NOT_PUBLISHED: ERROR_NO_TEXT,
    REVIEW_OVERDUE: ERROR_OVERDUE,
    ALERT_EXPIRED: ERROR_EXPIRED,
}


def final_blocker(post: Post, *, today: datetime.date | None = None) -> str:
    """Why `post` cannot be exported as final ("" when it can). The rule is Post.in_force."""
    because = post.not_in_force_because(today)
    if not because:
        # A translation behind a safety change of its source (content.translations).
        return translations.export_blocker(post)
    title = post.published_revision.title if post.published_revision else post.title
    return NOT_IN_FORCE_ERRORS[because].format(
        title=title, due=post.review_due, expired=post.alert_expires_on
    )


def check_addresses(profile: ExportProfile, document: ExportDocument) -> None:
    """A final export must not lose the address readers use to check it."""
    header, footer = profile.frame_for(document.language)
    used = set(template_placeholders(header)) | set(template_placeholders(footer))
    values = {"url": document.canonical_url, "onion_url": document.onion_url}
    for placeholder, setting in ADDRESS_SETTINGS.items():
        if placeholder in used and not values[placeholder]:
            raise ExportError(
                ERROR_ADDRESS_NOT_SET.format(
                    profile=profile.name, placeholder=placeholder, setting=setting
                )
            )


def public_urls(post: Post) -> tuple[str, str]:
    """The post's canonical clear-net and onion addresses on the public site ("" if unset)."""
    path = post.get_public_url()
    clear = settings.PUBLIC_SITE_URL.rstrip("/")
    onion = settings.PUBLIC_ONION_URL.rstrip("/")
    return (clear + path if clear else "", onion + path if onion else "")


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def document_for(post: Post, revision: Revision, *, final: bool) -> ExportDocument:
    """The whitelist of what an export may show about `revision`. No names, notes or e-mails."""
    canonical, onion = public_urls(post)
    # The revision content an export shows, as RevisionContent declares it (exported fields).
    text = RevisionContent.exported_from(revision)
    text["sources"] = tuple(
        ExportSource(title=source.title, url=source.url, consulted=_date(source.consulted))
        for source in text["sources"]
    )
    return ExportDocument(
        **text,
        version=revision.number,
        content_hash=revision.content_hash,
        language=post.language.code,
        kind=post.kind,
        published_on=timezone.localdate(post.published_at) if final and post.published_at else None,
        review_due=post.review_due if final else None,
        approvals=approval_rules.approvals(revision),
        canonical_url=canonical,
        onion_url=onion,
        is_final=final,
        **reader_paths(post),
    )


def blocks_before_text(revision: Revision, language: str, profile: ExportProfile | None) -> str:
    """The Markdown every export format and the public page put before the text: a drug
    alert's facts (content.alerts), then the interaction warnings of what `revision` names
    (content.interactions), from the profile's level up (the default level on the public page,
    `profile` None)."""
    min_level = profile.interaction_min_level if profile is not None else ""
    blocks = [
        alerts.facts_markdown(revision, language),  # a drug alert's facts (content.alerts)
        interactions.warnings_markdown(revision, language, min_level),
    ]
    return "\n".join(block for block in blocks if block)


def with_blocks_before_text(
    document: ExportDocument, revision: Revision, profile: ExportProfile
) -> ExportDocument:
    """`document` with `blocks_before_text()` opening its body (so its cache key holds them)."""
    blocks = blocks_before_text(revision, document.language, profile)
    return replace(document, body=f"{blocks}\n{document.body}") if blocks else document


def reader_paths(post: Post) -> dict[str, Any]:
    """What a signed part names so readers can look it up: the post, our verify page and key,
    and which of our own paths a link in the text may point to."""
    return {
        "slug": post.slug,
        "verify_path": reverse("public:verify"),
        "key_path": reverse("public:pgp_txt"),
        "public_path": public_page_exists,
    }


def public_page_exists(path: str) -> bool:
    """A path on our public site that a reader can open: one of its pages, a published post
    (or an old address that redirects to one) or its signed copy, a language, substance or feed
    page with something published, or an uploaded image. Never the studio."""
    if path.startswith(settings.MEDIA_URL):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.namespace != "public":
        return False
    kwargs, name = match.kwargs, match.url_name
    if name in ("post", "signed"):
        return _published_post_at(kwargs["lang"], kwargs["slug"])
    if "lang" not in kwargs:
        return True
    published = Post.objects.published().filter(language__code=kwargs["lang"])
    if name == "substance":
        published = published.filter(
            published_revision__tags__kind=Tag.Kind.SUBSTANCE,
            published_revision__tags__slug=kwargs["slug"],
        )
    if "kind" in kwargs and kwargs["kind"] not in FEED_KINDS:
        return False
    return published.exists()


def _published_post_at(lang: str, slug: str) -> bool:
    found = addresses.resolve(language_code=lang, slug=slug)
    post = found.post or (found.old.post if found.old is not None and not found.gone else None)
    return post is not None and Post.objects.published().filter(pk=post.pk).exists()


def settings_for(profile: ExportProfile, *, final: bool, language: str = "") -> ExportSettings:
    """The profile as the exporters' settings for a post in `language` (its header and footer
    in that language, if the profile has them); a preview is never signed."""
    header, footer = profile.frame_for(language)
    return ExportSettings(
        format=profile.format,
        dialect=profile.dialect,
        max_length=profile.max_length,
        link_policy=profile.link_policy,
        image_policy=profile.image_policy,
        tor=profile.tor,
        header_template=header,
        footer_template=footer,
        sign=profile.sign and final,
    )


ERROR_KEY_NOT_CURRENT = gettext_lazy(
    "The signing key {key} of the profile “{profile}” is {status} and never signs again; ask an "
    "editor to choose a current key. Nothing was exported."
)


def signer_for(profile: ExportProfile) -> Signer | None:
    """The profile's signer, or a SigningError that says what an editor must fix."""
    if not profile.sign:
        return None
    key = profile.signing_key
    if key is None:
        raise SigningError(ERROR_NO_KEY.format(profile=profile.name))
    if not key.active:
        raise SigningError(ERROR_KEY_INACTIVE.format(key=key, profile=profile.name))
    if not key.can_sign:  # retired or revoked
        status = key.get_status_display().lower()
        raise SigningError(
            ERROR_KEY_NOT_CURRENT.format(key=key, profile=profile.name, status=status)
        )
    if key.is_expired:
        raise SigningError(
            ERROR_KEY_EXPIRED.format(key=key, profile=profile.name, expires=key.expires)
        )
    return Signer(
        gnupghome=str(settings.GNUPG_HOME),
        fingerprint=key.fingerprint,
        passphrase=settings.GNUPG_PASSPHRASE or None,
    )


# --- Exporting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One export, ready to show or download."""

    post: Post
    revision: Revision
    profile: ExportProfile
    result: ExportResult
    final: bool
    notice: bool = False

    @property
    def parts(self) -> list[str]:
        return self.result.parts

    @property
    def part_hashes(self) -> list[str]:
        return [hashlib.sha256(part.encode()).hexdigest() for part in self.parts]

    @property
    def basename(self) -> str:
        kind = f"v{self.revision.number}"
        if self.notice:
            kind = "withdrawal" if self.post.offline else "expiry"
        draft = "" if self.final else "-DRAFT"
        return f"{self.post.slug}-{kind}{draft}-{self.profile.slug}"

    def download(self) -> tuple[str, bytes, str]:
        """(file name, bytes, content type): one .txt, or a .zip of one .txt per part."""
        if len(self.parts) == 1:
            return f"{self.basename}.txt", _text(self.parts[0]), "text/plain; charset=utf-8"
        buffer = io.BytesIO()
        total = len(self.parts)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for number, part in enumerate(self.parts, start=1):
                archive.writestr(f"{self.basename}-part{number}of{total}.txt", _text(part))
        return f"{self.basename}.zip", buffer.getvalue(), "application/zip"


def _text(part: str) -> bytes:
    return (part if part.endswith("\n") else part + "\n").encode()


def final_revision(post: Post) -> Revision:
    """The revision a final export of `post` shows: its published one, or NotExportable saying
    why not (not in force, or the opsec check stops it)."""
    blocker = final_blocker(post)
    if blocker:
        raise NotExportable(blocker)
    revision = post.expect_published_revision()  # final_blocker() refused any other
    blocker = opsec.export_blocker(post=post, revision=revision)
    if blocker:
        raise NotExportable(blocker)
    return revision


def export_post(
    *, post: Post, profile: ExportProfile, actor: Actor, final: bool, replaces: Repost | None = None
) -> Outcome:
    """Export the published revision as final (audited), or the latest revision as a preview.
    As the replacement of the outdated repost `replaces`, it opens with what changed since.

    Raises NotExportable when `final` is asked of a post whose published text is not in force,
    SigningError when a signing profile cannot sign, ExportError for an unusable profile,
    PermissionDenied when `actor` may not (check_may_export).
    """
    check_may_export(post, actor, final=final)
    if not final:
        revision = post.expect_latest_revision()
        document = document_for(post, revision, final=False)
        document = with_blocks_before_text(document, revision, profile)
        preview = settings_for(profile, final=False, language=document.language)
        result = export_cache.rendered(document, preview)
        return Outcome(post, revision, profile, result, final=False)
    with transaction.atomic():
        # Locked, so that a withdrawal cannot slip between the check and the audit event.
        post = Post.objects.select_for_update().select_related("language").get(pk=post.pk)
        revision = final_revision(post)
        document = translations.with_reader_notice(document_for(post, revision, final=True), post)
        document = with_blocks_before_text(document, revision, profile)
        if replaces is not None:
            document = notices.opening_with_changes(document, post, replaces.revision, revision)
        check_addresses(profile, document)
        # The key is checked before the cache is asked: a hit must not hand out text signed by a
        # key that was switched off, retired or has expired since.
        signer = signer_for(profile)
        final_settings = settings_for(profile, final=True, language=document.language)
        result = export_cache.rendered(document, final_settings, signer=signer)
        outcome = Outcome(post, revision, profile, result, final=True)
        _audit(outcome, actor)
    return outcome


# --- Signed copies for readers ------------------------------------------------------------------


def reader_profiles(post: Post) -> list[ExportProfile]:
    """The active signing profiles whose signed text of `post` readers may download from the
    public site and the API: none unless the published text is in force (the rule of a final
    export); profiles whose key cannot sign now are left out. Costs one query, signs nothing."""
    if final_blocker(post):
        return []
    profiles = ExportProfile.objects.filter(active=True, sign=True).select_related("signing_key")
    return [profile for profile in profiles if _signs_now(profile)]


def _signs_now(profile: ExportProfile) -> bool:
    try:
        return signer_for(profile) is not None
    except SigningError:
        return False


def reader_copy(post: Post, profile_slug: str) -> Outcome:
    """The signed, final text of `post` in one profile, as a reader downloads it.

    The same text a final export gives the team (and, from the export cache, the same
    signature), without an actor and without an audit event: it hands out what the public
    site already shows. Raises ExportProfile.DoesNotExist for a profile that is unknown,
    inactive or does not sign, NotExportable when the text is not in force or the opsec check
    stops it, SigningError when the key cannot sign now, ExportError for an address missing
    from the settings."""
    profile = ExportProfile.objects.select_related("signing_key").get(
        slug=profile_slug, active=True, sign=True
    )
    revision = final_revision(post)
    document = translations.with_reader_notice(document_for(post, revision, final=True), post)
    document = with_blocks_before_text(document, revision, profile)
    check_addresses(profile, document)
    signer = signer_for(profile)
    final_settings = settings_for(profile, final=True, language=document.language)
    result = export_cache.rendered(document, final_settings, signer=signer)
    return Outcome(post, revision, profile, result, final=True)


def reader_copies(post: Post) -> list[Outcome]:
    """`reader_copy()` in every profile of `reader_profiles()`; one that fails (an address not
    configured, a key store that cannot sign) is left out rather than failing the others."""
    copies = []
    for profile in reader_profiles(post):
        try:
            copies.append(reader_copy(post, profile.slug))
        except (ExportProfile.DoesNotExist, ExportError, SigningError):
            continue
    return copies


def withdrawal_notice(*, repost: Repost, actor: Actor) -> Outcome:
    """A short notice, in the repost's forum format (signed if its profile signs), that the
    text posted there was withdrawn: its version, approvals and dates, and the reason for
    readers if the editor gave one. The internal reason never appears."""
    post, revision = repost.post, repost.revision
    check_may_export(post, actor, final=True)  # it is signed and audited like a final export
    if not post.offline:
        raise NotExportable(ERROR_NOT_WITHDRAWN)
    return _notice(repost, actor, notices.withdrawal_text(post, revision), status="withdrawn")


def expiry_notice(*, repost: Repost, actor: Actor) -> Outcome:
    """A short notice, in the repost's forum format (signed if its profile signs), that the drug
    alert posted there has expired: its version, hash and dates, in the post's language."""
    post, revision = repost.post, repost.revision
    check_may_export(post, actor, final=True)  # it is signed and audited like a final export
    expired = post.expired_on()
    if post.offline or expired is None:
        raise NotExportable(ERROR_NOT_EXPIRED)
    return _notice(repost, actor, notices.expiry_text(post, revision, expired), status="expired")


def notice_for(*, repost: Repost, actor: Actor) -> Outcome:
    """The notice an outdated repost is answered with: a withdrawal, or an alert's expiry."""
    if repost.post.offline:
        return withdrawal_notice(repost=repost, actor=actor)
    return expiry_notice(repost=repost, actor=actor)


def _notice(
    repost: Repost,
    actor: Actor,
    text: tuple[str, str, datetime.date | None],
    *,
    status: str,
) -> Outcome:
    post, revision, profile = repost.post, repost.revision, repost.profile
    canonical, onion = public_urls(post)
    title, body, published = text
    document = ExportDocument(
        title=title,
        summary="",
        body=body,
        version=revision.number,
        content_hash=revision.content_hash,
        language=post.language.code,
        kind=post.kind,
        published_on=published,
        approvals=approval_rules.approvals(revision),
        canonical_url=canonical,
        onion_url=onion,
        is_final=True,
        status=status,
        **reader_paths(post),
    )
    check_addresses(profile, document)
    notice_settings = settings_for(profile, final=True, language=document.language)
    with transaction.atomic():
        signer = signer_for(profile)  # checked before the cache is asked, as in export_post()
        result = export_cache.rendered(document, notice_settings, signer=signer)
        outcome = Outcome(post, revision, profile, result, final=True, notice=True)
        _audit(outcome, actor)
    return outcome


def _audit(outcome: Outcome, actor: Actor) -> None:
    """Record a final export (or a withdrawal notice) once per revision, profile, person and
    day: showing the same text again that day, or downloading what was just shown, adds
    nothing. Another profile, person or day, or other text (a fresh signature, a notice
    instead of the post), is a new event. Called with the post locked (export_post), or locks
    it here, so that two requests at once cannot both find no event and both write one."""
    Post.objects.select_for_update().filter(pk=outcome.post.pk).values_list("pk").first()
    fields = audit_fields(actor)
    details: dict[str, Any] = {
        "profile": outcome.profile.slug,
        "profile_name": outcome.profile.name,
        "content_hash": outcome.revision.content_hash,
        "part_hashes": outcome.part_hashes,
        "signed": outcome.result.signed,
        "withdrawal_notice": outcome.notice and outcome.post.offline,
    }
    if outcome.notice and not outcome.post.offline:
        details["expiry_notice"] = True  # a drug alert's expiry (expiry_notice())
    if _recorded_today(outcome, fields, details):
        return
    record_event(
        action=AuditEvent.Action.EXPORTED,
        **fields,
        post=outcome.post,
        revision=outcome.revision,
        **details,
    )


def _recorded_today(outcome: Outcome, fields: dict[str, Any], details: dict[str, Any]) -> bool:
    """An export event today by the same person (or job) with the same profile and parts."""
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED,
        post=outcome.post,
        revision=outcome.revision,
        actor=fields["actor"],
        created_at__date=timezone.localdate(),
        details__profile=outcome.profile.slug,
    )
    if "system" in fields:
        events = events.filter(details__system=fields["system"])
    same = ("part_hashes", "signed", "withdrawal_notice")
    return any(
        all(event.get(key) == details[key] for key in same)
        for event in events.values_list("details", flat=True)
    )
