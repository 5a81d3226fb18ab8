"""The studio language page: each person chooses the language the studio speaks to them.

A POST (CSRF-checked) from the page or from the compact chooser in the studio's navigation;
it works without JavaScript and goes back to the page it came from. The choice is the
person's own (content.languages.set_studio_language), kept on their account and in the session.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content import languages

TEMPLATE = "content/studio_language.html"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Studio language"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": languages.ERROR_LANGUAGE},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def _back_to(request: HttpRequest, target: str) -> str:
    """`target` when it is a page of this site, else the language page itself."""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else reverse("studio_language")


@login_required
def choose(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            languages.set_studio_language(user=request.user, language=language)
            languages.remember_language(request, language)
            translation.activate(language)  # the confirmation is in the new language
            messages.success(request, _("The studio now speaks your language."))
            return HttpResponseRedirect(_back_to(request, form.cleaned_data["next"]))
        status = 400
    else:
        chosen = languages.session_language(request) or translation.get_language()
        form = LanguageForm(initial={"language": chosen, "next": request.GET.get("next", "")})
        status = 200
    return render(request, TEMPLATE, {"form": form}, status=status)
