"""content/team.py: the rules of managing the team, each change's audit event, and the right
checked by the service itself (whoever calls it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from content import actors, roles, team
from content.audit_chain import verify_chain
from content.models import AuditEvent
from tests.threads import run_together

Action = AuditEvent.Action


def invite_rik(editor: Any, **changes: Any) -> User:
    values: dict[str, Any] = {
        "username": "rik",
        "email": "rik@example.org",
        "role_names": [roles.REVIEWERS],
    } | changes
    return team.invite(actor=editor, **values)


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-sequence").first()  # type: ignore[return-value]


def test_editors_hold_the_right_and_no_other_role_does(author: Any, reviewer: Any, editor: Any):
    assert editor.has_perm(roles.MANAGE_TEAM)
    assert not author.has_perm(roles.MANAGE_TEAM) and not reviewer.has_perm(roles.MANAGE_TEAM)
    # Not the admin's user rights: with those an editor could make anyone a superuser.
    assert not editor.has_perm("auth.change_user") and not editor.has_perm("auth.add_user")


def test_an_invitation_creates_an_account_without_a_usable_password_with_its_roles(
    editor: Any,
) -> None:
    rik = invite_rik(editor, role_names=[roles.REVIEWERS, roles.EDITORS], first_name=" Rik ")
    assert rik.is_active and not rik.has_usable_password()
    assert team._roles_in_database(rik) == [roles.EDITORS, roles.REVIEWERS]
    assert rik.is_staff and rik.first_name == "Rik"  # editors use the admin
    event = last_event()
    assert (event.action, event.actor) == (Action.USER_INVITED, editor)
    assert event.details == {
        "user_id": rik.pk,
        "username": "rik",
        "roles": [roles.EDITORS, roles.REVIEWERS],
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"username": "Editor"}, "username", "The user name “Editor” is taken"),
        ({"username": "has space"}, "username", "letters, digits and @ .* only"),
        ({"email": "EDITOR@example.org"}, "email", "already has an account"),
        ({"email": "not-an-address"}, "email", "Enter a valid e-mail address"),
        ({"role_names": ["Superusers"]}, "roles", "“Superusers” is not a role here"),
        ({"role_names": []}, "roles", "Choose at least one role"),
    ],
)
def test_bad_invitations_are_refused_with_a_message_and_create_nothing(
    editor: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    editor.email = "editor@example.org"
    editor.save()
    users, events = User.objects.count(), AuditEvent.objects.count()
    with pytest.raises(team.TeamError, match=message) as refused:
        invite_rik(editor, **changes)
    assert refused.value.field == field
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)


def test_roles_change_to_exactly_those_given_and_the_change_is_audited(
    editor: Any, author: Any
) -> None:
    team.set_roles(actor=editor, user=author, role_names=[roles.REVIEWERS, roles.EDITORS])
    author = User.objects.get(pk=author.pk)
    assert team._roles_in_database(author) == [roles.EDITORS, roles.REVIEWERS]
    assert author.is_staff and author.has_perm("content.review_post")
    event = last_event()
    assert (event.action, event.actor) == (Action.ROLES_CHANGED, editor)
    assert event.details == {
        "user_id": author.pk,
        "username": "author",
        "before": [roles.AUTHORS],
        "after": [roles.EDITORS, roles.REVIEWERS],
    }
    team.set_roles(actor=editor, user=author, role_names=[roles.AUTHORS])
    assert not User.objects.get(pk=author.pk).is_staff


def test_saving_the_same_roles_records_nothing(editor: Any, author: Any) -> None:
    events = AuditEvent.objects.count()
    team.set_roles(actor=editor, user=author, role_names=[roles.AUTHORS])
    assert AuditEvent.objects.count() == events


def test_deactivating_and_reactivating_keep_the_account_and_its_roles(
    editor: Any, reviewer: Any
) -> None:
    team.deactivate(actor=editor, user=reviewer)
    reviewer = User.objects.get(pk=reviewer.pk)
    assert not reviewer.is_active
    assert (last_event().action, last_event().details["username"]) == (
        Action.USER_DEACTIVATED,
        "reviewer",
    )
    with pytest.raises(team.TeamError, match="deactivated already"):
        team.deactivate(actor=editor, user=reviewer)
    team.reactivate(actor=editor, user=reviewer)
    reviewer = User.objects.get(pk=reviewer.pk)
    assert reviewer.is_active and team._roles_in_database(reviewer) == [roles.REVIEWERS]
    assert last_event().action == Action.USER_REACTIVATED
    with pytest.raises(team.TeamError, match="active already"):
        team.reactivate(actor=editor, user=reviewer)


def test_an_editor_cannot_deactivate_themselves(editor: Any, make_user: Any) -> None:
    make_user("second_editor", roles.EDITORS)
    with pytest.raises(team.TeamError, match="cannot deactivate your own account"):
        team.deactivate(actor=editor, user=editor)
    assert User.objects.get(pk=editor.pk).is_active


def test_the_last_active_editor_is_neither_deactivated_nor_stripped_of_the_role(
    editor: Any, make_user: Any
) -> None:
    other = make_user("other_editor", roles.EDITORS)
    team.deactivate(actor=other, user=editor)  # two editors: one may go
    team.reactivate(actor=other, user=editor)
    team.set_roles(actor=editor, user=other, role_names=[roles.AUTHORS])
    # Now `editor` is the only one: no role change and no deactivation takes that away,
    # whoever asks (a superuser here, since no other editor is left).
    boss = User.objects.create_superuser("boss", password="x")
    events = AuditEvent.objects.count()
    with pytest.raises(team.TeamError, match="editor is the last active editor"):
        team.set_roles(actor=boss, user=editor, role_names=[roles.AUTHORS])
    with pytest.raises(team.TeamError, match="editor is the last active editor"):
        team.deactivate(actor=boss, user=editor)
    assert AuditEvent.objects.count() == events
    # Stepping down is fine once someone else is an editor again.
    team.set_roles(actor=editor, user=other, role_names=[roles.EDITORS])
    team.set_roles(actor=editor, user=editor, role_names=[roles.AUTHORS])


def test_a_deactivated_editor_does_not_count_as_an_active_one(editor: Any, make_user: Any) -> None:
    other = make_user("other_editor", roles.EDITORS)
    team.deactivate(actor=editor, user=other)
    boss = User.objects.create_superuser("boss", password="x")
    with pytest.raises(team.TeamError, match="last active editor"):
        team.deactivate(actor=boss, user=editor)


def test_an_editor_cannot_change_or_deactivate_a_superuser(editor: Any) -> None:
    boss = User.objects.create_superuser("boss", password="x")
    with pytest.raises(team.TeamError, match="superuser"):
        team.deactivate(actor=editor, user=boss)
    with pytest.raises(team.TeamError, match="superuser"):
        team.set_roles(actor=editor, user=boss, role_names=[roles.AUTHORS])


CHANGES: dict[str, Callable[[Any, Any], Any]] = {
    "invite": lambda actor, user: invite_rik(actor),
    "resend": lambda actor, user: team.resend_invitation(actor=actor, user=user),
    "set_roles": lambda actor, user: team.set_roles(
        actor=actor, user=user, role_names=[roles.EDITORS]
    ),
    "deactivate": lambda actor, user: team.deactivate(actor=actor, user=user),
    "reactivate": lambda actor, user: team.reactivate(actor=actor, user=user),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("who", ["author", "reviewer", "anonymous", "system"])
def test_nobody_but_an_editor_can_change_the_team_even_calling_the_service(
    change: str, who: str, author: Any, reviewer: Any, editor: Any
) -> None:
    invited = invite_rik(editor, username="sofie", email="sofie@example.org")
    actor = {
        "author": author,
        "reviewer": reviewer,
        "anonymous": AnonymousUser(),
        "system": actors.command("seed_demo", frozenset({"content.view_post"})),
    }[who]
    target = invited if change == "resend" else reviewer
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="Only editors can manage the team"):
        CHANGES[change](actor, target)
    assert AuditEvent.objects.count() == events
    assert User.objects.get(pk=reviewer.pk).is_active


def test_every_change_is_in_the_audit_log_and_the_chain_verifies(
    editor: Any, author: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        rik = invite_rik(editor)
        team.resend_invitation(actor=editor, user=rik)
    team.set_roles(actor=editor, user=rik, role_names=[roles.AUTHORS, roles.REVIEWERS])
    team.deactivate(actor=editor, user=author)
    team.reactivate(actor=editor, user=author)
    mine = AuditEvent.objects.filter(actor=editor).order_by("sequence")
    assert [(e.action, e.details["username"]) for e in mine] == [
        (Action.USER_INVITED, "rik"),
        (Action.INVITATION_RESENT, "rik"),
        (Action.ROLES_CHANGED, "rik"),
        (Action.USER_DEACTIVATED, "author"),
        (Action.USER_REACTIVATED, "author"),
    ]
    assert verify_chain().intact


def test_the_mail_task_sends_nothing_to_a_deactivated_or_already_set_up_account(
    editor: Any, author: Any, mailoutbox: Any
) -> None:
    rik = invite_rik(editor)  # not committed here: the task is called by hand below
    assert team.send_invitation_mail.call(rik.pk, editor.pk) is True
    assert len(mailoutbox) == 1 and "/studio/welcome/" in mailoutbox[0].body
    assert team.send_invitation_mail.call(author.pk, editor.pk) is False  # has a password
    team.deactivate(actor=editor, user=rik)
    assert team.send_invitation_mail.call(rik.pk, editor.pk) is False
    assert len(mailoutbox) == 1


# --- Two editors at once (real concurrent transactions, on SQLite and PostgreSQL) ----------


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db(transaction=True)
def test_two_editors_deactivating_each_other_at_once_leave_one_active_editor(
    editor: Any, make_user: Any
) -> None:
    other = make_user("other_editor", roles.EDITORS)
    outcomes = run_together(
        lambda: team.deactivate(actor=fresh(editor), user=fresh(other)),
        lambda: team.deactivate(actor=fresh(other), user=fresh(editor)),
    )
    done, refused = sorted(outcomes, key=lambda o: isinstance(o, Exception))
    assert isinstance(done, User), outcomes
    assert isinstance(refused, team.TeamError | PermissionDenied), outcomes  # as below
    active = User.objects.filter(groups__name=roles.EDITORS, is_active=True)
    assert active.count() == 1
    assert AuditEvent.objects.filter(action=Action.USER_DEACTIVATED).count() == 1
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_two_editors_taking_each_others_role_at_once_leave_one_editor(
    editor: Any, make_user: Any
) -> None:
    other = make_user("other_editor", roles.EDITORS)
    outcomes = run_together(
        lambda: team.set_roles(actor=fresh(editor), user=fresh(other), role_names=["Authors"]),
        lambda: team.set_roles(actor=fresh(other), user=fresh(editor), role_names=["Authors"]),
    )
    # The second is refused: as the last editor's role, or (when it reads its rights after the
    # first committed, as on SQLite) because its actor is no editor any more.
    done, refused = sorted(outcomes, key=lambda o: isinstance(o, Exception))
    assert isinstance(done, User), outcomes
    assert isinstance(refused, team.TeamError | PermissionDenied), outcomes
    assert User.objects.filter(groups__name=roles.EDITORS, is_active=True).count() == 1
    assert verify_chain().intact
