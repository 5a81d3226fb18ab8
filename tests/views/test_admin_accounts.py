"""One account per e-mail address (capitals ignored), wherever an address is set: the admin's
change and add forms and the team page answer another account's address with a field error,
never the unique index's server error, and change nothing; the demo leaves such an address to
the account that has it."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from content import roles

IN_USE = "Another account already has the address"


@pytest.fixture
def superuser_client(client: Any, make_user: Any) -> Any:
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def anna(make_user: Any) -> Any:
    return make_user("anna", roles.AUTHORS, email="anna@example.org")


@pytest.fixture
def bram(make_user: Any) -> Any:
    return make_user("bram", roles.AUTHORS, email="bram@example.org", first_name="Bram")


def change(client: Any, user: User, email: str) -> Any:
    """The admin's change form for `user`, posted as shown, with `email` and a new first name."""
    data = {
        "username": user.username,
        "first_name": "Changed",
        "last_name": user.last_name,
        "email": email,
        "is_active": "on",
        "groups": [str(g.pk) for g in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), data)


@pytest.mark.parametrize("taken", ["anna@example.org", "ANNA@Example.ORG"])
def test_the_admin_change_form_refuses_another_accounts_address(
    superuser_client: Any, anna: Any, bram: Any, taken: str
) -> None:
    response = change(superuser_client, bram, taken)
    assert response.status_code == 200
    page = response.content.decode()
    assert IN_USE in page and 'class="errorlist' in page
    assert "each account needs an address of its own" in page
    bram.refresh_from_db()
    assert (bram.email, bram.first_name) == ("bram@example.org", "Bram")


def test_the_admin_change_form_saves_a_free_address_or_the_own_in_other_capitals(
    superuser_client: Any, anna: Any, bram: Any
) -> None:
    assert change(superuser_client, bram, "bram.new@example.org").status_code == 302
    bram.refresh_from_db()
    assert (bram.email, bram.first_name) == ("bram.new@example.org", "Changed")
    assert change(superuser_client, bram, "Bram.New@example.org").status_code == 302


def test_the_admin_change_form_lets_several_accounts_have_no_address(
    superuser_client: Any, make_user: Any, bram: Any
) -> None:
    make_user("nobody")
    assert change(superuser_client, bram, "").status_code == 302
    bram.refresh_from_db()
    assert bram.email == ""


def add(client: Any, username: str, email: str) -> Any:
    data = {
        "username": username,
        "email": email,
        "usable_password": "true",
        "password1": "a long enough pass phrase 42",
        "password2": "a long enough pass phrase 42",
    }
    return client.post(reverse("admin:auth_user_add"), data)


def test_the_admin_add_form_asks_an_address_and_refuses_another_accounts(
    superuser_client: Any, anna: Any
) -> None:
    form = superuser_client.get(reverse("admin:auth_user_add")).content.decode()
    assert 'name="email"' in form
    response = add(superuser_client, "anna2", "Anna@example.org")
    assert response.status_code == 200
    assert IN_USE in response.content.decode()
    assert not User.objects.filter(username="anna2").exists()

    assert add(superuser_client, "carla", "carla@example.org").status_code == 302
    assert User.objects.get(username="carla").email == "carla@example.org"


def test_the_team_page_refuses_an_address_taken_in_other_capitals(
    client: Any, editor: Any, anna: Any
) -> None:
    client.force_login(editor)
    data = {"username": "anna2", "email": "ANNA@example.org", "roles": [roles.AUTHORS]}
    response = client.post(reverse("content:team_invite"), data)
    assert response.status_code == 400
    assert "already has an account" in response.content.decode()
    assert response.context["invite_form"].has_error("email")
    assert not User.objects.filter(username="anna2").exists()


def test_the_demo_gives_no_demo_account_an_address_another_account_has(make_user: Any) -> None:
    make_user("anna.real", email="Anna@example.org")
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.get(username="anna").email == ""
    assert User.objects.get(username="anna.real").email == "Anna@example.org"
    assert User.objects.get(username="bram").email == "bram@example.org"
