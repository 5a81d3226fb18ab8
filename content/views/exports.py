"""Export screens: a post in a forum's format, the repost register, and the signing keys.

Views fetch, guard and render; the rules (what may be final, signing, audit events) live in
content.exports and content.signing_keys. Everything with an effect is a POST, CSRF-checked.
Previews are for anyone on the team who can see the post; final exports and reposts need
content.export_final (authors, editors); signing keys are for editors only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from content import exports, forum_preview, reposts, signing_keys, translations
from content.exporters import ExportError, SigningError
from content.forms import (
    FINAL,
    PREVIEW,
    ExportForm,
    KeyGenerateForm,
    KeyImportForm,
    NoticePostedForm,
    PostedForm,
    RepostForm,
)
from content.models import ExportProfile, Post, Repost, SigningKey
from content.models.posts import revision_text
from content.pagination import paginate

ERROR_FINAL_PERMISSION = exports.ERROR_FINAL_PERMISSION


def _post(request: HttpRequest, pk: int, *, text: bool = True) -> Post:
    """The post with both revisions; `text=False` leaves out their text, for a page that shows
    only titles and numbers."""
    posts = (
        Post.objects.visible_to(request.user)
        .select_related("language", "latest_revision", "published_revision")
        .with_alert_expiry()  # an expired alert says so without loading the facts
    )
    if not text:
        posts = posts.defer(*revision_text("latest_revision", "published_revision"))
    return get_object_or_404(posts, pk=pk)


def _can_final(request: HttpRequest) -> bool:
    return request.user.has_perm("content.export_final")


# The profile a person last exported with, preselected on their next export page.
LAST_PROFILE = "content:last_export_profile"


def _shown(outcome: exports.Outcome) -> list[tuple[str, SafeString]]:
    """Each part with its rendering as the profile's forum shows it (content.forum_preview)."""
    profile = outcome.profile
    shown = []
    for part in outcome.parts:
        rendered = forum_preview.preview_html(part, format=profile.format, dialect=profile.dialect)
        # Safe: preview_html() returns what the project's one sanitizer let through.
        shown.append((part, mark_safe(rendered)))  # noqa: S308
    return shown


def _download(outcome: exports.Outcome) -> HttpResponse:
    name, data, content_type = outcome.download()
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def post_export(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    blocker = exports.final_blocker(post)
    can_final = _can_final(request) and not blocker
    initial = {
        "version": FINAL if can_final else PREVIEW,
        "profile": request.session.get(LAST_PROFILE),
    }
    form = ExportForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {
        "post": post,
        "form": form,
        "blocker": blocker,
        "can_final": can_final,
        "may_final": _can_final(request),
        # A translation behind a safety change of its source: an editor may let it out here,
        # as on the post page (content.translations.override() checks the right again).
        "behind_source": bool(blocker) and blocker == translations.export_blocker(post),
        "may_override": request.user.has_perm("content.override_translation"),
    }
    if request.method != "POST":
        return render(request, "content/exports/export.html", context)
    if not form.is_valid():
        return render(request, "content/exports/export.html", context, status=400)
    final = form.cleaned_data["version"] == FINAL
    if final and not _can_final(request):
        raise PermissionDenied(ERROR_FINAL_PERMISSION)
    profile = form.cleaned_data["profile"]
    request.session[LAST_PROFILE] = profile.slug
    try:
        outcome = exports.export_post(post=post, profile=profile, actor=request.user, final=final)
    except (ExportError, SigningError) as error:
        # The request was understood; the post, the profile or its key refuses it now.
        context["error"] = str(error)
        return render(request, "content/exports/export.html", context, status=409)
    if "download" in request.POST:
        return _download(outcome)
    context |= {"outcome": outcome, "shown": _shown(outcome)}
    return render(request, "content/exports/export.html", context)


# --- The repost register ------------------------------------------------------------------------


@login_required
def post_reposts(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk, text=False)
    blocker = exports.final_blocker(post)
    form = RepostForm(request.POST or None, initial={"posted_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("content.add_repost") or not _can_final(request):
            raise PermissionDenied(_("You may not record reposts."))
        if form.is_valid():
            try:
                repost = reposts.record_repost(
                    post=post,
                    profile=form.cleaned_data["profile"],
                    actor=request.user,
                    where=form.cleaned_data["where"],
                    posted_on=form.cleaned_data["posted_on"],
                )
            except ExportError as error:
                form.add_error(None, str(error))
                status = 409  # a valid form the post's state refuses
            else:
                messages.success(
                    request,
                    _("Recorded: revision %(number)s posted at %(where)s.")
                    % {"number": repost.revision.number, "where": repost.where},
                )
                return redirect("content:post_reposts", pk=post.pk)
        else:
            status = 400
    recorded = post.reposts.select_related("revision", "profile", "recorded_by").defer(
        *revision_text("revision")
    )
    pages = paginate(
        request, recorded.order_by("-posted_on", "-pk"), per_page=settings.STUDIO_PAGE_SIZE
    )
    # Which of this page's reposts are outdated: one query, however many the post has.
    shown = [repost.pk for repost in pages.page]
    outdated = set(post.reposts.outdated().filter(pk__in=shown).values_list("pk", flat=True))
    return render(
        request,
        "content/exports/post_reposts.html",
        {
            "post": post,
            "form": form,
            "blocker": blocker,
            "can_record": _can_final(request) and request.user.has_perm("content.add_repost"),
            "pages": pages,
            "outdated": outdated,
        },
        status=status,
    )


@login_required
@permission_required("content.view_repost", raise_exception=True)
def outdated_reposts(request: HttpRequest) -> HttpResponse:
    visible = Post.objects.visible_to(request.user)
    outdated = (
        reposts.outdated_reposts()
        .filter(post__in=visible)
        .defer(*revision_text("revision", "post__published_revision"))
        .order_by("-posted_on", "-pk")
    )
    return render(
        request,
        "content/exports/outdated.html",
        {
            "pages": paginate(request, outdated, per_page=settings.STUDIO_PAGE_SIZE),
            "can_replace": _can_final(request),
        },
    )


def _repost(request: HttpRequest, pk: int) -> Repost:
    if not _can_final(request):
        raise PermissionDenied(ERROR_FINAL_PERMISSION)
    visible = Post.objects.visible_to(request.user)
    queryset = Repost.objects.select_related(
        "post", "post__language", "post__published_revision", "revision", "profile"
    )
    return get_object_or_404(queryset.filter(post__in=visible), pk=pk)


def _withdrawn(repost: Repost) -> bool:
    """Answered with a notice (withdrawal, or a drug alert's expiry) rather than a replacement."""
    return repost.post.offline or repost.post.is_expired


@login_required
@require_POST
def repost_replacement(request: HttpRequest, pk: int) -> HttpResponse:
    """The ready-made replacement (or withdrawal notice) for an outdated repost, audited."""
    repost = _repost(request, pk)
    context: dict[str, Any] = {
        "repost": repost,
        "withdrawn": _withdrawn(repost),
        "expired": not repost.post.offline and repost.post.is_expired,
    }
    if not Repost.objects.outdated().filter(pk=repost.pk).exists():
        context["error"] = exports.ERROR_NOT_OUTDATED
        return render(request, "content/exports/replacement.html", context, status=409)
    try:
        if context["withdrawn"]:
            outcome = exports.notice_for(repost=repost, actor=request.user)
        else:
            outcome = exports.export_post(
                post=repost.post,
                profile=repost.profile,
                actor=request.user,
                final=True,
                replaces=repost,
            )
    except (ExportError, SigningError) as error:
        context["error"] = str(error)
        return render(request, "content/exports/replacement.html", context, status=409)
    if "download" in request.POST:
        return _download(outcome)
    context |= {
        "outcome": outcome,
        "shown": _shown(outcome),
        "form": NoticePostedForm(initial={"posted_on": timezone.localdate()})
        if context["withdrawn"]
        else PostedForm(initial={"where": repost.where, "posted_on": timezone.localdate()}),
    }
    return render(request, "content/exports/replacement.html", context)


@login_required
@require_POST
def repost_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the replacement (or the withdrawal notice) was posted."""
    repost = _repost(request, pk)
    withdrawn = _withdrawn(repost)
    form = NoticePostedForm(request.POST) if withdrawn else PostedForm(request.POST)
    if form.is_valid():
        try:
            if withdrawn:
                reposts.record_notice_posted(
                    repost=repost, actor=request.user, posted_on=form.cleaned_data["posted_on"]
                )
            else:
                reposts.record_repost(
                    post=repost.post,
                    profile=repost.profile,
                    actor=request.user,
                    where=form.cleaned_data["where"],
                    posted_on=form.cleaned_data["posted_on"],
                    replaces=repost,
                )
        except ExportError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Recorded; the repost at %(where)s is up to date.") % {"where": repost.where},
            )
            return redirect("content:outdated_reposts")
    else:
        for errors in form.errors.values():
            for message in errors:  # ErrorList yields the messages as text
                messages.error(request, str(message))
    return redirect("content:outdated_reposts")


# --- Signing keys (editors) ---------------------------------------------------------------------


def _keys_page(
    request: HttpRequest,
    *,
    import_form: KeyImportForm | None = None,
    generate_form: KeyGenerateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    keys = list(SigningKey.objects.select_related("added_by"))
    try:
        present = signing_keys.in_key_store(keys)
        store_error = ""
    except (OSError, ValueError) as error:  # a broken key store must not hide the page
        present = set()
        store_error = _("The key store could not be read: %(error)s") % {"error": error}
    return render(
        request,
        "content/exports/keys.html",
        {
            "keys": keys,
            "present": present,
            "store_error": store_error,
            "profiles": ExportProfile.objects.filter(sign=True).select_related("signing_key"),
            "import_form": import_form or KeyImportForm(),
            "generate_form": generate_form or KeyGenerateForm(),
        },
        status=status,
    )


@login_required
@permission_required("content.view_signingkey", raise_exception=True)
def key_list(request: HttpRequest) -> HttpResponse:
    return _keys_page(request)


@login_required
@permission_required("content.add_signingkey", raise_exception=True)
@require_POST
def key_import(request: HttpRequest) -> HttpResponse:
    form = KeyImportForm(request.POST)
    if form.is_valid():
        try:
            key = signing_keys.import_signing_key(
                armored=form.cleaned_data["armored"],
                label=form.cleaned_data["label"],
                actor=request.user,
            )
        except SigningError as error:
            form.add_error("armored", str(error))
        else:
            messages.success(
                request,
                _("Imported %(key)s; fingerprint %(fingerprint)s.")
                % {"key": key, "fingerprint": key.grouped_fingerprint},
            )
            return redirect("content:key_list")
    # Never echo a pasted secret key back into the page.
    data = request.POST.copy()  # what the form was bound to
    data["armored"] = ""
    form.data = data
    return _keys_page(request, import_form=form, status=400)


@login_required
@permission_required("content.add_signingkey", raise_exception=True)
@require_POST
def key_generate(request: HttpRequest) -> HttpResponse:
    form = KeyGenerateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            key = signing_keys.generate_signing_key(
                name=data["name"],
                email=data["email"],
                label=data["label"],
                expire=data["expire"],
                actor=request.user,
            )
        except SigningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Generated %(key)s; fingerprint %(fingerprint)s.")
                % {"key": key, "fingerprint": key.grouped_fingerprint},
            )
            return redirect("content:key_list")
    return _keys_page(request, generate_form=form, status=400)


@login_required
@permission_required("content.change_signingkey", raise_exception=True)
@require_POST
def key_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(SigningKey, pk=pk)
    key = signing_keys.set_key_active(key=key, actor=request.user, active=not key.active)
    done = _("%(key)s can be chosen again.") if key.active else _("%(key)s is switched off.")
    messages.success(request, done % {"key": key})
    return redirect("content:key_list")


CERTIFICATE_MAX_CHARS = 20_000
ERROR_CERTIFICATE_SIZE = gettext_lazy(
    "That is too long for a revocation certificate; paste only that."
)


@login_required
@permission_required("content.change_signingkey", raise_exception=True)
@require_POST
def key_retire(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(SigningKey, pk=pk)
    try:
        key = signing_keys.retire_signing_key(
            key=key, actor=request.user, reason=request.POST.get("reason", "")[:300]
        )
    except SigningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(key)s is retired: it signs nothing more, and stays published.") % {"key": key},
        )
    return redirect("content:key_list")


@login_required
@permission_required("content.change_signingkey", raise_exception=True)
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a key: readers are told, and gpg marks it revoked in the published key."""
    key = get_object_or_404(SigningKey, pk=pk)
    context: dict[str, Any] = {
        "key": key,
        "reasons": signing_keys.RevocationReason.CHOICES,
        "reason": request.POST.get("reason", "")[:300],
        "reason_code": request.POST.get("reason_code", signing_keys.RevocationReason.SUPERSEDED),
    }
    if request.method != "POST":
        return render(request, "content/exports/key_revoke.html", context)
    certificate = request.POST.get("certificate", "")
    try:
        if len(certificate) > CERTIFICATE_MAX_CHARS:
            raise SigningError(str(ERROR_CERTIFICATE_SIZE))
        key = signing_keys.revoke_signing_key(
            key=key,
            actor=request.user,
            reason=context["reason"],
            reason_code=context["reason_code"],
            certificate=certificate,
        )
    except SigningError as error:
        context["error"] = str(error)
        return render(request, "content/exports/key_revoke.html", context, status=400)
    messages.success(request, _("%(key)s is revoked; /pgp/ and /pgp.txt say so.") % {"key": key})
    return redirect("content:key_list")


@login_required
@permission_required("content.view_signingkey", raise_exception=True)
def key_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The PUBLIC key, armored, for readers who verify signatures. Never the secret key."""
    key = get_object_or_404(SigningKey, pk=pk)
    try:
        armored = signing_keys.public_key(key)
    except SigningError as error:
        messages.error(request, str(error))
        return redirect("content:key_list")
    response = HttpResponse(armored, content_type="application/pgp-keys")
    response["Content-Disposition"] = f'attachment; filename="{key.fingerprint}.asc"'
    return response
