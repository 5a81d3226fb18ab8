"""The team page through the test client: what editors see and do, what everyone else is refused,
CSRF on every form, and bad input answered with a message and the values typed."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from content import roles, team
from content.models import AuditEvent

TEAM = reverse("content:team")


def member_urls(pk: int) -> list[str]:
    names = ["team_roles", "team_deactivate", "team_reactivate", "team_resend"]
    return [reverse(f"content:{name}", args=[pk]) for name in names]


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_an_editor_sees_the_team_with_names_addresses_roles_state_and_last_login(
    client: Any, editor: Any, make_user: Any
) -> None:
    make_user("sofie", roles.REVIEWERS, first_name="Sofie", last_name="Peeters", email="s@x.org")
    both = make_user("anna", roles.AUTHORS)
    both.groups.add(*both.groups.model.objects.filter(name=roles.REVIEWERS))
    gone = make_user("gone", roles.AUTHORS)
    team.deactivate(actor=editor, user=gone)
    client.force_login(editor)
    page = text(client.get(TEAM))
    assert "Sofie Peeters" in page and "s@x.org" in page
    assert 'value="Reviewers" id="id_member-' in page and "checked" in page
    assert "deactivated" in page and "Reactivate" in page
    assert "never" in page  # sofie's last login
    assert "Invite a colleague" in page
    # No button to deactivate oneself.
    assert reverse("content:team_deactivate", args=[editor.pk]) not in page


def test_the_team_page_runs_the_same_queries_for_more_members(
    client: Any, editor: Any, make_user: Any, assert_constant_queries: Any
) -> None:
    client.force_login(editor)
    added = iter(range(1000))

    def add_rows(count: int) -> None:
        for _ in range(count):
            make_user(f"member{next(added)}", roles.AUTHORS)

    assert assert_constant_queries(lambda: client.get(TEAM), add_rows).status_code == 200


@pytest.mark.parametrize("role", [roles.AUTHORS, roles.REVIEWERS])
def test_non_editors_get_403_on_every_team_url_and_change_nothing(
    client: Any, make_user: Any, editor: Any, role: str
) -> None:
    client.force_login(make_user("someone", role))
    events = AuditEvent.objects.count()
    assert client.get(TEAM).status_code == 403
    assert client.get(reverse("content:team_invite")).status_code == 403
    data = {"username": "x", "email": "x@example.org", "roles": [roles.EDITORS]}
    assert client.post(reverse("content:team_invite"), data).status_code == 403
    for url in member_urls(editor.pk):
        assert client.get(url).status_code == 403
        data = {f"member-{editor.pk}-roles": [roles.AUTHORS]}
        assert client.post(url, data).status_code == 403
    assert AuditEvent.objects.count() == events and not User.objects.filter(username="x")
    assert User.objects.get(pk=editor.pk).is_active


def test_anonymous_visitors_are_sent_to_sign_in(client: Any, editor: Any) -> None:
    for url in [TEAM, reverse("content:team_invite"), *member_urls(editor.pk)]:
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_every_team_form_needs_the_csrf_token(editor: Any, author: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    page = text(browser.get(TEAM))
    assert page.count("<form") == page.count('name="csrfmiddlewaretoken"')
    data = {"username": "x", "email": "x@example.org", "roles": [roles.AUTHORS]}
    assert browser.post(reverse("content:team_invite"), data).status_code == 403
    for url in member_urls(author.pk):
        assert browser.post(url, {f"member-{author.pk}-roles": [roles.EDITORS]}).status_code == 403
    assert not User.objects.filter(username="x").exists()
    assert User.objects.get(pk=author.pk).is_active


def test_the_team_actions_take_only_posts(client: Any, editor: Any) -> None:
    client.force_login(editor)
    assert client.get(reverse("content:team_invite")).status_code == 405
    for url in member_urls(editor.pk):
        assert client.get(url).status_code == 405


def test_an_invitation_from_the_page_is_confirmed_and_listed(client: Any, editor: Any) -> None:
    client.force_login(editor)
    data = {"username": "rik", "email": "rik@example.org", "roles": [roles.REVIEWERS]}
    page = text(client.post(reverse("content:team_invite"), data, follow=True))
    assert "rik is invited: a link to choose a password is on its way to rik@example.org" in page
    assert "invited, no password yet" in page and "Send the invitation again" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "author"}, "The user name “author” is taken"),
        ({"email": "author@example.org"}, "author@example.org already has an account"),
        ({"email": "not an address"}, "Enter a valid email address"),
        ({"roles": ["Superusers"]}, "Select a valid choice"),
        ({"roles": []}, "This field is required"),
    ],
)
def test_a_bad_invitation_shows_why_and_keeps_what_was_typed(
    client: Any, editor: Any, make_user: Any, changes: dict[str, Any], message: str
) -> None:
    make_user("author", roles.AUTHORS, email="author@example.org")
    client.force_login(editor)
    data = {
        "username": "rik2",
        "email": "rik@example.org",
        "first_name": "Rik",
        "last_name": "Janssens",
        "roles": [roles.REVIEWERS],
    } | changes
    response = client.post(reverse("content:team_invite"), data)
    page = text(response)
    assert response.status_code == 400 and message in page
    assert f'value="{data["username"]}"' in page and f'value="{data["email"]}"' in page
    assert 'value="Janssens"' in page
    assert User.objects.count() == 2


def test_changing_roles_from_the_page(client: Any, editor: Any, author: Any) -> None:
    client.force_login(editor)
    field = f"member-{author.pk}-roles"
    url = reverse("content:team_roles", args=[author.pk])
    page = text(client.post(url, {field: [roles.AUTHORS, roles.REVIEWERS]}, follow=True))
    assert "author's roles are saved" in page
    assert team._roles_in_database(author) == [roles.AUTHORS, roles.REVIEWERS]
    response = client.post(url, {field: ["Superusers"]})
    assert response.status_code == 400 and "Select a valid choice" in text(response)
    assert "author's roles were not changed" in text(response)


def test_taking_the_last_editors_role_is_refused_with_the_reason_and_their_choice_kept(
    client: Any, editor: Any
) -> None:
    client.force_login(editor)
    field = f"member-{editor.pk}-roles"
    url = reverse("content:team_roles", args=[editor.pk])
    response = client.post(url, {field: [roles.AUTHORS]})
    page = text(response)
    assert response.status_code == 400 and "editor is the last active editor" in page
    chosen = f'name="{field}" value="Authors" id="id_{field}_0" checked'
    assert chosen in page.replace("\n", " ").replace("  ", " ")
    assert team._roles_in_database(editor) == [roles.EDITORS]


def test_deactivating_oneself_from_the_page_is_refused_with_a_message(
    client: Any, editor: Any, make_user: Any
) -> None:
    make_user("second", roles.EDITORS)
    client.force_login(editor)
    url = reverse("content:team_deactivate", args=[editor.pk])
    page = text(client.post(url, follow=True))
    assert "You cannot deactivate your own account; ask another editor." in page
    assert User.objects.get(pk=editor.pk).is_active


def test_deactivating_and_reactivating_from_the_page(client: Any, editor: Any, author: Any) -> None:
    client.force_login(editor)
    page = text(client.post(reverse("content:team_deactivate", args=[author.pk]), follow=True))
    assert "author is deactivated" in page
    page = text(client.post(reverse("content:team_reactivate", args=[author.pk]), follow=True))
    assert "author is active again" in page
    assert User.objects.get(pk=author.pk).is_active


def test_the_team_page_and_the_invitations_page_are_never_stored(client: Any, editor: Any) -> None:
    welcome = reverse("content:team_welcome", kwargs={"uidb64": "MQ", "token": "not-a-token"})
    answers = [client.get(welcome), client.get(reverse("content:team_welcome_done"))]
    client.force_login(editor)
    answers.append(client.get(TEAM))
    for answer in answers:
        assert answer.status_code == 200
        directives = {d.strip() for d in answer["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives
    assert b"This link does not work" in answers[0].content
