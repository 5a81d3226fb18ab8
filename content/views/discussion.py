"""Review discussion: comment on a revision (or reply), resolve a thread. content.discussion
checks who may; these views fetch, guard and answer.

A written comment sends the person back to the page they wrote it on, at the comment. A refused
one is answered on a page of its own with the problem named and the text kept in the form.
"""

from __future__ import annotations

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from content import discussion
from content.forms.utf8 import ValidUtf8Form
from content.models import Comment, Post, Revision
from content.models.discussion import MAX_COMMENT, MAX_QUOTE
from content.views.lookups import visible_post


class CommentForm(ValidUtf8Form):
    # The limits are the service's (its messages name them); the browser is told them too.
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
    )
    quote = forms.CharField(
        label=gettext_lazy("Quote (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_QUOTE}),
        help_text=gettext_lazy("A passage of this revision your comment is about."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    back = forms.ChoiceField(
        choices=[("post", "post"), ("review", "review")], required=False, widget=forms.HiddenInput
    )


def _back_to(post: Post, back: str, comment: Comment) -> HttpResponseRedirect:
    page = (
        reverse("content:review_post", args=[post.pk])
        if back == "review"
        else post.get_absolute_url()
    )
    return HttpResponseRedirect(f"{page}#comment-{comment.pk}")


def _refused_form(
    request: HttpRequest, post: Post, revision: Revision, form: CommentForm, problem: str
) -> HttpResponse:
    context = {
        "post": post,
        "revision": revision,
        "form": form,
        "problem": problem,
    }
    return render(
        request, "content/discussion/comment_form.html", context, status=HTTPStatus.BAD_REQUEST
    )


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    post = visible_post(request, pk)
    revision = get_object_or_404(post.revisions, number=number)
    if not discussion.may_comment(post, request.user):
        raise PermissionDenied(discussion.error_not_permitted())
    form = CommentForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))
        return _refused_form(request, post, revision, form, str(first[0]))
    data = form.cleaned_data
    parent = None
    if data["parent"] is not None:
        parent = get_object_or_404(Comment, pk=data["parent"], post=post)
    try:
        comment = discussion.add_comment(
            post=post,
            revision=revision,
            actor=request.user,
            body=data["body"],
            quote=data["quote"],
            parent=parent,
        )
    except discussion.NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except discussion.DiscussionError as error:
        return _refused_form(request, post, revision, form, str(error))
    messages.success(request, _("Your comment is posted; the others taking part are told."))
    return _back_to(post, data["back"] or "post", comment)


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    post = visible_post(request, pk)
    comment = get_object_or_404(Comment, pk=comment_pk, post=post)
    try:
        discussion.resolve(comment=comment, actor=request.user)
    except discussion.NotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except discussion.DiscussionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The thread is marked resolved."))
    return _back_to(post, request.POST.get("back", "post"), comment)
