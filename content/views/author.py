"""The studio, for the team: dashboard, writing, history, comparing and restoring revisions.

Views fetch, guard and render; every change goes through content.revisions.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from content import (
    actions,
    addresses,
    discussion,
    home,
    merge,
    opsec,
    translations,
    workflow,
)
from content.actors import Person, signed_in
from content.forms import (
    NewPostForm,
    PostEditForm,
    RestoreForm,
    SourceForms,
    SourceFormSet,
    sources_from,
    sources_initial,
)
from content.forms.alerts import AlertFactsFields
from content.forms.posts import TagListField
from content.models import Post, PostKind, PostState, Revision
from content.pagination import paginate
from content.revisions import (
    EditConflict,
    FactsInvalid,
    RevisionContent,
    SlugTaken,
    compare,
    create_post,
    restore_revision,
    save_revision,
)
from content.views.lookups import visible_post as _visible_post

SOURCES_PREFIX = "sources"


def _editable_post(request: HttpRequest, pk: int) -> Post:
    post = _visible_post(request, pk)
    if not post.can_be_edited_by(request.user):
        raise PermissionDenied(_("You may not edit this post: it belongs to another author."))
    return post


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The studio's home by role (content.home), or one of its lists: `?show=mine` (the
    person's posts), `?show=all`, `?show=decisions` (a reviewer's), `?show=scheduled` (what
    is scheduled, as the home lists it), each in pages and, for
    posts, of one group (`&state=draft`, ... see content.home.GROUPS)."""
    user = signed_in(request.user)
    show = request.GET.get("show", "")
    if show == "decisions" and user.has_perm("content.review_post"):
        pages = paginate(request, home.decisions_of(user), per_page=settings.STUDIO_PAGE_SIZE)
        return render(request, "content/review/decisions.html", {"pages": pages})
    if show == "scheduled":
        pending = home.scheduled_for(user)
        pages = paginate(request, pending, per_page=settings.STUDIO_PAGE_SIZE)
        return render(request, "content/author/scheduled.html", {"pages": pages})
    if show not in ("mine", "all"):
        sections = home.home_sections(user)
        if sections:  # someone with no role sees the list of their posts
            return render(
                request,
                "content/author/home.html",
                {
                    "roles": sections,
                    "can_see_all": user.has_perm("content.view_post"),
                    "can_create": user.has_perm("content.add_post"),
                },
            )
    show_all = show == "all" and user.has_perm("content.view_post")
    posts = Post.objects.visible_to(user) if show_all else Post.objects.filter(created_by=user)
    group = request.GET.get("state", "")
    in_group = home.group_filter(group)
    if in_group is not None:
        posts = posts.filter(in_group)
    # The pk breaks ties, so a post never shows on two pages or on none.
    posts = home.group_order(posts.for_list().with_open_comments(), group)
    pages = paginate(request, posts, per_page=settings.STUDIO_PAGE_SIZE)
    translations.flag_behind(pages.page)  # "source changed since revision N", for the page
    return render(
        request,
        "content/author/dashboard.html",
        {
            "pages": pages,
            "show_all": show_all,
            "group": home.GROUP_HEADINGS.get(group, "") if in_group is not None else "",
            "can_see_all": user.has_perm("content.view_post"),
            "can_create": user.has_perm("content.add_post"),
        },
    )


@login_required
@permission_required("content.add_post", raise_exception=True)
def post_create(request: HttpRequest) -> HttpResponse:
    form = NewPostForm(request.POST or None)
    sources = SourceFormSet(request.POST or None, prefix=SOURCES_PREFIX)
    alert = AlertFactsFields(request.POST or None, facts={})
    alert_valid = alert.is_valid()
    if request.method == "POST" and form.is_valid() and sources.is_valid() and alert_valid:
        content = form.content(sources_from(sources))
        is_alert = form.cleaned_data["kind"] == PostKind.DRUG_ALERT
        if is_alert:
            # A new drug alert states its facts (content.alert_rules); other kinds have none.
            content = dataclasses.replace(content, facts=alert.facts())
        try:
            if is_alert and not alert.check(content.facts, new_alert=True):
                raise _FactsRefused
            post = create_post(
                author=request.user,
                language=form.cleaned_data["language"],
                kind=form.cleaned_data["kind"],
                slug=form.cleaned_data["slug"],
                content=content,
                change_note=form.cleaned_data["change_note"],
            )
        except _FactsRefused:
            pass  # the fieldset shows why, with everything typed
        except SlugTaken as taken:
            form.add_error("slug", str(taken))
        else:
            messages.success(
                request, _("Created “%(title)s” as revision 1.") % {"title": post.title}
            )
            _opsec_message(request, post, post.expect_latest_revision())
            return redirect(post)
    return render(
        request,
        "content/author/post_form.html",
        {"form": form, "sources": sources, "post": None, "alert": alert, "new_post": True},
    )


class _FactsRefused(Exception):
    """The alert's facts break its rules: the fieldset shows why, with everything typed."""


def _alert_fields(post: Post, data: QueryDict | None, latest: Revision) -> AlertFactsFields | None:
    """The "Alert facts" fieldset of a drug alert's edit form, started from its latest facts."""
    if post.kind != PostKind.DRUG_ALERT:
        return None
    return AlertFactsFields(data, facts=latest.facts or {})


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _editable_post(request, pk)
    latest = post.expect_latest_revision()
    context: dict[str, object] = {"post": post}
    if request.method != "POST" and post.state == PostState.ARCHIVED:
        messages.error(request, workflow.ERROR_ARCHIVED)
        return redirect(post)
    if request.method != "POST":
        form = PostEditForm(initial=_initial(latest), post=post, user=request.user)
        sources = SourceFormSet(initial=sources_initial(latest.sources), prefix=SOURCES_PREFIX)
        context["opsec"] = opsec.run_checks(revision=latest, post=post)
        context["alert"] = _alert_fields(post, None, latest)
        return render(request, "content/author/post_form.html", context | _forms(form, sources))

    form = PostEditForm(request.POST, post=post, user=request.user)
    sources = SourceFormSet(request.POST, prefix=SOURCES_PREFIX)
    alert = context["alert"] = _alert_fields(post, request.POST, latest)
    alert_valid = alert is None or alert.is_valid()
    if not (form.is_valid() and sources.is_valid() and alert_valid):
        return render(request, "content/author/post_form.html", context | _forms(form, sources))
    content = form.content(sources_from(sources))
    if alert is not None:
        content = dataclasses.replace(content, facts=alert.facts())
        if not alert.check(content.facts, new_alert=False):
            return render(request, "content/author/post_form.html", context | _forms(form, sources))
    try:
        # One transaction: a refused address leaves no revision behind, and the reverse.
        with transaction.atomic():
            revision = save_revision(
                post=post,
                author=request.user,
                content=content,
                base_revision_id=form.cleaned_data["base_revision"],
                change_note=form.cleaned_data["change_note"],
            )
            if form.slug_changed:
                _change_slug(request, post, form)
    except EditConflict as conflict:
        return _render_conflict(request, post, conflict, content, sources)
    except (SlugTaken, addresses.BadSlug) as error:
        post.refresh_from_db()  # the revision saved with it was rolled back
        form.add_error("slug", str(error))
        return render(request, "content/author/post_form.html", context | _forms(form, sources))
    except (workflow.WorkflowError, FactsInvalid) as error:
        # E.g. archived meanwhile, or facts its kind no longer declares: say so, and keep every
        # character the author typed.
        form.add_error(None, str(error))
        return render(
            request, "content/author/post_form.html", context | _forms(form, sources), status=409
        )
    if revision is None:
        messages.info(request, _("Nothing changed, so no new revision was written."))
    else:
        messages.success(
            request, _("Saved revision %(number)s.") % {"number": revision.number}
        )
        _opsec_message(request, post, revision)
    return redirect(post)


def _opsec_message(request: HttpRequest, post: Post, revision: Revision) -> None:
    """Checked on save, so the author hears of it now rather than when exporting."""
    summary = opsec.run_checks(revision=revision, post=post).summary
    if summary:
        messages.warning(request, summary)


def _change_slug(request: HttpRequest, post: Post, form: PostEditForm) -> None:
    slug = form.cleaned_data["slug"]
    addresses.change_slug(
        post=post, actor=request.user, slug=slug, keep_old_address=form.keep_old_address
    )
    messages.success(
        request, _("The address is now %(address)s.") % {"address": post.get_public_url()}
    )


def _forms(form: PostEditForm, sources: SourceForms) -> dict[str, object]:
    return {"form": form, "sources": sources}


def _initial(revision: Revision) -> dict[str, object]:
    return RevisionContent.of(revision).initial() | {"base_revision": revision.pk}


def _render_conflict(
    request: HttpRequest,
    post: Post,
    conflict: EditConflict,
    yours: RevisionContent,
    sources: SourceForms,
) -> HttpResponse:
    """Show the author what changed meanwhile, with their text merged into the newer one.

    The form is re-bound to the newest revision as its base and holds the three-way merge of
    the author's text with it (content.merge), conflicts marked; saving again after reading the
    changes is a deliberate choice, not a lost update. Without the revision the author started
    from there is nothing to merge against, and the form keeps their text as typed.
    """
    data: QueryDict = request.POST.copy()
    data["base_revision"] = str(conflict.latest.pk)
    merged = None
    if conflict.base is not None:
        latest = conflict.latest
        merged = merge.merge_content(
            base=RevisionContent.of(conflict.base),
            yours=yours,
            theirs=RevisionContent.of(latest),
            theirs_label=_("revision %(number)s by %(name)s")
            % {"number": latest.number, "name": latest.author.get_username()},
        )
        _fill_with_merge(data, merged)
        sources = _merged_sources(merged, sources)
    form = PostEditForm(data, post=post, user=request.user)
    form.is_valid()
    base_content = RevisionContent.of(conflict.base) if conflict.base else None
    context = {
        "post": post,
        "alert": _alert_fields(post, data, conflict.latest),  # the facts as the author typed
        "conflict": conflict,
        "conflict_diff": compare(base_content, RevisionContent.of(conflict.latest)),
        "intervening": conflict.intervening,
        "merge": merged,
    } | _forms(form, sources)
    return render(request, "content/author/post_form.html", context, status=409)


def _fill_with_merge(data: QueryDict, merged: merge.ContentMerge) -> None:
    """Put the merged values of the form's own fields into its data, as the browser sends them."""
    tags = TagListField()
    for field in merged.fields:
        if field.name in PostEditForm.base_fields and field.name in data:
            value = field.value
            data[field.name] = tags.prepare_value(value) if isinstance(value, tuple) else value


def _merged_sources(merged: merge.ContentMerge, sources: SourceForms) -> SourceForms:
    """The sources the merge chose: the newer revision's unless the author changed them."""
    chosen = next(f for f in merged.fields if f.name == "sources")
    if chosen.outcome != merge.Outcome.THEIRS:
        return sources
    initial = sources_initial([source.as_dict() for source in chosen.value])
    return SourceFormSet(initial=initial, prefix=SOURCES_PREFIX)


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post(request, pk)
    return render(
        request,
        "content/author/post_detail.html",
        {
            "post": post,
            "revision": post.latest_revision,
            "can_edit": post.can_be_edited_by(request.user) and post.state != PostState.ARCHIVED,
            **_workflow_context(post, request.user),
            "opsec": opsec.run_checks(revision=post.expect_latest_revision(), post=post),
            "discussion": discussion.discussion_for(
                post, post.expect_latest_revision(), request.user
            ),
            **translations.studio_panel(post, request.user),
        },
    )


# What the post page calls each action when it says why it is not offered.
ACTION_LABELS = {
    "submit_for_review": gettext_lazy("Submit for review"),
    "approve": gettext_lazy("Approve"),
    "request_changes": gettext_lazy("Request changes"),
    "publish": pgettext_lazy("action", "Publish"),
    "re_approve": gettext_lazy("Re-approve the published text"),
    "withdraw": pgettext_lazy("action", "Withdraw"),
    "archive": pgettext_lazy("action", "Archive"),
    "unarchive": gettext_lazy("Restore from the archive"),
    actions.EXPORT_FINAL: gettext_lazy("Final export"),
}
# Decided on the review page, which the post page links to when one of them is allowed.
REVIEW_PAGE = ("approve", "re_approve", "request_changes")


def _workflow_context(post: Post, user: Person) -> dict[str, object]:
    """The post page's actions from content.actions: `allowed` names those the workflow would
    accept now (each shown as a button), `missing` says what stands in the way of the others a
    person in this role could take once a rule is met ("1 of the 2 approvals")."""
    studio = actions.studio_actions(post, user)
    allowed = {name for name, action in studio.items() if action.allowed}
    return {
        "allowed": allowed,
        "review_page": bool(allowed.intersection(REVIEW_PAGE)),
        "missing": [
            (ACTION_LABELS[name], action.reason)
            for name, action in studio.items()
            if action.refused is not None and action.refused.explained
        ],
    }


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    # The page names the post and lists revisions: none of their text is fetched.
    post = get_object_or_404(Post.objects.visible_to(request.user).for_list(), pk=pk)
    revisions = post.revisions.for_list().order_by("-number")
    return render(
        request,
        "content/author/history.html",
        {
            "post": post,
            "pages": paginate(request, revisions, per_page=settings.STUDIO_PAGE_SIZE),
            "can_edit": post.can_be_edited_by(request.user),
        },
    )


def _revision(post: Post, number: int) -> Revision:
    tags = Prefetch("tags")
    return get_object_or_404(
        post.revisions.select_related("author").prefetch_related(tags), number=number
    )


@login_required
def revision_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    post = _visible_post(request, pk)
    revision = _revision(post, number)
    report = opsec.run_checks(revision=revision, post=post)
    return render(
        request,
        "content/author/post_detail.html",
        {"post": post, "revision": revision, "can_edit": False, "opsec": report},
    )


def _revision_number(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


@login_required
def revision_compare(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post(request, pk)
    latest_number = post.expect_latest_revision().number
    new_number = _revision_number(request.GET.get("to"), latest_number)
    old_number = _revision_number(request.GET.get("from"), max(new_number - 1, 1))
    old, new = _revision(post, old_number), _revision(post, new_number)
    return render(
        request,
        "content/author/compare.html",
        {
            "post": post,
            "old": old,
            "new": new,
            "diffs": compare(RevisionContent.of(old), RevisionContent.of(new)),
        },
    )


@login_required
@require_POST
def revision_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    post = _editable_post(request, pk)
    old = _revision(post, number)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The restore request was incomplete; nothing was changed."))
        return redirect("content:post_history", pk=post.pk)
    try:
        revision = restore_revision(
            post=post,
            revision=old,
            actor=request.user,
            base_revision_id=form.cleaned_data["base_revision"],
        )
    except EditConflict as conflict:
        messages.error(
            request,
            _(
                "Not restored: revision %(number)s was saved while you were looking at the "
                "history. Review it, then restore again if you still want to."
            )
            % {"number": conflict.latest.number},
        )
        return redirect("content:post_history", pk=post.pk)
    except (workflow.WorkflowError, FactsInvalid) as error:  # archived, a note is needed, ...
        messages.error(request, _("Not restored: %(reason)s") % {"reason": error})
        return redirect("content:post_history", pk=post.pk)
    if revision is None:
        messages.info(
            request,
            _("Revision %(number)s is identical to the latest; nothing to do.")
            % {"number": old.number},
        )
    else:
        messages.success(
            request,
            _("Restored revision %(old)s as new revision %(new)s.")
            % {"old": old.number, "new": revision.number},
        )
        _opsec_message(request, post, revision)
    return redirect(post)
