"""Review screens: the reviewer's queue, the review page, workflow actions, timeline, audit log,
notifications. Every change goes through content.workflow."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from content import actions, approval_rules, discussion, opsec, translations, workflow
from content.actors import Person, signed_in
from content.forms.utf8 import ValidUtf8Form
from content.models import (
    AuditEvent,
    Notification,
    Post,
    PostState,
    Review,
    ReviewPolicy,
    Revision,
    Schedule,
)
from content.pagination import paginate
from content.revisions import RevisionContent, compare
from content.views.lookups import visible_post as _visible_post


@login_required
@permission_required("content.review_post", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Posts waiting for this reviewer, or (`?show=overdue`) published posts overdue for
    re-review: two lists that each grow, so each is a tab with pages of its own."""
    waiting = Post.objects.for_list().awaiting_review_by(signed_in(request.user))
    overdue = Post.objects.for_list().overdue().order_by("review_due", "pk")
    show_overdue = request.GET.get("show") == "overdue"
    shown, other = (overdue, waiting) if show_overdue else (waiting, overdue)
    return render(
        request,
        "content/review/queue.html",
        {
            "pages": paginate(request, shown, per_page=settings.STUDIO_PAGE_SIZE),
            "show_overdue": show_overdue,
            # The other tab says how many posts it holds, so none is overlooked.
            "other_count": other.count(),
        },
    )


class ReviewForm(ValidUtf8Form):
    DECISIONS = [
        ("approve", gettext_lazy("Approve")),
        ("request_changes", gettext_lazy("Request changes")),
    ]

    decision = forms.ChoiceField(
        choices=DECISIONS, widget=forms.RadioSelect, label=gettext_lazy("Decision")
    )
    # Which approval the page offered: of the revision in review, or a re-review of the
    # published text. Posted back, so a post published while the reviewer read is not
    # re-approved by a click meant for the review (left out, the post's state decides).
    approval = forms.ChoiceField(
        choices=[("approve", "approve"), ("re_approve", "re_approve")],
        required=False,
        widget=forms.HiddenInput,
    )
    revision_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Required when you request changes: what must change, and why."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "request_changes" and not (data.get("reason") or "").strip():
            self.add_error("reason", workflow.ERROR_REASON)
        return data


def _judged_revision(post: Post) -> tuple[Revision | None, bool]:
    """The revision a reviewer judges now, and whether it is a re-review of the published text."""
    if post.state == PostState.IN_REVIEW:
        return post.latest_revision, False
    if post.published_revision_id and post.state == PostState.PUBLISHED:
        return post.published_revision, True
    return None, False


def _compare_base(post: Post, revision: Revision, user: Person) -> Revision | None:
    """Diff against the revision this reviewer last judged, else the published one."""
    last_seen = (
        Review.objects.filter(
            post=post, reviewer=signed_in(user), revision__number__lt=revision.number
        )
        .select_related("revision")
        .order_by("-revision__number")
        .first()
    )
    if last_seen is not None:
        return last_seen.revision
    if post.published_revision_id and post.published_revision_id != revision.pk:
        return post.published_revision
    return None


ERROR_NOT_REVIEWER = gettext_lazy("Only reviewers and editors review posts.")
ERROR_APPROVAL_CHANGED = gettext_lazy(
    "This post is {status} now, so your approval was not recorded: read the page again."
)
NOTHING_TO_REVIEW = gettext_lazy("This post is {status}: there is nothing to review.")


def refused(request: HttpRequest, post: Post, error: workflow.WorkflowError) -> HttpResponse:
    """A refused action, answered with what was refused and why: 403 for who the person is
    (their role, four eyes), 409 for where the post stands (its state, missing approvals, a
    newer revision)."""
    context = {"post": post, "message": str(error)}
    return render(request, "content/review/refused.html", context, status=_status(error))


def _status(error: workflow.WorkflowError) -> HTTPStatus:
    return HTTPStatus.FORBIDDEN if isinstance(error, PermissionError) else HTTPStatus.CONFLICT


@login_required
def review_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post(request, pk)
    if not request.user.has_perm("content.review_post"):
        return refused(request, post, workflow.NotPermitted(str(ERROR_NOT_REVIEWER)))
    revision, re_review = _judged_revision(post)
    if revision is None:
        nothing = NOTHING_TO_REVIEW.format(status=post.status_label)
        if request.method == "POST":
            return refused(request, post, workflow.TransitionNotAllowed(nothing))
        messages.info(request, nothing)
        return redirect(post)
    initial = {"revision_id": revision.pk, "approval": _approval(re_review)}
    form = ReviewForm(request.POST or None, initial=initial)
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        try:
            messages.success(request, _decide(request, post, form.cleaned_data, re_review))
        except workflow.WorkflowError as error:
            # Refused: say why, on the page as it is now (a newer revision, say).
            messages.error(request, str(error))
            status = _status(error)
            post = _visible_post(request, pk)
            revision, re_review = _judged_revision(post)
            if revision is None:
                return refused(request, post, error)
            form = ReviewForm(
                initial={"revision_id": revision.pk, "approval": _approval(re_review)}
            )
        else:
            return redirect(post)
    return render(
        request,
        "content/review/review.html",
        _review_context(request, post, revision, re_review) | {"form": form},
        status=status,
    )


def _review_context(
    request: HttpRequest, post: Post, revision: Revision, re_review: bool
) -> dict[str, Any]:
    base = _compare_base(post, revision, request.user)
    reviews = revision.reviews.select_related("reviewer").order_by("created_at")
    studio = actions.studio_actions(post, request.user)
    approve = studio["re_approve" if re_review else "approve"]
    # The decisions this reviewer can make now; the page explains a refused approval.
    decisions = [
        value
        for value, action in (("approve", approve), ("request_changes", studio["request_changes"]))
        if action.allowed
    ]
    return {
        "post": post,
        "revision": revision,
        "re_review": re_review,
        "base": base,
        "diffs": compare(RevisionContent.of(base) if base else None, RevisionContent.of(revision)),
        "reviews": reviews,
        "approvals": approval_rules.approvals(revision),
        "required": ReviewPolicy.for_kind(post.kind).required_approvals,
        "blocker": approve.reason,
        "approve_action": approve.name,
        "decisions": decisions,
        "opsec": opsec.run_checks(revision=revision, post=post),
        # A translation is read beside the source revision it translates.
        "translation_source": translations.source_revision_of(revision),
        "discussion": discussion.discussion_for(post, revision, request.user),
    }


def _approval(re_review: bool) -> str:
    return "re_approve" if re_review else "approve"


def _decide(request: HttpRequest, post: Post, data: dict[str, Any], re_review: bool) -> str:
    if data["decision"] == "approve":
        if (data["approval"] or _approval(re_review)) != _approval(re_review):
            # The workflow could re-approve the published text while a newer draft is in
            # review, but the studio offers it only while the post is published.
            raise workflow.TransitionNotAllowed(
                ERROR_APPROVAL_CHANGED.format(status=post.status_label)
            )
        approve = workflow.re_approve if re_review else workflow.approve
        approve(post=post, actor=request.user, revision_id=data["revision_id"], note=data["reason"])
        return _("Your approval is recorded.")
    workflow.request_changes(
        post=post, actor=request.user, revision_id=data["revision_id"], reason=data["reason"]
    )
    return _("Sent back to the author with your reason.")


ERROR_PUBLIC_REASON_LONG = format_lazy(
    gettext_lazy(
        "The reason for readers is at most {max} characters; shorten it. Nothing was changed."
    ),
    max=workflow.MAX_PUBLIC_REASON,
)


class ReasonForm(ValidUtf8Form):
    reason = forms.CharField(required=False, max_length=1000)
    public_reason = forms.CharField(
        required=False,
        max_length=workflow.MAX_PUBLIC_REASON,
        error_messages={"max_length": ERROR_PUBLIC_REASON_LONG},
    )
    revision_id = forms.IntegerField(required=False)


def _submit(post: Post, user: Person, data: dict[str, Any]) -> str:
    workflow.submit_for_review(post=post, actor=user)
    return _("Submitted for review; the reviewers have been told.")


def _publish(post: Post, user: Person, data: dict[str, Any]) -> str:
    workflow.publish(post=post, actor=user, revision_id=data["revision_id"])
    return _("Published.")


def _withdraw(post: Post, user: Person, data: dict[str, Any]) -> str:
    workflow.withdraw(
        post=post, actor=user, reason=data["reason"], public_reason=data["public_reason"]
    )
    return _("Withdrawn: it is no longer on the public site.")


def _archive(post: Post, user: Person, data: dict[str, Any]) -> str:
    workflow.archive(post=post, actor=user, note=data["reason"])
    return _("Archived.")


def _unarchive(post: Post, user: Person, data: dict[str, Any]) -> str:
    workflow.unarchive(post=post, actor=user)
    return _("Restored from the archive as a draft.")


# What each button of the studio does, by transition; the URL slugs come from the workflow's
# table, so a slug it does not declare is a 404.
PERFORM: dict[str, Callable[[Post, Person, dict[str, Any]], str]] = {
    "submit_for_review": _submit,
    "publish": _publish,
    "withdraw": _withdraw,
    "archive": _archive,
    "unarchive": _unarchive,
}
ACTIONS: dict[str, Callable[[Post, Person, dict[str, Any]], str]] = {
    slug: PERFORM[action] for slug, action in workflow.post_action_slugs().items()
}


@login_required
@require_POST
def post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    post = _visible_post(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        # A too long reason for readers is the one mistake a person makes here: say which.
        problems = form.errors.get("public_reason") or [
            _("The request was incomplete; nothing was changed.")
        ]
        messages.error(request, str(problems[0]))  # ErrorList yields the messages as text
        return redirect(post)
    try:
        messages.success(request, ACTIONS[action](post, request.user, form.cleaned_data))
    except (workflow.NotPermitted, workflow.TransitionNotAllowed) as error:
        return refused(request, post, error)
    except workflow.WorkflowError as error:  # something the form lacked: a reason, say
        messages.error(request, str(error))
    return redirect(post)


@login_required
def post_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    # The page names the post and lists events: no revision's text is fetched.
    post = get_object_or_404(Post.objects.visible_to(request.user).for_list(), pk=pk)
    events = AuditEvent.objects.for_list().filter(post=post).order_by("-created_at", "-pk")
    pages = paginate(request, events, per_page=settings.STUDIO_PAGE_SIZE)
    return render(request, "content/review/timeline.html", {"post": post, "pages": pages})


class AuditFilterForm(forms.Form):
    post = forms.CharField(required=False, label=gettext_lazy("Post (slug)"))
    person = forms.CharField(required=False, label=gettext_lazy("Person (user name)"))
    action = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Action"),
        choices=[("", gettext_lazy("any action")), *AuditEvent.Action.choices],
    )
    since = forms.DateField(
        required=False,
        label=gettext_lazy("Since"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        required=False,
        label=gettext_lazy("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@login_required
@permission_required("content.view_auditevent", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.for_list()
    if form.is_valid():
        data = form.cleaned_data
        if data["post"]:
            events = events.filter(post__slug=data["post"].strip())
        if data["person"]:
            events = events.filter(actor__username=data["person"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(created_at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(created_at__date__lte=data["until"])
    pages = paginate(
        request, events.order_by("-created_at", "-pk"), per_page=settings.STUDIO_PAGE_SIZE
    )
    return render(request, "content/review/audit_log.html", {"form": form, "pages": pages})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=signed_in(request.user))
    if request.method == "POST":
        # Every unread notification, not only those on the page the button was pressed on.
        mine.unread().update(read_at=timezone.now())
        return redirect("content:notifications")
    # The list links by post id, so the posts themselves are not fetched.
    pages = paginate(
        request, mine.order_by("-created_at", "-pk"), per_page=settings.STUDIO_PAGE_SIZE
    )
    return render(request, "content/review/notifications.html", {"pages": pages})


class OverrideForm(forms.Form):
    key = forms.CharField(max_length=80)
    reason = forms.CharField(max_length=opsec.MAX_REASON, required=False)
    back = forms.ChoiceField(choices=[("post", "post"), ("review", "review")], required=False)


@login_required
@require_POST
def opsec_override(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An editor lets one opsec finding of one revision through; content.opsec checks the right."""
    post = _visible_post(request, pk)
    revision = get_object_or_404(post.revisions, number=number)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, opsec.ERROR_OVERRIDE_FORM)
    else:
        data = form.cleaned_data
        try:
            opsec.override_finding(
                revision=revision, key=data["key"], actor=request.user, reason=data["reason"]
            )
        except opsec.OverrideNotPermitted as error:
            raise PermissionDenied(str(error)) from error
        except opsec.OpsecError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Override recorded for revision %(number)s.") % {"number": revision.number},
            )
        if data["back"] == "review":
            return redirect("content:review_post", pk=post.pk)
    return redirect(post if revision.pk == post.latest_revision_id else revision)


class ScheduleForm(ReasonForm):
    kind = forms.ChoiceField(choices=Schedule.Kind.choices)
    run_at = forms.DateTimeField()  # "2026-12-24T18:00" from the page: the site's time zone


@login_required
@require_POST
def post_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule the publication of the revision the page showed, or a withdrawal."""
    post = _visible_post(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        field, problems = next(iter(form.errors.items()))
        refused_as = (
            _("The time: %(problem)s Nothing was scheduled.")
            if field == "run_at"
            else _("The request: %(problem)s Nothing was scheduled.")
        )
        messages.error(request, refused_as % {"problem": problems[0]})
        return redirect(post)
    data = form.cleaned_data
    try:
        planned = workflow.schedule(
            post=post,
            actor=request.user,
            kind=data["kind"],
            run_at=data["run_at"],
            revision_id=data["revision_id"],
            reason=data["reason"],
            public_reason=data["public_reason"],
        )
    except (workflow.NotPermitted, workflow.TransitionNotAllowed) as error:
        return refused(request, post, error)
    except workflow.WorkflowError as error:  # a time in the past, a missing reason
        messages.error(request, str(error))
        return redirect(post)
    scheduled = (
        _("Publication scheduled for %(when)s.")
        if planned.kind == Schedule.Kind.PUBLISH
        else _("Withdrawal scheduled for %(when)s.")
    )
    messages.success(request, scheduled % {"when": workflow.when(planned.run_at)})
    return redirect(post)


@login_required
@require_POST
def schedule_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    planned = get_object_or_404(Schedule, pk=pk)
    post = _visible_post(request, planned.post_id)
    try:
        workflow.cancel_schedule(schedule_id=planned.pk, actor=request.user)
    except (workflow.NotPermitted, workflow.TransitionNotAllowed) as error:
        return refused(request, post, error)
    messages.success(
        request,
        _("The scheduled publication is cancelled.")
        if planned.kind == Schedule.Kind.PUBLISH
        else _("The scheduled withdrawal is cancelled."),
    )
    return redirect(post)
