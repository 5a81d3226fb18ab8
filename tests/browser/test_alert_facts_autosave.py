"""A drug alert's facts typed into the edit form are kept by autosave like its text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content.models import PostKind
from content.revisions import create_post
from tests.browser.helpers import log_in
from tests.support import content_of
from tests.test_alert_facts import FACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alert_facts_typed_and_left_unsaved_are_offered_back(
    page, live_server, author, languages
) -> None:
    alert = create_post(author=author, language=languages["en"], kind=PostKind.DRUG_ALERT,
                        content=content_of(facts=FACTS))  # fmt: skip
    edit = f"{live_server.url}/studio/posts/{alert.pk}/edit/"
    log_in(page, live_server, "author")
    context = page.context
    page.goto(edit)
    page.fill("input[name=found-0-amount]", "260")
    page.fill("input[name=found-2-name]", "Caffeine")
    page.select_option("select[name=alert-severity]", "dangerous_adulterant")
    page.fill("input[name=alert-colour]", "dark orange")
    page.wait_for_timeout(900)  # past the pause after typing
    page.close()  # the tab closed without saving

    again = context.new_page()
    again.goto(edit)
    expect(again.locator(".autosave-notice")).to_be_visible()
    assert again.input_value("input[name=found-0-amount]") == "260"
    assert again.input_value("input[name=found-2-name]") == "Caffeine"
    assert again.input_value("select[name=alert-severity]") == "dangerous_adulterant"
    assert again.input_value("input[name=alert-colour]") == "dark orange"
