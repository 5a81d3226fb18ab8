"""The studio's home: what each role works on, first. Queries only; content.views.author renders.

An author sees their posts by where they stand (drafts, changes requested, in review, published,
overdue); a reviewer what waits for their review, then their recent decisions; an editor the
team's queue (drug alerts first), overdue posts, outdated reposts and signing keys that expire
within KEY_WARNING_DAYS; drug alerts that expired (with the reposts still waiting for their
expiry notice) and alerts that expire within ALERT_WARNING_DAYS. Someone with several roles sees
each role's sections.

Every section shows at most `HOME_ROWS` rows and links to the paginated list of all of them, so
the home runs the same queries with 10 rows or 10,000 (tests/views/test_home_queries.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

from content import reposts, roles, translations
from content.models import Post, PostKind, PostState, Repost, Review, Schedule, SigningKey
from content.models.posts import PostQuerySet, alert_expiry, alert_rank, revision_text

KEY_WARNING_DAYS = 30
ALERT_WARNING_DAYS = 7
HOME_ROWS = 10  # per section, or STUDIO_PAGE_SIZE if smaller

S = PostState


# The author's groups of their own posts: name -> (heading, filter). The dashboard's list
# (`?show=mine&state=<name>`) pages through one group. "Overdue" is the model's rule
# (PostQuerySet.overdue()), as a subquery, so one query counts every group.
def _author_groups() -> dict[str, tuple[StrOrPromise, Q]]:
    overdue = Q(pk__in=Post.objects.overdue().values("pk"))
    return {
        "draft": (gettext_lazy("Drafts"), Q(state=S.DRAFT)),
        "changes_requested": (
            pgettext_lazy("home section", "Changes requested"),
            Q(state=S.CHANGES_REQUESTED),
        ),
        "in_review": (pgettext_lazy("home section", "In review"), Q(state=S.IN_REVIEW)),
        "published": (
            pgettext_lazy("home section", "Published"),
            Q(state=S.PUBLISHED) & ~overdue,
        ),
        "overdue": (gettext_lazy("Overdue for re-review"), overdue),
    }


GROUP_HEADINGS = {name: heading for name, (heading, _) in _author_groups().items()}
GROUPS = tuple(GROUP_HEADINGS)
# The editor's list of every alert expiring soon (`?show=all&state=expiring`), behind its section.
EXPIRING = "expiring"
GROUP_HEADINGS[EXPIRING] = gettext_lazy("Alerts expiring soon")


def group_filter(group: str) -> Q | None:
    """The filter of one of GROUPS or EXPIRING (None for an unknown name: the whole list)."""
    if group == EXPIRING:
        return Q(pk__in=expiring_alerts().values("pk"))
    found = _author_groups().get(group)
    return found[1] if found else None


def alerts_first(posts: PostQuerySet) -> PostQuerySet:
    """Drug alerts first, then the longest waiting (as the review queue orders them)."""
    return posts.order_by(alert_rank(), "submitted_at", "pk")


def group_order(posts: PostQuerySet, group: str) -> PostQuerySet:
    if group == "in_review":
        return alerts_first(posts)
    if group == "overdue":
        return posts.order_by("review_due", "pk")
    if group == EXPIRING:
        return posts.annotate(alert_expires=alert_expiry()).order_by("alert_expires", "pk")
    return posts.order_by("-latest_revision__created_at", "-pk")


@dataclass(frozen=True)
class Section:
    """One list of the home: at most HOME_ROWS `rows` of `count`, all of them at `more`."""

    key: str
    heading: str
    rows: list[Any]
    count: int
    more: str
    empty: str


def _rows() -> int:
    return max(1, min(HOME_ROWS, settings.STUDIO_PAGE_SIZE))


def _section(
    key: str,
    heading: StrOrPromise,
    rows: QuerySet[Any],
    count: int,
    more: str,
    empty: StrOrPromise,
) -> Section:
    # The words in the language of the request that shows them.
    listed = list(rows[: _rows()]) if count else []
    return Section(key, str(heading), listed, count, more, str(empty))


def roles_of(user: User) -> set[str]:
    """The roles (content.roles groups) whose sections `user` sees; a superuser sees all."""
    if user.is_superuser:
        return set(roles.ROLE_PERMISSIONS)
    return set(user.groups.values_list("name", flat=True)) & set(roles.ROLE_PERMISSIONS)


def scheduled(posts: QuerySet[Post] | None = None) -> QuerySet[Schedule]:
    """Pending schedules, soonest first (of `posts` if given), with what a row shows."""
    pending = Schedule.objects.pending().select_related(
        "post", "post__language", "revision", "created_by"
    )
    pending = pending.defer(*revision_text("revision"))
    if posts is not None:
        pending = pending.filter(post__in=posts)
    return pending.order_by("run_at", "pk")


def scheduled_for(user: User) -> QuerySet[Schedule]:
    """What `user`'s home lists as scheduled: everything for an editor, else what is scheduled
    on their own posts (the dashboard's `?show=scheduled` pages through it)."""
    if roles.EDITORS in roles_of(user):
        return scheduled()
    return scheduled(Post.objects.filter(created_by=user))


def _scheduled_section(
    pending: QuerySet[Schedule], heading: StrOrPromise, count: int | None = None
) -> list[Section]:
    """Shown only when something is scheduled (one count query otherwise, unless `count` was
    counted with others). Each row links to its post, where it is cancelled; the section to
    the list of all of them, in pages."""
    count = pending.count() if count is None else count
    if not count:
        return []
    more = f"{reverse('content:dashboard')}?show=scheduled"
    nothing = gettext_lazy("Nothing is scheduled.")
    return [_section("scheduled", heading, pending, count, more, nothing)]


def author_sections(user: User) -> list[Section]:
    """The author's own posts by group: one query counts every group, one per group lists;
    then what is scheduled on them."""
    groups = _author_groups()
    mine = Post.objects.filter(created_by=user)
    counts = mine.aggregate(**{name: Count("pk", filter=q) for name, (_, q) in groups.items()})
    listed = mine.for_list().with_open_comments()
    dashboard = reverse("content:dashboard")
    return [
        _section(
            name,
            heading,
            group_order(listed.filter(q), name),
            counts[name],
            f"{dashboard}?show=mine&state={name}",
            gettext_lazy("None."),
        )
        for name, (heading, q) in groups.items()
    ] + _scheduled_section(scheduled(mine), gettext_lazy("Scheduled on your posts"))


def decisions_of(user: User) -> QuerySet[Review]:
    """The reviewer's decisions, newest first, with the post and revision they judged (not its
    text)."""
    return (
        Review.objects.filter(reviewer=user)
        .select_related("post", "post__language", "revision")
        .defer(*revision_text("revision"))
        .order_by("-created_at", "-pk")
    )


def reviewer_sections(user: User) -> list[Section]:
    waiting = Post.objects.for_list().with_open_comments().awaiting_review_by(user)
    decisions = decisions_of(user)
    return [
        _section(
            "waiting",
            gettext_lazy("Waiting for your review"),
            waiting,
            waiting.count(),
            reverse("content:review_queue"),
            gettext_lazy("Nothing is waiting for your review."),
        ),
        _section(
            "decisions",
            gettext_lazy("Your recent decisions"),
            decisions,
            decisions.count(),
            f"{reverse('content:dashboard')}?show=decisions",
            gettext_lazy("You have not decided on any revision yet."),
        ),
    ]


def expiring_keys(now: datetime.datetime | None = None) -> QuerySet[SigningKey]:
    """Keys that still sign (switched on, current) and expire within KEY_WARNING_DAYS or have
    expired: the profiles using them stop exporting signed posts."""
    soon = (now or timezone.now()) + datetime.timedelta(days=KEY_WARNING_DAYS)
    return SigningKey.objects.filter(
        active=True, status=SigningKey.Status.CURRENT, expires__isnull=False, expires__lte=soon
    ).order_by("expires", "pk")


class _Count(Subquery):
    """COUNT(*) of a queryset, as a scalar subquery of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def expired_alerts(today: datetime.date | None = None) -> PostQuerySet:
    """Published drug alerts past their expiry date, the most recently expired first, each with
    `alert_expires` and `notices_due`: its reposts nobody has answered with the expiry notice
    yet (a subquery, so the list costs one query however many alerts and reposts there are)."""
    due = Repost.objects.open().filter(post=OuterRef("pk"))
    return (
        Post.objects.for_list()
        .expired_alerts(today)
        .with_alert_expiry()
        .annotate(notices_due=_Count(due.values("pk")))
        .order_by(alert_expiry().desc(), "pk")
    )


def expiring_alerts(today: datetime.date | None = None) -> PostQuerySet:
    """Drug alerts in force whose expiry date falls within ALERT_WARNING_DAYS (today included),
    the soonest first: a new test result, or a decision to let them lapse, is due."""
    day = today or timezone.localdate()
    last = (day + datetime.timedelta(days=ALERT_WARNING_DAYS)).isoformat()
    return (
        Post.objects.for_list()
        .in_force(day)
        .filter(kind=PostKind.DRUG_ALERT)
        .annotate(alert_expires=alert_expiry())
        .filter(alert_expires__gt="", alert_expires__lte=last)
        .order_by("alert_expires", "pk")
    )


def _alert_sections(
    expired: PostQuerySet, expiring: PostQuerySet, counts: dict[str, int]
) -> list[Section]:
    """Shown only when they have rows: most days no alert expires. The expired alerts link to
    the outdated reposts, where each expiry notice is ready in its forum's format."""
    shown = []
    if counts["expired"]:
        shown.append(
            _section(
                "expired_alerts",
                gettext_lazy("Alerts that expired"),
                expired,
                counts["expired"],
                reverse("content:outdated_reposts"),
                gettext_lazy("No alert has expired."),
            )
        )
    if counts["expiring"]:
        shown.append(
            _section(
                "expiring_alerts",
                gettext_lazy("Alerts expiring within %(days)s days") % {"days": ALERT_WARNING_DAYS},
                expiring,
                counts["expiring"],
                f"{reverse('content:dashboard')}?show=all&state={EXPIRING}",
                gettext_lazy("No alert expires soon."),
            )
        )
    return shown


def count_together(user: User, **querysets: QuerySet[Any]) -> dict[str, int]:
    """The number of rows of each queryset, counted by the database in one query (a scalar
    subquery each, on the row of `user`, who is signed in and so exists)."""
    counts = {name: _Count(rows.order_by().values("pk")) for name, rows in querysets.items()}
    row = User.objects.filter(pk=user.pk).annotate(**counts).values(*querysets).get()
    return {name: int(row[name]) for name in querysets}


def editor_sections(user: User) -> list[Section]:
    """The team's sections: their five counts in one query, then the first rows of each
    section that has any (each list's order is read from an index at 10,000 posts)."""
    queue = alerts_first(Post.objects.for_list().with_open_comments().filter(state=S.IN_REVIEW))
    overdue = Post.objects.for_list().overdue().order_by("review_due", "pk")
    outdated = (
        reposts.outdated_reposts()
        .defer(*revision_text("revision", "post__published_revision"))
        .order_by("-posted_on", "-pk")
    )
    keys = expiring_keys()
    pending = scheduled()
    expired, expiring = expired_alerts(), expiring_alerts()
    counts = count_together(
        user,
        queue=queue,
        overdue=overdue,
        outdated=outdated,
        keys=keys,
        pending=pending,
        expired=expired,
        expiring=expiring,
    )
    dashboard = reverse("content:dashboard")
    return [
        _section(
            "team_queue",
            gettext_lazy("The team's queue: in review"),
            queue,
            counts["queue"],
            f"{dashboard}?show=all&state=in_review",
            gettext_lazy("No post is in review."),
        ),
        _section(
            "team_overdue",
            gettext_lazy("Published posts overdue for re-review"),
            overdue,
            counts["overdue"],
            f"{reverse('content:review_queue')}?show=overdue",
            gettext_lazy("No published post is overdue for review."),
        ),
        _section(
            "outdated_reposts",
            gettext_lazy("Outdated reposts"),
            outdated,
            counts["outdated"],
            reverse("content:outdated_reposts"),
            gettext_lazy("Every repost shows the published text."),
        ),
        *_alert_sections(expired, expiring, counts),
        _section(
            "keys",
            gettext_lazy("Signing keys expired or expiring within %(days)s days")
            % {"days": KEY_WARNING_DAYS},
            keys,
            counts["keys"],
            reverse("content:key_list"),
            gettext_lazy("No signing key expires soon."),
        ),
        *_scheduled_section(
            pending, gettext_lazy("Scheduled publications and withdrawals"), counts["pending"]
        ),
    ]


def home_sections(user: User) -> list[tuple[str, list[Section]]]:
    """(role, its sections) for each role `user` has, in the order the home shows them. Every
    listed translation says whether its source moved on, read for all rows at once."""
    have = roles_of(user)
    shown: list[tuple[str, list[Section]]] = []
    # Reviews first: an author and the team wait for them.
    if roles.REVIEWERS in have:
        shown.append((roles.REVIEWERS, reviewer_sections(user)))
    if roles.AUTHORS in have:
        shown.append((roles.AUTHORS, author_sections(user)))
    if roles.EDITORS in have:
        shown.append((roles.EDITORS, editor_sections(user)))
    listed = [row for _, sections in shown for section in sections for row in section.rows]
    translations.flag_behind(row for row in listed if isinstance(row, Post))
    return shown
