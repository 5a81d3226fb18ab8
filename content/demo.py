"""Demo accounts, posts and export profiles, so a newcomer sees the product working at once.

`seed()` is idempotent: accounts are matched by user name, posts by language and slug and
profiles by slug, and the review discussion is written only on a post without comments, so
running it twice duplicates nothing (it only resets the demo passwords to
the one given). The accounts, posts and profiles themselves are content.demo_data.

`seed_signing()`, for development only, adds what signing needs: a key labelled as the demo's,
profiles that sign with it, and a signed canary and mirror list. It refuses to run with DEBUG
off, so that no installation serves texts signed by a key everybody can make.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from content import (
    discussion,
    notifications,
    reposts,
    roles,
    signing_keys,
    team,
    trust,
    workflow,
)
from content.demo_data import (
    DEMO_DISCUSSION,
    DEMO_FRAME_LANGUAGES,
    DEMO_KEY_EMAIL,
    DEMO_KEY_LABEL,
    DEMO_POSTS,
    DEMO_PROFILES,
    DEMO_SIGNED_PROFILES,
    DEMO_USERS,
    DISCUSSED,
    SCHEDULED,
    SCHEDULED_IN,
    DemoPost,
)
from content.exporters.frames import DEFAULT_FRAMES
from content.images import store_image
from content.models import (
    ExportProfile,
    ExportProfileFrame,
    Language,
    Post,
    PostState,
    PublicVersion,
    ReviewPolicy,
    Schedule,
    SignedStatement,
    SigningKey,
)
from content.revision_schema import SourceRef
from content.revisions import RevisionContent, create_post, save_revision
from content.states import bring_to_state
from content.translations import newest_source_revision

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEFAULT_PASSWORD = "demo-password"  # noqa: S105 - printed for the demo accounts only


def _edit(post: Post, author: User, content: RevisionContent, note: str) -> None:
    save_revision(
        post=post,
        author=author,
        content=content,
        base_revision_id=post.latest_revision_id,
        change_note=note,
    )


def _repost(post: Post, profile: str, where: str, days_ago: int) -> None:
    reposts.record_repost(
        post=Post.objects.get(pk=post.pk),
        profile=ExportProfile.objects.get(slug=profile),
        actor=post.created_by,
        where=where,
        posted_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def _republish(demo: DemoPost, post: Post, users: dict[str, User]) -> None:
    """Publish the first version, repost it, then publish the later ones: the repost is outdated."""
    _bring(demo, post, PostState.PUBLISHED, users)
    _repost(post, "dread", "Dread: /d/HarmReduction, thread “Orange Tesla pills”", days_ago=9)
    for note, content in demo.versions[1:]:
        _edit(post, post.created_by, content, note)
    _bring(demo, post, PostState.PUBLISHED, users)


def _schedule_publication(demo: DemoPost, post: Post, users: dict[str, User]) -> None:
    """In review, approved by as many reviewers as its kind needs, and its publication
    scheduled by the editor SCHEDULED_IN from now: the home lists it under what is scheduled
    (and a running worker publishes it then)."""
    post = _bring(demo, post, PostState.IN_REVIEW, users)
    required = ReviewPolicy.for_kind(post.kind).required_approvals
    for name in demo.reviewers[:required]:
        workflow.approve(post=post, actor=users[name], revision_id=post.latest_revision_id)
    run_at = (timezone.now() + SCHEDULED_IN).replace(minute=0, second=0, microsecond=0)
    workflow.schedule(
        post=post,
        actor=users["eva"],
        kind=Schedule.Kind.PUBLISH,
        run_at=run_at,
        revision_id=post.latest_revision_id,
    )


def _run_workflow(demo: DemoPost, post: Post, users: dict[str, User]) -> None:
    """Bring a demo post into the state its plan names, through the real transitions."""
    if demo.workflow == SCHEDULED:
        _schedule_publication(demo, post, users)
        return
    if demo.workflow == PostState.WITHDRAWN:
        # Reposted while it was published, so the withdrawal leaves a repost to take down.
        _bring(demo, post, PostState.PUBLISHED, users)
        _repost(post, "phpbb-tor", "phpBB (Tor) forum: Harm reduction > Alerts", days_ago=3)
    _bring(demo, post, demo.workflow, users)


def _bring(demo: DemoPost, post: Post, state: str, users: dict[str, User]) -> Post:
    return bring_to_state(
        post,
        state,
        author=post.created_by,
        reviewers=[users[name] for name in demo.reviewers],
        editor=users["eva"],
        reason=demo.reason,
        newer_text=demo.newer_text,
        change_note=demo.newer_note,
    )


def translated_from(source: Post, number: int, content: RevisionContent) -> RevisionContent:
    """`content` as the translation of revision `number` of `source` (0: its newest)."""
    revision = source.revisions.get(number=number) if number else newest_source_revision(source)
    return dataclasses.replace(content, translates=SourceRef.of(revision))


@dataclass
class SeedResult:
    users: list[tuple[str, str]]  # (user name, role)
    posts_created: int
    posts_existing: int


def _ensure_users(password: str) -> dict[str, User]:
    model = get_user_model()
    users: dict[str, User] = {}
    for username, first_name, role in DEMO_USERS:
        user, _ = model.objects.get_or_create(
            username=username, defaults={"first_name": first_name}
        )
        user.set_password(password)
        user.is_staff = role == roles.EDITORS
        address = f"{username}@example.org"
        if not team.email_taken(address, other_than=user.pk):  # else it keeps what it has
            user.email = address
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        users[username] = model.objects.get(pk=user.pk)  # fresh: no stale permission cache
    return users


def seed(*, password: str = DEFAULT_PASSWORD) -> SeedResult:
    with notifications.email_muted(), transaction.atomic():
        return _seed(password)


def _seed(password: str) -> SeedResult:
    users = _ensure_users(password)
    _ensure_profiles(DEMO_PROFILES)
    created = existing = 0
    photo = ""  # drawn and uploaded once, for the first post that shows it
    for demo in DEMO_POSTS:
        language = Language.objects.get(code=demo.language)
        if Post.objects.filter(language=language, slug=demo.slug).exists():
            existing += 1
            continue
        if demo.photographed:
            photo = photo or pill_photo()
            demo = with_photo(demo, photo)
        author = users[demo.author]
        (first_note, first), *later = demo.versions
        original = (
            Post.objects.filter(slug=demo.translation_of).first() if demo.translation_of else None
        )
        if original is not None:  # a translation records the source revision it translates
            first = translated_from(original, demo.translates_revision, first)
        post = create_post(
            author=author,
            language=language,
            kind=demo.kind,
            slug=demo.slug,
            content=first,
            change_note=first_note,
            translation_of=original,
        )
        if demo.workflow == "republished":
            _republish(demo, post, users)
        else:
            for note, content in later:
                _edit(post, author, content, note)
            _run_workflow(demo, post, users)
        created += 1
    _ensure_discussion(users)
    return SeedResult(
        users=[(username, role) for username, _, role in DEMO_USERS],
        posts_created=created,
        posts_existing=existing,
    )


def pill_photo() -> str:
    """The address of a photo of the orange Tesla pills: a plain orange pill drawn here (no
    third-party photo), uploaded through content.images as an author's image is (checked,
    re-encoded from its pixels, stored under a random name)."""
    image = Image.new("RGB", (320, 200), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (50, 50, 270, 150), radius=50, fill=(240, 128, 24), outline=(176, 86, 0), width=5
    )
    draw.line((160, 60, 160, 140), fill=(176, 86, 0), width=3)  # the score line
    data = io.BytesIO()
    image.save(data, format="PNG")
    upload = SimpleUploadedFile("orange-tesla.png", data.getvalue(), content_type="image/png")
    return store_image(upload).url


def with_photo(demo: DemoPost, photo: str) -> DemoPost:
    """`demo` with `photo` as the photo fact of every version that states facts."""
    versions = [
        (note, dataclasses.replace(content, facts={**content.facts, "photo": photo}))
        if content.facts
        else (note, content)
        for note, content in demo.versions
    ]
    return dataclasses.replace(demo, versions=versions)


def _ensure_discussion(users: dict[str, User]) -> None:
    """The review discussion on the post in review, written through content.discussion (so its
    notifications and audit rows exist as a team's would), on its latest revision; once: a post
    with comments already is left as it is."""
    language, slug = DISCUSSED
    post = Post.objects.filter(language__code=language, slug=slug).first()
    if post is None or post.comments.exists():
        return
    revision = post.expect_latest_revision()
    for thread in DEMO_DISCUSSION:
        first = discussion.add_comment(
            post=post,
            revision=revision,
            actor=users[thread.author],
            body=thread.body,
            quote=thread.quote,
        )
        for name, body in thread.replies:
            discussion.add_comment(
                post=post, revision=revision, actor=users[name], body=body, parent=first
            )
        if thread.resolved_by:
            discussion.resolve(comment=first, actor=users[thread.resolved_by])


def _ensure_profiles(
    profiles: dict[str, dict[str, object]], key: SigningKey | None = None
) -> list[ExportProfile]:
    """The profiles, created if missing; a signing one is pointed at `key` if it is not."""
    ensured = []
    for slug, fields in profiles.items():
        defaults = {**fields, "signing_key": key} if key else fields
        profile, created = ExportProfile.objects.get_or_create(slug=slug, defaults=defaults)
        if key and not created and (profile.signing_key_id != key.pk or not profile.sign):
            profile.sign, profile.signing_key = True, key
            created = True
        if created:
            profile.full_clean()
            profile.save()
            PublicVersion.bump()  # post pages offer a copy per signing profile
        _ensure_frames(profile)
        ensured.append(profile)
    return ensured


def _ensure_frames(profile: ExportProfile) -> None:
    """The default header and footer in Dutch and French, where the profile has none yet."""
    for code in DEMO_FRAME_LANGUAGES:
        default = DEFAULT_FRAMES[code]
        frame = ExportProfileFrame(
            profile=profile,
            language=Language.objects.get(code=code),
            header_template=default.header,
            footer_template=default.footer_tor if profile.tor else default.footer,
        )
        if not ExportProfileFrame.objects.filter(profile=profile, language=frame.language).exists():
            frame.full_clean()
            frame.save()


# --- Signing, in development only -------------------------------------------------------------

ERROR_NOT_DEVELOPMENT = (
    "The demo signing key is for development only (DEBUG=1): a key made by a demo script must "
    "never sign what readers of a real installation check."
)


@dataclass
class SigningSeed:
    key: SigningKey
    key_created: bool
    profiles: list[ExportProfile]
    statements_signed: bool


def seed_signing() -> SigningSeed:
    """A demo signing key in GNUPG_HOME, the demo's signing profiles signing with it, and the
    canary and mirror list signed (by trust.sign_statements, as the scheduled command does).
    Idempotent: the key is made once, the statements signed again only when the newest canary
    is missing, expired or signed by another key. Refused unless DEBUG is on."""
    if not settings.DEBUG:
        raise ImproperlyConfigured(ERROR_NOT_DEVELOPMENT)
    editor = get_user_model().objects.filter(groups__name=roles.EDITORS).order_by("pk").first()
    if editor is None:
        raise ImproperlyConfigured("Run seed() first: the demo editor adds the demo key.")
    key, created = _demo_key(editor)
    with transaction.atomic():
        profiles = _ensure_profiles(DEMO_SIGNED_PROFILES, key)
    canary = trust.newest_statement(SignedStatement.Kind.CANARY)
    fresh = (
        canary is not None
        and canary.fingerprint == key.fingerprint
        and canary.valid_until is not None
        and canary.valid_until > timezone.now()
    )
    if not fresh:
        trust.sign_statements()
    return SigningSeed(key, created, profiles, statements_signed=not fresh)


def _demo_key(editor: User) -> tuple[SigningKey, bool]:
    """The demo key on record that can sign now, or a new one (the key store may have been
    emptied, or GNUPG_HOME changed, since the last run)."""
    candidates = SigningKey.objects.filter(label=DEMO_KEY_LABEL, active=True).order_by("-pk")
    usable = [key for key in candidates if key.can_sign and not key.is_expired]
    present = signing_keys.in_key_store(usable) if usable else set()
    for key in usable:
        if key.fingerprint in present:
            return key, False
    key = signing_keys.generate_signing_key(
        name=DEMO_KEY_LABEL, email=DEMO_KEY_EMAIL, label=DEMO_KEY_LABEL, expire="1y", actor=editor
    )
    return key, True
