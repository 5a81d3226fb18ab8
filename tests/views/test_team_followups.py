"""Invitations, continued: accepting one is audited and the team page says when the person
joined; the link lives INVITATION_TIMEOUT (a week), not the password reset's hour, and an
expired one says to ask for a new one, which the editor sends from the team page; an e-mail
address belongs to one account, case ignored, in the service and in the database."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from content import roles, team
from content.models import AuditEvent
from tests.views.test_team_invitation import (
    NEW_PASSWORD,
    invite_through_the_page,
    link_from_the_mail,
    set_password,
    sign_in,
)

MIGRATION = "content.migrations.0021_team_followups"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """`with committed():` runs the on-commit callbacks (the mail task) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def accepted() -> Any:
    return AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_ACCEPTED)


def test_setting_the_password_is_audited_and_the_team_page_says_when_they_joined(
    client: Any, settings: Any, editor: Any, committed: Any
) -> None:
    invite_through_the_page(client, editor, committed)
    set_password(client, link_from_the_mail(settings))
    rik = User.objects.get(username="rik")
    event = accepted().get()
    assert event.actor == rik and event.details["username"] == "rik"
    client.force_login(editor)
    log = client.get(reverse("content:audit_log")).content.decode()
    assert "Invitation accepted: password set" in log
    page = client.get(reverse("content:team")).content.decode()
    assert f"joined on {timezone.localdate(event.created_at):%Y-%m-%d}" in page


def test_an_invitee_who_never_set_a_password_has_not_joined(
    client: Any, editor: Any, committed: Any
) -> None:
    invite_through_the_page(client, editor, committed)
    client.force_login(editor)
    page = client.get(reverse("content:team")).content.decode()
    assert "invited, no password yet" in page and "joined on" not in page
    assert not accepted().exists()


def later(monkeypatch: Any, seconds: int) -> None:
    """Travel `seconds` into the future, for the invitation's token only."""
    now = team.invitation_tokens._now()
    monkeypatch.setattr(
        team.invitation_tokens, "_now", lambda: now + datetime.timedelta(seconds=seconds)
    )


def test_the_default_lifetime_is_a_week_and_longer_than_a_password_reset(settings) -> None:
    assert settings.INVITATION_TIMEOUT == 7 * 24 * 3600
    assert settings.INVITATION_TIMEOUT > settings.PASSWORD_RESET_TIMEOUT


def test_the_link_still_works_after_the_reset_timeout(
    client: Any, settings: Any, editor: Any, committed: Any, monkeypatch: Any
) -> None:
    invite_through_the_page(client, editor, committed)
    later(monkeypatch, settings.PASSWORD_RESET_TIMEOUT + 60)
    done = set_password(client, link_from_the_mail(settings))
    assert b"Your password is set" in done.content


def test_an_expired_link_says_so_and_the_editor_sends_a_new_one_that_works(
    client: Any, settings: Any, editor: Any, committed: Any, monkeypatch: Any
) -> None:
    invite_through_the_page(client, editor, committed)
    old_link = link_from_the_mail(settings)
    later(monkeypatch, settings.INVITATION_TIMEOUT + 60)
    page = client.get(old_link, follow=True).content.decode()
    assert "This invitation has expired" in page and "Ask the editor" in page
    assert "new_password1" not in page

    rik = User.objects.get(username="rik")
    client.force_login(editor)
    team_page = client.get(reverse("content:team")).content.decode()
    assert reverse("content:team_resend", args=[rik.pk]) in team_page
    mail.outbox.clear()
    with committed():
        client.post(reverse("content:team_resend", args=[rik.pk]))
    client.logout()
    assert b"Your password is set" in set_password(client, link_from_the_mail(settings)).content
    assert sign_in(client, "rik", NEW_PASSWORD).status_code == 302


def test_a_used_or_wrong_link_is_not_called_expired(
    client: Any, settings: Any, editor: Any, committed: Any
) -> None:
    invite_through_the_page(client, editor, committed)
    link = link_from_the_mail(settings)
    set_password(client, link)
    page = client.get(link, follow=True).content.decode()
    assert "This link does not work" in page and "has expired" not in page


def test_a_password_reset_token_is_no_invitation(client: Any, editor: Any, committed: Any) -> None:
    invite_through_the_page(client, editor, committed)
    rik = User.objects.get(username="rik")
    uid = urlsafe_base64_encode(force_bytes(rik.pk))
    reset = default_token_generator.make_token(rik)
    page = client.get(reverse("content:team_welcome", args=[uid, reset]), follow=True)
    assert b"This link does not work" in page.content
    assert team.invitation_tokens.check_token(rik, team.invitation_tokens.make_token(rik))


# --- One account per address --------------------------------------------------------------


def test_the_service_refuses_an_address_taken_in_another_case(editor: Any, make_user) -> None:
    make_user("anna", roles.AUTHORS, email="Anna@Example.org")
    with pytest.raises(team.TeamError, match="already has an account") as refused:
        team.invite(
            actor=editor, username="anna2", email="anna@example.org", role_names=[roles.AUTHORS]
        )
    assert refused.value.field == "email"


def test_the_database_refuses_a_second_account_with_the_address_in_another_case(
    make_user,
) -> None:
    make_user("anna", email="anna@example.org")
    make_user("nobody-1")
    make_user("nobody-2")  # accounts without an address are not one address
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("anna2", email="ANNA@example.org")


def test_an_invitation_racing_another_for_the_same_address_gets_the_address_message(
    editor: Any, make_user, monkeypatch: Any
) -> None:
    make_user("anna", email="anna@example.org")
    # As if the other invitation committed between the check and the insert.
    original = User.objects.filter

    def filter_missing_the_other(*args: Any, **kwargs: Any) -> Any:
        if "email__iexact" in kwargs:
            monkeypatch.setattr(User.objects, "filter", original)
            return original(pk=-1)
        return original(*args, **kwargs)

    monkeypatch.setattr(User.objects, "filter", filter_missing_the_other)
    with pytest.raises(team.TeamError, match="already has an account") as refused:
        team.invite(
            actor=editor, username="anna2", email="Anna@example.org", role_names=[roles.AUTHORS]
        )
    assert refused.value.field == "email"


def test_the_migration_names_the_accounts_that_share_an_address(make_user) -> None:
    refuse = __import__(MIGRATION, fromlist=["refuse_duplicate_emails"]).refuse_duplicate_emails
    refuse(apps, None)  # none shared: nothing to say
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX auth_user_email_lower_unique")  # undone with the test
    make_user("anna", email="anna@example.org")
    make_user("anna2", email="ANNA@example.org")
    make_user("bob", email="bob@example.org")
    with pytest.raises(RuntimeError) as refused:
        refuse(apps, None)
    message = str(refused.value)
    assert "anna@example.org: anna, anna2" in message and "bob" not in message
