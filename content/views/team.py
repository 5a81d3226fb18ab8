"""The team page for editors: who is on the team, invitations, roles, (de)activation.

Views fetch, guard and render; the rules and the audit events are in content/team.py, which
checks the right again. Every change is a POST (CSRF-checked) that redirects back to the list;
a refused one shows the list again with the message and what was typed. The forms are small and
used only here, so they live here.

`welcome` is the page an invited colleague reaches from their mail: Django's password-reset
confirmation, for an active account only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from content import roles, team

ROLE_CHOICES = list(team.ROLE_LABELS.items())
TEMPLATE = "content/team/team.html"


class InviteForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("User name"),
        max_length=150,
        help_text=gettext_lazy("What they sign in with: letters, digits and @ . + - _ only."),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"), help_text=gettext_lazy("The invitation goes here.")
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles"), choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles"), choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


def _roles_form(member: User, data: Any = None) -> RolesForm:
    initial = {"roles": team.held_roles(member)}
    return RolesForm(data, prefix=f"member-{member.pk}", initial=initial)


def _page(
    request: HttpRequest,
    *,
    invite_form: InviteForm | None = None,
    bound: RolesForm | None = None,
    bound_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(team.team_members())
    joined = team.joined_on(members)
    rows = [
        {
            "user": member,
            "roles": [team.ROLE_LABELS[name] for name in team.held_roles(member)],
            "form": bound if bound is not None and member.pk == bound_pk else _roles_form(member),
            "invited": not member.has_usable_password(),
            "joined": joined.get(member.pk),
        }
        for member in members
    ]
    context = {
        "rows": rows,
        "invite_form": invite_form or InviteForm(),
        "hours": settings.INVITATION_TIMEOUT // 3600,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@permission_required(roles.MANAGE_TEAM, raise_exception=True)
def team_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@permission_required(roles.MANAGE_TEAM, raise_exception=True)
@require_POST
def team_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = team.invite(
                actor=request.user,
                username=data["username"],
                email=data["email"],
                role_names=data["roles"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except team.TeamError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(
                request,
                _(
                    "%(username)s is invited: a link to choose a password is on its way to "
                    "%(email)s."
                )
                % {"username": user.get_username(), "email": user.email},
            )
            return redirect("content:team")
    return _page(request, invite_form=form, status=400)


def _member(pk: int) -> User:
    return get_object_or_404(User, pk=pk)


@login_required
@permission_required(roles.MANAGE_TEAM, raise_exception=True)
@require_POST
def team_roles(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(pk)
    form = _roles_form(member, request.POST)
    if form.is_valid():
        try:
            team.set_roles(actor=request.user, user=member, role_names=form.cleaned_data["roles"])
        except team.TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(username)s's roles are saved.") % {"username": member.get_username()}
            )
            return redirect("content:team")
    messages.error(
        request, _("%(username)s's roles were not changed.") % {"username": member.get_username()}
    )
    return _page(request, bound=form, bound_pk=member.pk, status=400)


def _change(request: HttpRequest, pk: int, change: Any, done: str) -> HttpResponse:
    member = _member(pk)
    try:
        change(actor=request.user, user=member)
    except team.TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(username=member.get_username()))
    return redirect("content:team")


@login_required
@permission_required(roles.MANAGE_TEAM, raise_exception=True)
@require_POST
def team_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    done = _(
        "{username} is deactivated: they can no longer sign in; what they did keeps their name."
    )
    return _change(request, pk, team.deactivate, done)


@login_required
@permission_required(roles.MANAGE_TEAM, raise_exception=True)
@require_POST
def team_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("{username} is active again, with the roles they had.")
    return _change(request, pk, team.reactivate, done)


@login_required
@permission_required(roles.MANAGE_TEAM, raise_exception=True)
@require_POST
def team_resend(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("The invitation is sent to {username} again.")
    return _change(request, pk, team.resend_invitation, done)


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The invitation's link: choose a password (Django's reset confirmation with the
    invitation's token, content.team.InvitationTokenGenerator). A deactivated account's link
    does not work; an expired one says to ask for a new one. Setting the password is audited
    (content.team.accept_invitation)."""

    template_name = "registration/invitation_confirm.html"
    success_url = reverse_lazy("content:team_welcome_done")
    token_generator = team.invitation_tokens

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        assert self.user is not None  # the form is offered only on a valid link
        team.accept_invitation(user=self.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if not self.validlink:
            token = self.kwargs.get("token")
            if token == self.reset_url_token:
                token = self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN)
            context["expired"] = team.invitation_tokens.expired(self.user, token)
        return context


welcome = WelcomeView.as_view()


def welcome_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/invitation_complete.html")
