"""The interaction table in the studio: the pairs, proposals awaiting approval, and the form
that proposes a change. The services (content.interactions) check every right themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from content import interactions
from content.models import Interaction, InteractionLevel, InteractionProposal, Substance
from content.models.interactions import EXPLANATION_LANGUAGES

ERROR_MAY_NOT_VIEW = gettext_lazy("You cannot see the interaction table.")
RECENT_DECISIONS = 20


class ProposalForm(forms.Form):
    first = forms.ModelChoiceField(
        queryset=Substance.objects.all(), label=gettext_lazy("Substance")
    )
    second = forms.ModelChoiceField(
        queryset=Substance.objects.all(), label=gettext_lazy("Other substance")
    )
    level = forms.ChoiceField(choices=InteractionLevel.choices, label=gettext_lazy("Level"))
    explanation_en = forms.CharField(
        label=gettext_lazy("Explanation (English)"),
        max_length=interactions.EXPLANATION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation_nl = forms.CharField(
        label=gettext_lazy("Explanation (Dutch)"),
        max_length=interactions.EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation_fr = forms.CharField(
        label=gettext_lazy("Explanation (French)"),
        max_length=interactions.EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "What happens in the body, in one or two sentences; never a dose. A post in "
            "another language shows the English text."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Why (for the person who approves)"),
        max_length=300,
        required=False,
    )


def _may_view(request: HttpRequest) -> None:
    if not request.user.has_perm("content.view_interaction"):
        raise PermissionDenied(ERROR_MAY_NOT_VIEW)


@login_required
def interaction_list(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    query = request.GET.get("q", "").strip()[:60]
    pairs = Interaction.objects.select_related("first", "second")
    if query:
        pairs = pairs.filter(interactions.search(query))
    proposals = InteractionProposal.objects.select_related(
        "first", "second", "proposed_by", "decided_by"
    )
    return render(
        request,
        "content/interactions/list.html",
        {
            "pairs": sorted(pairs, key=lambda p: (-p.rank, p.first.name, p.second.name)),
            "query": query,
            "pending": proposals.filter(status=InteractionProposal.Status.PENDING),
            "decided": proposals.exclude(status=InteractionProposal.Status.PENDING)[
                :RECENT_DECISIONS
            ],
            "may_propose": request.user.has_perm("content.propose_interaction"),
            "may_approve": request.user.has_perm("content.approve_interaction"),
            "languages": EXPLANATION_LANGUAGES,
        },
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    pair = Interaction.objects.filter(pk=request.GET.get("pair") or 0).first()
    if pair is None:
        return {}
    return {"first": pair.first_id, "second": pair.second_id, "level": pair.level} | {
        f"explanation_{code}": text for code, text in pair.explanations().items()
    }


@login_required
def interaction_propose(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("content.propose_interaction"):
        raise PermissionDenied(interactions.ERROR_MAY_NOT_PROPOSE)
    form = ProposalForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interactions.propose(
                actor=request.user,
                first=data["first"],
                second=data["second"],
                level=data["level"],
                explanations={code: data[f"explanation_{code}"] for code in EXPLANATION_LANGUAGES},
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Change proposed; it takes effect when a colleague approves it.")
            )
            return redirect("content:interactions")
    status = 400 if request.method == "POST" else 200
    return render(request, "content/interactions/propose.html", {"form": form}, status=status)


def _proposal(pk: int) -> InteractionProposal:
    return get_object_or_404(InteractionProposal.objects.select_related("first", "second"), pk=pk)


@login_required
@require_POST
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    try:
        interactions.approve(proposal=proposal, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("content:interactions")
    messages.success(
        request,
        _("Approved: %(first)s + %(second)s is now in force.")
        % {"first": proposal.first, "second": proposal.second},
    )
    return redirect("content:interactions")


@login_required
@require_POST
def proposal_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(pk)
    try:
        interactions.refuse(
            proposal=proposal, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("content:interactions")
    messages.success(request, _("Refused; the table is unchanged."))
    return redirect("content:interactions")
