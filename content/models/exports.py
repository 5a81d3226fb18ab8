"""Forum exports: export profiles, the signing keys they use, and the repost register.

A profile is one forum target, read into `content.exporters.ExportSettings` by
`content.exports.settings_for()`. A SigningKey row only describes a key: the secret key itself
lives in the gpg key store (settings.GNUPG_HOME) and nowhere else. A Repost records that one
revision of a post was pasted into a forum with one profile; it is outdated once that revision is
no longer the published one (a newer one was published, or the post was withdrawn or archived).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content.exporters import TemplateError, validate_template
from content.exporters.registry import dialect_choices, dialect_keys, format_choices
from content.models.interactions import DEFAULT_MIN_LEVEL, InteractionLevel
from content.models.posts import Language, Post, PostState, Revision, expired_alert
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

ERROR_DIALECT = gettext_lazy(
    "Format “{format}” has no dialect “{dialect}”; choose one of: {choices}."
)
ERROR_NO_DIALECT = gettext_lazy("Format “{format}” has no dialects; leave the dialect empty.")
ERROR_SIGN_WITHOUT_KEY = gettext_lazy(
    "Choose the signing key this profile signs with, or switch signing off."
)
ERROR_TOR_LINKS = gettext_lazy(
    "A Tor profile must use the link policy “onion and internal only”: other policies leave "
    "clear-net addresses a forum would turn into links."
)
ERROR_TOR_URL = gettext_lazy(
    "A Tor profile's {field} may not show {{url}} (the clear-net address); use {{onion_url}}."
)


# Formats and dialects are not listed here: the exporter classes declare them and
# content.exporters.registry collects them. The fields' choices are the registry's callables, so
# a new format or dialect needs no migration.


class LinkPolicy(models.TextChoices):
    KEEP = "keep", gettext_lazy("Keep all links")
    ONION_INTERNAL = "onion_internal", gettext_lazy(
        "Onion and internal only (clear-net links as text)"
    )
    PLAIN_TEXT = "plain_text", gettext_lazy("Clear-net links as plain text")
    REFERENCES = "references", gettext_lazy("Numbered references")


class ImagePolicy(models.TextChoices):
    DROP = "drop", gettext_lazy("Drop images")
    LINK = "link", gettext_lazy("Images as links (never embedded)")


class SigningKey(models.Model):
    """What the team knows about one key in the gpg key store. Never holds secret material.

    Passphrases are not stored here: keys generated in the studio have none (the key store
    directory is the secret, readable only by the server's user); an imported key protected by a
    passphrase is unlocked with settings.GNUPG_PASSPHRASE, read from the environment.
    """

    class Status(models.TextChoices):
        # Retired and revoked keys never sign again but stay on /pgp.txt, so old signatures
        # still verify (retired) or readers learn not to trust them (revoked).
        CURRENT = "current", gettext_lazy("Current")
        RETIRED = "retired", gettext_lazy("Retired")
        REVOKED = "revoked", gettext_lazy("Revoked")

    fingerprint = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=100, help_text=gettext_lazy(
        "What the team calls this key."
    ))
    uids = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(null=True, blank=True, help_text=gettext_lazy(
        "When gpg made the key."
    ))
    expires = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CURRENT)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(
        max_length=300, blank=True, help_text=gettext_lazy(
            "Why it was retired or revoked; shown to readers."
        )
    )
    active = models.BooleanField(
        default=True, help_text=gettext_lazy(
            "Inactive keys are kept for the record but cannot be chosen."
        )
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label", "fingerprint"]

    def __str__(self) -> str:
        return f"{self.label} ({self.short_fingerprint})"

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[-16:]

    @property
    def grouped_fingerprint(self) -> str:
        return " ".join(self.fingerprint[i : i + 4] for i in range(0, len(self.fingerprint), 4))

    @property
    def is_expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()

    @property
    def can_sign(self) -> bool:
        """Switched on and neither retired nor revoked (expiry is checked where it signs)."""
        return self.active and self.status == self.Status.CURRENT


class ExportProfile(models.Model):
    """One forum target: format, dialect, length limit, link/image policy, frame, signing."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    format = models.CharField(max_length=20, choices=format_choices)
    dialect = models.CharField(max_length=20, choices=dialect_choices, blank=True)
    max_length = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(500), MaxValueValidator(1_000_000)],
        help_text=gettext_lazy(
            "Characters per forum post, header and footer included; empty: no limit."
        ),
    )
    link_policy = models.CharField(
        max_length=20, choices=LinkPolicy.choices, default=LinkPolicy.KEEP
    )
    image_policy = models.CharField(
        max_length=10, choices=ImagePolicy.choices, default=ImagePolicy.LINK
    )
    tor = models.BooleanField(
        default=False, help_text=gettext_lazy(
            "A Tor forum: our links go to the onion site, no clear-net links."
        )
    )
    header_template = models.TextField(blank=True)
    footer_template = models.TextField(blank=True)
    sign = models.BooleanField(default=False, help_text=gettext_lazy("PGP clear-sign every part."))
    signing_key = models.ForeignKey(
        SigningKey, null=True, blank=True, on_delete=models.PROTECT, related_name="profiles"
    )
    # Interaction warnings (content.interactions): the least dangerous level an export shows.
    interaction_min_level = models.CharField(
        max_length=20,
        choices=InteractionLevel.choices,
        default=DEFAULT_MIN_LEVEL,
        help_text=gettext_lazy(
            "Exports warn about combinations of the substances a post names from this level up."
        ),
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("export_final", "Can export published posts as final (and record reposts)"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        dialects = dialect_keys(self.format)  # () for a format without dialects
        if not dialects and self.dialect:
            errors.setdefault("dialect", []).append(ERROR_NO_DIALECT.format(format=self.format))
        elif dialects and self.dialect not in dialects:
            errors.setdefault("dialect", []).append(
                ERROR_DIALECT.format(
                    format=self.format, dialect=self.dialect, choices=", ".join(dialects)
                )
            )
        template_errors(self, tor=self.tor, into=errors)
        if self.tor and self.link_policy != LinkPolicy.ONION_INTERNAL:
            errors.setdefault("link_policy", []).append(str(ERROR_TOR_LINKS))
        if self.sign and self.signing_key_id is None:
            errors.setdefault("signing_key", []).append(str(ERROR_SIGN_WITHOUT_KEY))
        if errors:
            raise ValidationError(errors)

    def frame_for(self, language_code: str) -> tuple[str, str]:
        """(header, footer) for a post in `language_code`: the frame written for that language,
        else the profile's own. One query."""
        frame = self.frames.filter(language__code=language_code).first()
        if frame is None:
            return self.header_template, self.footer_template
        return frame.header_template, frame.footer_template


def template_errors(
    obj: ExportProfile | ExportProfileFrame, *, tor: bool, into: dict[str, list[str]]
) -> None:
    """The header and footer of a profile or of one of its frames, checked the same way:
    placeholders from the list only, and no clear-net {url} on a Tor profile."""
    for field in ("header_template", "footer_template"):
        template = getattr(obj, field)
        try:
            validate_template(template)
        except TemplateError as error:
            into.setdefault(field, []).append(str(error))
            continue
        if tor and "{url}" in template:
            label = field.replace("_template", "")
            into.setdefault(field, []).append(ERROR_TOR_URL.format(field=label))


class ExportProfileFrame(models.Model):
    """A profile's header and footer for posts in one language. An export of a post in that
    language uses both (an empty one shows nothing); other languages use the profile's own."""

    profile = models.ForeignKey(ExportProfile, on_delete=models.CASCADE, related_name="frames")
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("language"),
        help_text=gettext_lazy("Posts in this language are exported with this header and footer."),
    )
    header_template = models.TextField(blank=True, verbose_name=gettext_lazy("header template"))
    footer_template = models.TextField(blank=True, verbose_name=gettext_lazy("footer template"))

    class Meta:
        ordering = ["profile", "language__code"]
        verbose_name = gettext_lazy("header and footer in a language")
        verbose_name_plural = gettext_lazy("headers and footers per language")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "language"], name="one_export_frame_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} ({self.language.code})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        # The profile as its form has it, saved or not (the admin's add page checks both at once).
        try:
            tor = self.profile.tor
        except ExportProfile.DoesNotExist:
            tor = False
        template_errors(self, tor=tor, into=errors)
        if errors:
            raise ValidationError(errors)


class RepostQuerySet(models.QuerySet["Repost"]):
    def open(self) -> RepostQuerySet:
        """Reposts nobody has replaced or answered with a withdrawal notice yet."""
        return self.filter(superseded_by__isnull=True, notice_posted_on__isnull=True)

    def outdated(self) -> RepostQuerySet:
        """Open reposts whose revision is no longer the published text of their post, or whose
        drug alert has expired (answered with an expiry notice, as a withdrawal is)."""
        return self.open().filter(
            Q(post__published_revision__isnull=True)
            | Q(post__state__in=PostState.OFFLINE)
            | ~Q(revision=F("post__published_revision"))
            | expired_alert(post="post__")
        )


class Repost(models.Model):
    """Revision N of a post was pasted with profile P at a place, on a date."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reposts")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="reposts")
    profile = models.ForeignKey(ExportProfile, on_delete=models.PROTECT, related_name="reposts")
    where = models.CharField(
        max_length=500, help_text=gettext_lazy(
            "The thread's URL, or the forum's name if it has no URL."
        )
    )
    posted_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reposts_recorded"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Closing an outdated repost: either the replacement was posted (a newer Repost), or, for a
    # withdrawn post, the withdrawal notice was posted on a date.
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    notice_posted_on = models.DateField(null=True, blank=True)

    objects = RepostQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_on", "-pk"]
        indexes = [
            models.Index(fields=["post", "revision"]),
            # The outdated reposts, newest first (home, dashboard): the first rows are read in
            # order instead of joining and sorting every open repost.
            models.Index(
                F("posted_on").desc(),
                F("id").desc(),
                condition=Q(superseded_by__isnull=True, notice_posted_on__isnull=True),
                name="repost_open_newest_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post.slug} r{self.revision.number} at {self.where}"

    @property
    def where_is_url(self) -> bool:
        return self.where.startswith(("http://", "https://"))


ERROR_STATEMENT_APPEND_ONLY = "Signed statements are append-only; sign a new one instead."


class SignedStatementQuerySet(WrittenOnceQuerySet["SignedStatement"]):
    pass


class SignedStatement(WrittenOnce):
    """One signed text for readers (/canary.txt, /mirrors.txt); append-only, newest served."""

    written_once_message = ERROR_STATEMENT_APPEND_ONLY
    deletable = False


    class Kind(models.TextChoices):
        CANARY = "canary", gettext_lazy("Warrant canary")
        MIRRORS = "mirrors", gettext_lazy("Mirror list")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(help_text=gettext_lazy("The clear-signed text, exactly as served."))
    fingerprint = models.CharField(max_length=40)
    valid_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SignedStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.created_at:%Y-%m-%d}"


    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until <= timezone.now()
