"""The team: invite a colleague, change their roles, deactivate and reactivate them.

Editors do this in the studio (content/views/team.py); every function checks the actor's right
(roles.MANAGE_TEAM) itself, so a view, a command or a test calling it directly is held to the
same rule. Each change is an audit event in its own transaction, naming the actor (the event's
actor) and the person changed (`user_id` and `username` in its details).

Nobody is deleted: audit events, revisions and reviews keep their author through PROTECT foreign
keys, so a colleague who leaves is deactivated (is_active=False). Django's ModelBackend then
refuses their password and no longer finds the user of an existing session, so a session they
still hold is anonymous from its next request on.

An invitation is a user with an unusable password and the chosen roles, and a mail with a link
to set the password. The link is Django's password-reset link with a salt and a lifetime of its
own (InvitationTokenGenerator, checked by the welcome page): it works once, and for
INVITATION_TIMEOUT (a week by default); an editor can send it again while the colleague has set
no password yet. Setting it is an audit event, and the team page says when they joined.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_stubs_ext import StrOrPromise

from content import roles
from content.actors import Actor, signed_in
from content.languages import studio_language
from content.models import AuditEvent, record_event

# The roles a person can hold, as the team page names them (group name -> label).
ROLE_LABELS: dict[str, StrOrPromise] = {
    roles.AUTHORS: pgettext_lazy("role", "Author"),
    roles.REVIEWERS: pgettext_lazy("role", "Reviewer"),
    roles.EDITORS: pgettext_lazy("role", "Editor"),
}

ERROR_PERMISSION = gettext_lazy("Only editors can manage the team.")
ERROR_UNKNOWN_ROLE = gettext_lazy("“{role}” is not a role here; choose Author, Reviewer or Editor.")
ERROR_NO_ROLE = gettext_lazy(
    "Choose at least one role; to take every right away, deactivate the account."
)
ERROR_USERNAME_TAKEN = gettext_lazy("The user name “{username}” is taken; choose another.")
ERROR_USERNAME_INVALID = gettext_lazy(
    "A user name has letters, digits and @ . + - _ only, at most 150."
)
ERROR_EMAIL_TAKEN = gettext_lazy(
    "{email} already has an account; change that account's roles instead."
)
ERROR_EMAIL_IN_USE = gettext_lazy(
    "Another account already has the address {email} (capitals ignored); each account needs "
    "an address of its own."
)
ERROR_EMAIL_INVALID = gettext_lazy("Enter a valid e-mail address.")
ERROR_DEACTIVATE_SELF = gettext_lazy("You cannot deactivate your own account; ask another editor.")
ERROR_LAST_EDITOR = gettext_lazy(
    "{username} is the last active editor: make someone else an editor first, or the team "
    "could no longer be managed without a superuser."
)
ERROR_SUPERUSER = gettext_lazy(
    "A superuser's account is managed by a superuser (in the admin), not here."
)
ERROR_ALREADY_ACTIVE = gettext_lazy("{username}'s account is active already.")
ERROR_ALREADY_INACTIVE = gettext_lazy("{username}'s account is deactivated already.")
ERROR_NOT_INVITED = gettext_lazy(
    "{username} has set a password already; they can reset it when they sign in."
)
ERROR_INACTIVE = gettext_lazy("{username}'s account is deactivated; reactivate it first.")

INVITATION_SUBJECT = "registration/invitation_subject.txt"
INVITATION_BODY = "registration/invitation_email.txt"
SUBJECT_PREFIX = gettext_lazy("[Harm reduction] ")  # as the notification mails (content/tasks.py)


class TeamError(Exception):
    """A change refused with a message for the editor; `field` names the form field it is
    about, when there is one."""

    def __init__(self, message: StrOrPromise, *, field: str | None = None) -> None:
        super().__init__(str(message))  # in the language active where it is raised
        self.field = field


def _check(actor: Actor) -> User:
    if not actor.has_perm(roles.MANAGE_TEAM):
        raise PermissionDenied(ERROR_PERMISSION)
    return signed_in(actor)


def _groups(role_names: Iterable[str]) -> list[Group]:
    names = sorted(set(role_names))
    for name in names:
        if name not in ROLE_LABELS:
            raise TeamError(ERROR_UNKNOWN_ROLE.format(role=name), field="roles")
    if not names:
        raise TeamError(ERROR_NO_ROLE, field="roles")
    return list(Group.objects.filter(name__in=names).order_by("name"))


def held_roles(user: User) -> list[str]:
    """The user's roles (group names), from prefetched groups when there are any."""
    return sorted(group.name for group in user.groups.all() if group.name in ROLE_LABELS)


def team_members() -> QuerySet[User]:
    """Everyone with an account, active first, with their groups in one more query."""
    groups = Prefetch("groups", queryset=Group.objects.order_by("name"))
    return User.objects.prefetch_related(groups).order_by("-is_active", "username")


def _record(action: str, *, actor: User, user: User, **details: Any) -> None:
    """The team's audit event: `actor` did it, to `user` (named by id and user name)."""
    record_event(
        action=action, actor=actor, user_id=user.pk, username=user.get_username(), **details
    )


def _guard_superuser(*, actor: User, user: User) -> None:
    # An editor must not lock out, or hand rights to, the person who set the studio up.
    if user.is_superuser and not actor.is_superuser:
        raise TeamError(ERROR_SUPERUSER)


def _lock_editors(user: User) -> None:
    """Lock the target and every active editor's row (in id order, so two editors changing
    each other wait for one another instead of both passing the last-editor check); the count
    that follows is a new statement and sees what the other committed."""
    editors = User.objects.filter(groups__name=roles.EDITORS, is_active=True)
    rows = User.objects.filter(pk__in=editors.values("pk")) | User.objects.filter(pk=user.pk)
    list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))


def _refuse_last_editor(user: User) -> None:
    others = (
        User.objects.filter(groups__name=roles.EDITORS, is_active=True).exclude(pk=user.pk).exists()
    )
    is_editor = user.groups.filter(name=roles.EDITORS).exists()
    if user.is_active and is_editor and not others:
        raise TeamError(ERROR_LAST_EDITOR.format(username=user.get_username()))


def email_taken(email: str, *, other_than: int | None = None) -> bool:
    """Whether an account (other than the one with pk `other_than`) has `email`, capitals
    ignored, as the database's unique index compares them (migration 0021). An empty address
    is nobody's. Every form that sets an address asks this first, so a duplicate gets a field
    error rather than the index's IntegrityError."""
    if not email.strip():
        return False
    taken = User.objects.filter(email__iexact=email.strip())
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


@transaction.atomic
def invite(
    *,
    actor: Actor,
    username: str,
    email: str,
    role_names: Iterable[str],
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create the colleague's account (no usable password yet, so nobody can sign in as them
    until they chose one) with the given roles, and mail them the link once this commits."""
    editor = _check(actor)
    username, email = username.strip(), User.objects.normalize_email(email.strip())
    try:
        User.username_validator(username)
    except ValidationError:
        raise TeamError(ERROR_USERNAME_INVALID, field="username") from None
    if len(username) > 150:
        raise TeamError(ERROR_USERNAME_INVALID, field="username")
    try:
        validate_email(email)
    except ValidationError:
        raise TeamError(ERROR_EMAIL_INVALID, field="email") from None
    groups = _groups(role_names)
    if User.objects.filter(username__iexact=username).exists():
        raise TeamError(ERROR_USERNAME_TAKEN.format(username=username), field="username")
    if email_taken(email):
        raise TeamError(ERROR_EMAIL_TAKEN.format(email=email), field="email")
    try:
        with transaction.atomic():  # a savepoint: a taken name must not end the transaction
            user = User.objects.create_user(
                username=username,
                email=email,
                password=None,  # unusable
                first_name=first_name.strip()[:150],
                last_name=last_name.strip()[:150],
                is_staff=roles.EDITORS in {g.name for g in groups},  # editors use the admin
            )
    except IntegrityError:  # the same name or address, invited by someone else a moment ago
        # (the database keeps addresses unique, case ignored: migration 0021)
        if email_taken(email):
            raise TeamError(ERROR_EMAIL_TAKEN.format(email=email), field="email") from None
        raise TeamError(ERROR_USERNAME_TAKEN.format(username=username), field="username") from None
    user.groups.set(groups)
    _record(AuditEvent.Action.USER_INVITED, actor=editor, user=user, roles=[g.name for g in groups])
    _mail_on_commit(user=user, inviter=editor)
    return user


@transaction.atomic
def resend_invitation(*, actor: Actor, user: User) -> None:
    """Mail the link again to a colleague who has not set a password yet (it expired, or the
    mail was lost)."""
    editor = _check(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise TeamError(ERROR_NOT_INVITED.format(username=user.get_username()))
    if not user.is_active:
        raise TeamError(ERROR_INACTIVE.format(username=user.get_username()))
    _record(AuditEvent.Action.INVITATION_RESENT, actor=editor, user=user)
    _mail_on_commit(user=user, inviter=editor)


@transaction.atomic
def set_roles(*, actor: Actor, user: User, role_names: Iterable[str]) -> User:
    """Give `user` exactly these roles. Refused when it would leave no active editor."""
    editor = _check(actor)
    groups = _groups(role_names)
    _lock_editors(user)
    user = User.objects.get(pk=user.pk)
    _guard_superuser(actor=editor, user=user)
    before, after = _roles_in_database(user), [g.name for g in groups]
    if before == after:
        return user
    if roles.EDITORS not in after:
        _refuse_last_editor(user)
    user.groups.set(groups)
    user.is_staff = roles.EDITORS in after or user.is_superuser
    user.save(update_fields=["is_staff"])
    _record(AuditEvent.Action.ROLES_CHANGED, actor=editor, user=user, before=before, after=after)
    return user


def _roles_in_database(user: User) -> list[str]:
    """The user's roles, read from the database (not from a prefetch)."""
    names = user.groups.filter(name__in=ROLE_LABELS).values_list("name", flat=True)
    return sorted(names)


@transaction.atomic
def deactivate(*, actor: Actor, user: User) -> User:
    """Switch the account off: no sign-in, no session, no mail. Nothing is deleted."""
    editor = _check(actor)
    if user.pk == editor.pk:
        raise TeamError(ERROR_DEACTIVATE_SELF)
    _lock_editors(user)
    user = User.objects.get(pk=user.pk)
    _guard_superuser(actor=editor, user=user)
    if not user.is_active:
        raise TeamError(ERROR_ALREADY_INACTIVE.format(username=user.get_username()))
    _refuse_last_editor(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _record(AuditEvent.Action.USER_DEACTIVATED, actor=editor, user=user)
    return user


@transaction.atomic
def reactivate(*, actor: Actor, user: User) -> User:
    """Switch the account on again, with the roles it had."""
    editor = _check(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    _guard_superuser(actor=editor, user=user)
    if user.is_active:
        raise TeamError(ERROR_ALREADY_ACTIVE.format(username=user.get_username()))
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(AuditEvent.Action.USER_REACTIVATED, actor=editor, user=user)
    return user


# --- The invitation's link ----------------------------------------------------------------


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token (bound to the account's password, last login and address,
    so it works once) with its own salt, so a reset link is no invitation nor the reverse, and
    its own lifetime: settings.INVITATION_TIMEOUT instead of PASSWORD_RESET_TIMEOUT, which
    Django's check_token() reads directly."""

    key_salt = "content.team.InvitationTokenGenerator"

    def issued_at(self, user: User | None, token: str | None) -> int | None:
        """When the token was made (the generator's seconds), if it is `user`'s and ours."""
        if user is None or not token:
            return None
        try:
            stamp, _signature = token.split("-")
            issued = base36_to_int(stamp)
        except ValueError:
            return None
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, issued, secret), token):
                return issued
        return None

    def _age(self, issued: int) -> int:
        return self._num_seconds(self._now()) - issued

    def check_token(self, user: User | None, token: str | None) -> bool:
        issued = self.issued_at(user, token)
        return issued is not None and self._age(issued) <= settings.INVITATION_TIMEOUT

    def expired(self, user: User | None, token: str | None) -> bool:
        """The link is this person's, unused, and too old: they need a new one."""
        issued = self.issued_at(user, token)
        return issued is not None and self._age(issued) > settings.INVITATION_TIMEOUT


invitation_tokens = InvitationTokenGenerator()


@transaction.atomic
def accept_invitation(*, user: User, password: str) -> User:
    """The invited colleague chose their password (the welcome page checked the link): set it
    and record that they joined, in one transaction. They are the event's actor."""
    user = User.objects.select_for_update().get(pk=user.pk)
    joining = not user.has_usable_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    password_validation.password_changed(password, user)  # as SetPasswordForm.save() does
    if joining:
        _record(AuditEvent.Action.INVITATION_ACCEPTED, actor=user, user=user)
    return user


def joined_on(users: Iterable[User]) -> dict[int, Any]:
    """{user id: when they set their password from the invitation}, in one query."""
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITATION_ACCEPTED, actor_id__in=[u.pk for u in users]
    )
    return dict(events.order_by("created_at").values_list("actor_id", "created_at"))


# --- The invitation mail -------------------------------------------------------------------


def _mail_on_commit(*, user: User, inviter: User) -> None:
    # After the commit, as notification mails: a rolled-back invitation mails nobody, and
    # robust, because the account exists by then and the editor can send the link again.
    # The newcomer has chosen no language yet: the mail speaks the inviting editor's.
    user_id, inviter_id, language = user.pk, inviter.pk, translation.get_language() or ""
    transaction.on_commit(
        lambda: send_invitation_mail.enqueue(user_id, inviter_id, language), robust=True
    )


def invitation_mail(user: User, inviter: User | None, language: str = "") -> EmailMessage:
    """The mail with the link to choose a password (built when it is sent, so the token is
    fresh)."""
    context = {
        "user": user,
        "inviter": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": invitation_tokens.make_token(user),
        "studio_base_url": settings.STUDIO_BASE_URL,
        "hours": settings.INVITATION_TIMEOUT // 3600,
    }
    # In the newcomer's studio language if they chose one, else `language` (the inviting
    # editor's), whatever language the worker that sends it speaks.
    with translation.override(studio_language(user) or language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(INVITATION_SUBJECT, context).split())
        body = render_to_string(INVITATION_BODY, context)
        prefix = str(SUBJECT_PREFIX)
    return EmailMessage(prefix + subject, body, to=[user.email])


@task()
def send_invitation_mail(user_id: int, inviter_id: int | None = None, language: str = "") -> bool:
    """Mail the invitation to `user_id`, unless the account was deactivated, has a password by
    now or no address. Returns whether a mail went out; a mail server's refusal fails the task
    (its result keeps the traceback), and the editor can send it again."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password() or not user.email:
        return False
    inviter = User.objects.filter(pk=inviter_id).first() if inviter_id else None
    invitation_mail(user, inviter, language).send()
    return True
