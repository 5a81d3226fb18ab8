"""The studio's translation actions: start a translation, let one behind its source out.

Both go through content.translations, which checks the person's right itself.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import translations
from content.forms.utf8 import ValidUtf8Form
from content.models import Language
from content.views.lookups import visible_post


class TranslateForm(forms.Form):
    language = forms.ModelChoiceField(queryset=Language.objects.all())


class OverrideForm(ValidUtf8Form):
    reason = forms.CharField(max_length=translations.MAX_REASON)


@login_required
@require_POST
def post_translate(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the translation of post `pk` into the language chosen, and open it for editing."""
    source = visible_post(request, pk)
    form = TranslateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language to translate into; nothing was created."))
        return redirect(source)
    try:
        post = translations.translate_post(
            source=source, language=form.cleaned_data["language"], actor=request.user
        )
    except translations.TranslationNotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except translations.TranslationExists as exists:
        messages.info(request, str(exists))
        return redirect(exists.post)
    except translations.TranslationError as error:
        messages.error(request, str(error))
        return redirect(source)
    messages.success(
        request,
        _("Started the %(language)s translation as revision 1: translate the text, then save.")
        % {"language": post.language.name},
    )
    return redirect("content:post_edit", pk=post.pk)


@login_required
@require_POST
def translation_override(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor lets the published translation `pk` be exported although it is behind a
    safety change of its source; the public page keeps its warning."""
    post = visible_post(request, pk)
    # Back where the editor decided: the post page, or the export page that was refused.
    from_export = request.POST.get("back") == "export"
    back = redirect("content:post_export", pk=post.pk) if from_export else redirect(post)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, translations.error_override_reason())
        return back
    try:
        translations.override(post=post, actor=request.user, reason=form.cleaned_data["reason"])
    except translations.TranslationNotPermitted as error:
        raise PermissionDenied(str(error)) from error
    except translations.TranslationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Recorded: this translation may be exported as final; its readers are still told."),
        )
    return back
