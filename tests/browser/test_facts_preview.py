"""The editor previews, before saving, the blocks readers will see before the text: a drug
alert's facts and the interaction warnings of what the form names (facts_preview.js)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from content.models import PostKind, Substance, SubstanceBound
from content.revisions import create_post
from tests.browser.helpers import log_in
from tests.support import content_of
from tests.test_alert_facts import FACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def interaction_table(db: object) -> None:
    """The seeded table of pairs and the plausible amounts (migrations write them; a
    transactional test's flush empties them)."""
    if not Substance.objects.exists():
        importlib.import_module("content.migrations.0027_interactions").seed_table(apps, None)
    if not SubstanceBound.objects.exists():
        importlib.import_module("content.migrations.0025_alert_facts").seed_bounds(apps, None)


def test_typing_an_amount_and_tags_updates_the_preview_panel(
    page, live_server, author, languages, interaction_table
) -> None:
    alert = create_post(author=author, language=languages["en"], kind=PostKind.DRUG_ALERT,
                        content=content_of(facts=FACTS))  # fmt: skip
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/{alert.pk}/edit/")
    panel = page.locator("section.facts-preview")
    expect(panel).to_be_visible()  # the script shows it, filled from the form as it is
    expect(panel).to_contain_text("Drug checking result")

    page.fill("input[name=found-0-amount]", "263")
    expect(panel.locator("table")).to_contain_text("263")

    page.fill("input[name=substances]", "MDMA, tramadol")
    expect(panel).to_contain_text("Warning: dangerous combinations")
    expect(panel).to_contain_text("MDMA + tramadol")

    page.fill("input[name=found-0-amount]", "9000")  # outside the plausible range
    expect(panel.locator(".errors")).to_contain_text("a save would be refused")


def test_without_scripts_the_panel_stays_hidden_and_the_form_still_saves(
    browser, live_server, author, languages
) -> None:
    alert = create_post(author=author, language=languages["en"], kind=PostKind.DRUG_ALERT,
                        content=content_of(facts=FACTS))  # fmt: skip
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/{alert.pk}/edit/")
    expect(page.locator("section.facts-preview")).to_be_hidden()
    page.fill("input[name=found-0-amount]", "263")
    page.fill("input[name=change_note]", "New lab result")
    page.click("form.post-form button[type=submit]")
    expect(page.locator("main")).to_contain_text("263")  # the post page shows the saved facts
    context.close()
