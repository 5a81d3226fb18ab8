"""The editor's preview of the blocks before the text: a drug alert's facts and the interaction
warnings, from the form's current values, checked as a save checks them (POST, CSRF, the
writer's permission); the answer is safe HTML or the messages a save would show."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from content.models import PostKind
from tests.support import ALERT_FORM_DATA

URL = reverse("content:facts_preview")


def alert(**changes: str) -> dict[str, str]:
    """The new-post form of a drug alert, as the editor's script posts it (no text fields)."""
    return {"kind": PostKind.DRUG_ALERT, "substances": ""} | ALERT_FORM_DATA | changes


def test_a_valid_alert_previews_its_facts_as_readers_will_see_them(
    client: Any, author: Any
) -> None:
    client.force_login(author)
    answer = client.post(URL, alert(**{"found-0-amount": "263"}))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Drug checking result" in html
    assert "263" in html and "MDMA" in html
    assert "<table>" in html  # the substances found, as a table
    assert "Ecstasy (orange Tesla)" in html
    assert "errors" not in html


def test_the_facts_are_checked_as_a_save_checks_them(client: Any, author: Any) -> None:
    client.force_login(author)
    answer = client.post(
        URL,
        alert(**{"alert-expires_on": "", "found-0-amount": "9000", "alert-tested_on": "not a day"}),
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "a save would be refused" in html
    assert "Tested on: Enter a valid date." in html
    assert "Drug checking result" not in html


def test_a_rule_of_the_facts_names_its_substance_row(client: Any, author: Any) -> None:
    client.force_login(author)
    answer = client.post(URL, alert(**{"found-0-amount": "9000", "alert-expires_on": ""}))
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Substance 1 (MDMA): 9000 mg per pill is outside the plausible range" in html
    assert "Valid until: a drug alert states this" in html


def test_the_substance_tags_give_the_interaction_warning(client: Any, author: Any) -> None:
    client.force_login(author)
    # An edit page of an article: no kind, no facts fieldset.
    answer = client.post(URL, {"substances": "MDMA, tramadol", "preview_language": "fr"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "MDMA + tramadol" in html
    assert "Attention : mélanges dangereux" in html  # in the post's language
    assert "Drug checking result" not in html


def test_an_alert_s_substances_found_and_sold_as_give_warnings_too(
    client: Any, author: Any
) -> None:
    client.force_login(author)
    answer = client.post(
        URL, alert(**{"alert-sold_as": "Tramadol", "substances": "", "found-0-name": "MDMA"})
    )
    assert answer.status_code == 200
    assert "MDMA + tramadol" in answer.content.decode().replace("Tramadol", "tramadol")


def test_an_article_s_facts_fields_are_ignored(client: Any, author: Any) -> None:
    client.force_login(author)
    data = alert(kind=PostKind.ARTICLE, **{"alert-expires_on": "nonsense"})
    answer = client.post(URL, data)
    assert answer.status_code == 200
    assert "Drug checking result" not in answer.content.decode()


def test_nothing_to_show_says_so(client: Any, author: Any) -> None:
    client.force_login(author)
    answer = client.post(URL, {"substances": "MDMA"})
    assert answer.status_code == 200
    assert "No facts and no dangerous combination to show yet." in answer.content.decode()


def test_what_the_author_typed_never_becomes_markup(client: Any, author: Any) -> None:
    client.force_login(author)
    typed = "[click](https://evil.example) <script>alert(1)</script> **bold**"
    answer = client.post(URL, alert(**{"alert-sold_as": typed, "alert-colour": "<b>red</b>"}))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "<script" not in html and "<b>" not in html and "<strong>bold" not in html
    assert 'href="https://evil.example"' not in html


def test_a_request_without_the_csrf_token_is_refused(author: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    assert strict.post(URL, alert()).status_code == 403


@pytest.mark.parametrize("method", ["get", "put"])
def test_only_post_is_answered(client: Any, author: Any, method: str) -> None:
    client.force_login(author)
    assert getattr(client, method)(URL).status_code == 405


def test_someone_who_may_not_write_is_refused(client: Any, make_user: Any) -> None:
    client.force_login(make_user("nobody"))
    assert client.post(URL, alert()).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client: Any) -> None:
    answer = client.post(URL, alert())
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_the_edit_form_holds_the_panel_hidden_until_the_script_fills_it(
    client: Any, author: Any
) -> None:
    client.force_login(author)
    page = client.get(reverse("content:post_create")).content.decode()
    assert f'data-facts-preview-url="{URL}"' in page
    assert 'class="facts-preview"' in page and "hidden>" in page
    assert "content/facts_preview.js" in page
