"""The content domain: posts, their immutable revisions and tags (the audit trail: `audit`).

A Post is the lasting identity of a piece of content; everything a reviewer judges lives in a
Revision, which is written once by `content.revisions.save_revision()` and never changed. The post
holds pointers (`latest_revision`, `published_revision`); statuses are derived from them.
"""

from __future__ import annotations

import datetime
import uuid
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from content import alerts
from content.actors import Actor, signed_in
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from content.models.workflow import Review, ReviewPolicy

ERROR_REVISION_IMMUTABLE = "A revision is never changed once written; save a new revision instead."


class Language(models.Model):
    """A language posts are written in. nl, fr and en come from a migration; editors add more."""

    code = models.CharField(max_length=12, unique=True, help_text=gettext_lazy(
        "BCP 47 code, e.g. nl or fr-BE."
    ))
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Tag(models.Model):
    """A substance or topic a revision is tagged with."""

    class Kind(models.TextChoices):
        SUBSTANCE = "substance", gettext_lazy("Substance")
        TOPIC = "topic", gettext_lazy("Topic")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="unique_tag_per_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:80] or uuid.uuid4().hex[:12]
        super().save(*args, **kwargs)


class PostKind(models.TextChoices):
    ARTICLE = "article", gettext_lazy("Article")
    DRUG_ALERT = "drug_alert", gettext_lazy("Drug alert")
    FAQ_ANSWER = "faq_answer", gettext_lazy("FAQ answer")
    FACT_SHEET = "fact_sheet", gettext_lazy("Substance fact sheet")


class PostState(models.TextChoices):
    """The workflow state of a post's latest revision. Only content.workflow changes it."""

    DRAFT = "draft", pgettext_lazy("post state", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("post state", "In review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("post state", "Changes requested")
    PUBLISHED = "published", pgettext_lazy("post state", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("post state", "Withdrawn")
    ARCHIVED = "archived", pgettext_lazy("post state", "Archived")

    # Taken off the public site (withdrawn or archived): the one home of that pair. Assigned
    # below the class, because inside its body the members do not exist yet.
    OFFLINE: ClassVar[frozenset[PostState]]


PostState.OFFLINE = frozenset({PostState.WITHDRAWN, PostState.ARCHIVED})

# Why a post's published text is not in force, from Post.not_in_force_because().
NOT_PUBLISHED = "unpublished"
REVIEW_OVERDUE = "overdue"
ALERT_EXPIRED = "expired"


# --- A drug alert's expiry: the "expires_on" fact (an ISO date, content.alerts) of its published
# revision. After that day the alert is history: off the active list and the alerts feed, not
# exported as final, its reposts answered with an expiry notice.


def alert_expiry(post: str = "") -> Coalesce:
    """The published revision's "expires_on" fact as text ("" when not stated), as SQL: an ISO
    date compares as text. `post` is the path to the post ("post__" from a repost)."""
    fact = KeyTextTransform("expires_on", f"{post}published_revision__facts")
    return Coalesce(fact, Value(""), output_field=CharField())


def expired_alert(today: datetime.date | None = None, *, post: str = "") -> Q:
    """A drug alert whose published revision expired before `today` (the site's local date):
    the query twin of `Post.expired_on`. Never NULL, so it may be excluded safely."""
    expiry = alert_expiry(post)
    day = (today or timezone.localdate()).isoformat()
    alert = Q(**{f"{post}kind": PostKind.DRUG_ALERT})
    return alert & GreaterThan(expiry, Value("")) & LessThan(expiry, Value(day))


# Models of `content.models.workflow`, looked up in the app registry (as a string foreign key
# is) rather than imported: workflow imports this module, never the other way round.
def alert_rank() -> Case:
    """0 for a drug alert, 1 for any other post: review queues list alerts first, then the
    longest waiting. The index post_review_queue_order holds this expression, so a queue's
    first rows are read from it instead of sorting every post in review."""
    return Case(When(kind=PostKind.DRUG_ALERT, then=0), default=1)


def _review_model() -> type[Review]:
    return apps.get_model("content", "Review")


def _review_policy_model() -> type[ReviewPolicy]:
    return apps.get_model("content", "ReviewPolicy")


class PostQuerySet(models.QuerySet["Post"]):
    def with_revisions(self) -> PostQuerySet:
        """A post with both revisions, its author and its derived status, in one query (for
        pages about one post; a list uses `for_list()`)."""
        return self.with_approvals().select_related(
            "language",
            "created_by",
            "latest_revision",
            "latest_revision__author",
            "published_revision",
        )

    def for_list(self) -> PostQuerySet:
        """What a list of posts shows, and no more: title, number, date and author of the
        latest revision, language, derived status. The revisions' text is deferred: no list
        shows it, and at 10,000 posts fetching it doubled the time of a dashboard's SQL. The
        status needs only the published revision's id, which is on the post's own row."""
        return (
            self.with_approvals()
            .select_related("language", "latest_revision", "latest_revision__author")
            .defer(*revision_text("latest_revision"))
        )

    def with_approvals(self) -> PostQuerySet:
        """The latest revision's approvals and the number its kind requires, which
        `Post.status_label` shows, as subqueries of the same query."""
        Review, ReviewPolicy = _review_model(), _review_policy_model()
        approvals = Review.objects.approvals_of(OuterRef("latest_revision"))
        required = ReviewPolicy.objects.filter(kind=OuterRef("kind"))
        return self.annotate(
            approval_count=Coalesce(
                Subquery(
                    approvals.values("revision")
                    .annotate(n=Count("reviewer", distinct=True))
                    .values("n")[:1]
                ),
                0,
            ),
            required_approvals=Coalesce(Subquery(required.values("required_approvals")[:1]), 1),
        )

    def with_open_comments(self) -> PostQuerySet:
        """`open_comments`: the post's review discussion threads nobody has resolved yet, as
        a subquery of the same query (a list shows it on every row for no query more)."""
        Comment = apps.get_model("content", "Comment")
        threads = Comment.objects.filter(
            post=OuterRef("pk"), parent__isnull=True, resolution__isnull=True
        )
        counted = threads.order_by().values("post").annotate(n=Count("pk")).values("n")[:1]
        return self.annotate(open_comments=Coalesce(Subquery(counted), 0))

    def editable_by(self, user: Actor) -> PostQuerySet:
        if user.has_perm("content.edit_any_post"):
            return self.all()
        if user.has_perm("content.change_post"):
            return self.filter(created_by=signed_in(user))
        return self.none()

    def visible_to(self, user: Actor) -> PostQuerySet:
        """Posts a signed-in team member may read in the studio (reviewers read all)."""
        if user.has_perm("content.view_post") or user.has_perm("content.edit_any_post"):
            return self.all()
        return self.editable_by(user)

    def published(self) -> PostQuerySet:
        """Posts the public sees: a published revision, not withdrawn or archived (the query
        twin of `Post.public_status` being 200)."""
        return self.filter(published_revision__isnull=False).exclude(state__in=PostState.OFFLINE)

    def offline(self) -> PostQuerySet:
        """Withdrawn or archived posts (the query twin of `Post.offline`)."""
        return self.filter(state__in=PostState.OFFLINE)

    def awaiting_review_by(self, user: User) -> PostQuerySet:
        """In review, not yet judged by `user`, and with no revision by `user` since the last
        publication (they could not approve it). Drug alerts first, then oldest first."""
        Review = _review_model()
        judged = Review.objects.filter(revision=OuterRef("latest_revision"), reviewer=user)
        wrote = Revision.objects.filter(
            post=OuterRef("pk"),
            author=user,
            number__gt=Coalesce(OuterRef("published_revision__number"), 0),
        )
        return (
            self.filter(state=PostState.IN_REVIEW)
            .exclude(Exists(judged))
            .exclude(Exists(wrote))
            .order_by(alert_rank(), "submitted_at", "pk")
        )

    @staticmethod
    def _review_due_before(today: datetime.date | None) -> Q:
        return Q(review_due__lt=today or timezone.localdate())

    def overdue(self, today: datetime.date | None = None) -> PostQuerySet:
        """Published posts whose review date has passed (the query twin of `Post.is_overdue`)."""
        return self.published().filter(self._review_due_before(today))

    def in_force(self, today: datetime.date | None = None) -> PostQuerySet:
        """Posts whose published text may be exported as final and reposted: published, not
        offline, review not overdue, not an expired drug alert (the query twin of
        `Post.in_force`)."""
        # exclude() keeps posts without a review date, as overdue() leaves them out.
        return (
            self.published().exclude(self._review_due_before(today)).exclude(expired_alert(today))
        )

    def expired_alerts(self, today: datetime.date | None = None) -> PostQuerySet:
        """Published drug alerts whose expiry date has passed: still readable, as history."""
        return self.published().filter(expired_alert(today))

    def with_alert_expiry(self) -> PostQuerySet:
        """The published revision's expiry as `alert_expires` (for lists, which defer the
        revision's facts): `Post.expired_on` reads it instead of loading the facts."""
        return self.annotate(alert_expires=alert_expiry())


class Post(models.Model):
    slug = models.SlugField(max_length=120, allow_unicode=False)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(max_length=20, choices=PostKind.choices, default=PostKind.ARTICLE)
    translation_group = models.UUIDField(
        default=uuid.uuid4,
        db_index=True,
        help_text=gettext_lazy("Posts sharing this value are translations of each other."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    latest_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Workflow: written only by content.workflow.
    state = models.CharField(
        max_length=20, choices=PostState.choices, default=PostState.DRAFT, db_index=True
    )
    state_note = models.CharField(
        max_length=1000, blank=True, help_text=gettext_lazy(
            "Why the post is in its state (a reviewer's reason)."
        )
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True, db_index=True)
    last_reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text=gettext_lazy(
            "Start of the current review cycle of the published text."
        )
    )
    published_base_number = models.PositiveIntegerField(
        default=0, help_text=gettext_lazy(
            "Number of the revision published before the current one (0: none)."
        )
    )
    # Set by workflow.withdraw(). The public reason is shown on the 410 page and in withdrawal
    # notices; the internal reason stays in state_note and the audit log.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    public_reason = models.CharField(
        max_length=500, blank=True, help_text=gettext_lazy(
            "Why it was withdrawn, in words for readers."
        )
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="unique_slug_per_language"),
        ]
        indexes = [
            models.Index(
                alert_rank(),
                "submitted_at",
                "id",
                condition=Q(state=PostState.IN_REVIEW),
                name="post_review_queue_order",
            ),
        ]
        permissions = [
            ("edit_any_post", "Can edit posts written by anyone"),
            ("review_post", "Can review posts (approve or request changes)"),
            ("publish_post", "Can publish approved posts"),
            ("withdraw_post", "Can withdraw, archive and restore published posts"),
        ]

    def __str__(self) -> str:
        title = self.latest_revision.title if self.latest_revision else self.slug
        return f"{title} [{self.language_id and self.language.code}]"

    def get_absolute_url(self) -> str:
        return reverse("content:post_detail", args=[self.pk])

    # The revision pointers, for code that knows the post has that revision (they are nullable:
    # a post row is written before its first revision, and is published later if ever).
    def expect_latest_revision(self) -> Revision:
        if self.latest_revision is None:
            raise Revision.DoesNotExist(f"Post {self.pk} has no revision yet.")
        return self.latest_revision

    def expect_published_revision(self) -> Revision:
        if self.published_revision is None:
            raise Revision.DoesNotExist(f"Post {self.pk} has no published revision.")
        return self.published_revision

    def get_public_url(self) -> str:
        """The address on the public site (shown there only while published)."""
        return reverse("public:post", args=[self.language.code, self.slug])

    @property
    def title(self) -> str:
        return self.latest_revision.title if self.latest_revision else self.slug

    @property
    def offline(self) -> bool:
        """Withdrawn or archived: off the public site, and its reposts must be answered."""
        return self.state in PostState.OFFLINE

    @property
    def public_status(self) -> int:
        """What the public page answers: 200 while published; 410 Gone once withdrawn or
        archived, so a reader following an old forum link learns the text is no longer valid;
        404 for a post never published."""
        if self.offline:
            return HTTPStatus.GONE
        if self.published_revision_id is None:
            return HTTPStatus.NOT_FOUND
        return HTTPStatus.OK

    def is_overdue_on(self, today: datetime.date | None = None) -> bool:
        """The published text's review date has passed (a newer draft does not change that)."""
        return (
            self.public_status == HTTPStatus.OK
            and self.review_due is not None
            and self.review_due < (today or timezone.localdate())
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on()

    @property
    def alert_expires_on(self) -> datetime.date | None:
        """The expiry date of a drug alert's published text (None: not an alert, or none
        stated). Read from `alert_expires` when the queryset annotated it (with_alert_expiry)."""
        if self.kind != PostKind.DRUG_ALERT or self.published_revision_id is None:
            return None
        if hasattr(self, "alert_expires"):
            return alerts.parse_date(self.alert_expires)
        return alerts.expires_on(self.expect_published_revision())

    def expired_on(self, today: datetime.date | None = None) -> datetime.date | None:
        """The date a drug alert's published text expired, once it has (the query twin is
        `expired_alert`): the day after it, the alert is history, no longer a warning."""
        expires = self.alert_expires_on
        if expires is not None and expires < (today or timezone.localdate()):
            return expires
        return None

    @property
    def is_expired(self) -> bool:
        return self.public_status == HTTPStatus.OK and self.expired_on() is not None

    def not_in_force_because(self, today: datetime.date | None = None) -> str:
        """Why the published text may not be exported as final or reposted: a PostState
        (withdrawn, archived), NOT_PUBLISHED, ALERT_EXPIRED or REVIEW_OVERDUE; "" when it is
        in force."""
        if self.offline:
            return self.state
        if self.published_revision_id is None:
            return NOT_PUBLISHED
        if self.expired_on(today) is not None:
            return ALERT_EXPIRED
        if self.is_overdue_on(today):
            return REVIEW_OVERDUE
        return ""

    @property
    def in_force(self) -> bool:
        """Published, not offline, review not overdue: it may be exported as final."""
        return not self.not_in_force_because()

    @property
    def status_label(self) -> str:
        """What a person sees as the post's status, derived from the pointers and the state.

        Approval counts come from PostQuerySet.with_approvals() annotations when present.
        """
        state, note = self.state, self.state_note
        if state == PostState.ARCHIVED:
            return pgettext("post status", "archived")
        if state == PostState.WITHDRAWN:
            if note:
                return _("withdrawn: %(reason)s") % {"reason": note}
            return pgettext("post status", "withdrawn")
        if state == PostState.PUBLISHED:
            if self.is_overdue:
                return _("published, review overdue")
            return pgettext("post status", "published")
        prefix = ""
        if self.published_revision_id:
            prefix = (
                _("published (review overdue), newer draft")
                if self.is_overdue
                else _("published, newer draft")
            )
        if state == PostState.IN_REVIEW:
            approvals = getattr(self, "approval_count", None)
            required = getattr(self, "required_approvals", None)
            in_review = (
                _("in review: %(count)s of %(required)s approvals")
                % {"count": approvals, "required": required}
                if approvals is not None
                else pgettext("post status", "in review")
            )
            return f"{prefix} {in_review}" if prefix else in_review
        if state == PostState.CHANGES_REQUESTED:
            requested = (
                _("changes requested: %(reason)s") % {"reason": note}
                if note
                else pgettext("post status", "changes requested")
            )
            return f"{prefix}, {requested}" if prefix else requested
        return prefix or pgettext("post status", "draft")

    def can_be_edited_by(self, user: Actor) -> bool:
        return user.has_perm("content.edit_any_post") or (
            user.has_perm("content.change_post") and self.created_by_id == user.pk
        )


class RevisionQuerySet(WrittenOnceQuerySet["Revision"]):
    def for_list(self) -> RevisionQuerySet:
        """Revisions as a history lists them: number, author, date, change note; not the text."""
        return self.select_related("author").defer(*Revision.TEXT_FIELDS)


class Revision(WrittenOnce):
    """An immutable, numbered snapshot of everything a reviewer judges."""

    written_once_message = ERROR_REVISION_IMMUTABLE


    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000, blank=True)
    body = models.TextField()
    # [{"title": str, "url": str, "consulted": "YYYY-MM-DD" | ""}], in the author's order.
    sources = models.JSONField(default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="revisions")
    change_note = models.CharField(max_length=300, blank=True)
    # Public, unlike change_note: a replacement repost opens with it, so reviewers judge it.
    public_change_note = models.CharField(max_length=500, blank=True)
    # {name: text}: the structured facts of the post's kind (content.revision_schema.KIND_FACTS).
    facts = models.JSONField(default=dict, blank=True)
    # The source post's revision this revision translates, and whether this revision's change
    # matters for safety (content.translations): reviewers judge both (content.revision_schema).
    translates = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="translated_by"
    )
    safety_relevant = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions_written"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    rendered_html = models.TextField(
        help_text=gettext_lazy(
            "Sanitized HTML of the body, rendered once when the revision is written."
        )
    )

    objects = RevisionQuerySet.as_manager()

    # The text, which no list of revisions, posts, reposts or events shows: lists defer these
    # columns (see `revision_text()`); a body may be 100,000 characters, its HTML more.
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = (
        "summary",
        "body",
        "rendered_html",
        "sources",
        "facts",
        "public_change_note",
    )

    class Meta:
        ordering = ["post", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="unique_revision_number"),
        ]
        # "Has this person written a revision of the post since it was published?" (the four
        # eyes of PostQuerySet.awaiting_review_by), answered from the index alone.
        indexes = [
            models.Index(fields=["post", "author", "number"], name="revision_post_author_number")
        ]
        get_latest_by = "number"

    def __str__(self) -> str:
        return f"{self.post.slug} r{self.number}"


    def get_absolute_url(self) -> str:
        return reverse("content:revision_detail", args=[self.post_id, self.number])

    def tag_names(self, kind: str) -> list[str]:
        """Names of this revision's tags of one kind, sorted. Uses prefetched tags if present."""
        return sorted(tag.name for tag in self.tags.all() if tag.kind == kind)

    @property
    def substances(self) -> list[str]:
        return self.tag_names(Tag.Kind.SUBSTANCE)

    @property
    def topics(self) -> list[str]:
        return self.tag_names(Tag.Kind.TOPIC)


def revision_text(*relations: str) -> list[str]:
    """The text columns of the revisions a query reaches through `relations` (e.g.
    "latest_revision", "revision"), for `defer()` in a list's query."""
    return [f"{relation}__{name}" for relation in relations for name in Revision.TEXT_FIELDS]
