"""A cached post page and API answer offer a signed copy only while its profile and key sign:
switching a key off, retiring or revoking it, or changing a profile in the admin makes every
cached public page stale at once (content.models.PublicVersion)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory

from content import signing_keys
from content.models import ExportProfile, Post

SIGNED = "<h2>Signed copies</h2>"


@pytest.fixture(autouse=True)
def _keys(export_settings: Any) -> Any:
    return export_settings


def page(client: Any, post: Post) -> str:
    response = client.get(post.get_public_url())
    assert response.status_code == 200
    return str(response.content.decode())


def api_signed(client: Any, post: Post) -> list[str]:
    answer = client.get(f"/api/v1/posts/{post.language.code}/{post.slug}/").json()
    return [copy["profile"] for copy in answer.get("signed", [])]


def test_switching_the_key_off_takes_the_copies_off_cached_pages(
    client: Any, published: Post, signed_profile: ExportProfile, editor: Any
) -> None:
    assert SIGNED in page(client, published)
    assert api_signed(client, published) == ["phpbb"]
    key = signed_profile.signing_key
    assert key is not None
    signing_keys.set_key_active(key=key, actor=editor, active=False)
    assert SIGNED not in page(client, published)
    assert api_signed(client, published) == []
    signing_keys.set_key_active(key=key, actor=editor, active=True)
    assert SIGNED in page(client, published)


def test_retiring_the_key_takes_the_copies_off_cached_pages(
    client: Any, published: Post, signed_profile: ExportProfile, editor: Any
) -> None:
    assert SIGNED in page(client, published)
    key = signed_profile.signing_key
    assert key is not None
    signing_keys.retire_signing_key(key=key, actor=editor, reason="Replaced")
    assert SIGNED not in page(client, published)
    assert api_signed(client, published) == []


def test_a_profile_changed_in_the_admin_shows_on_cached_pages(
    client: Any, published: Post, signed_profile: ExportProfile, editor: Any
) -> None:
    assert SIGNED in page(client, published)
    request = RequestFactory().post("/")
    request.user = editor
    model_admin = admin_site._registry[ExportProfile]
    form_class = model_admin.get_form(request, signed_profile, change=True)
    data = {
        name: value
        for name, value in form_class(instance=signed_profile).initial.items()
        if value is not None
    }
    data["sign"] = ""  # unticked
    form = form_class(data, instance=signed_profile)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    assert SIGNED not in page(client, published)
    assert api_signed(client, published) == []
