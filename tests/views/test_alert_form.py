"""The post form's "Alert facts" fieldset: asks a new alert for its facts, names what is wrong
on the field or row, keeps everything typed, and leaves older alerts without facts editable."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from content import workflow
from content.models import Post, PostKind
from content.revisions import create_post
from tests.support import ALERT_FORM_DATA, content_of, form_data
from tests.test_alert_facts import FACTS

CREATE = "content:post_create"


def edit_url(post: Post) -> str:
    return reverse("content:post_edit", args=[post.pk])


def test_a_new_alert_is_saved_with_its_facts(author_client: Any, languages: Any) -> None:
    response = author_client.post(reverse(CREATE), form_data(**{"found-1-name": "Caffeine"}))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.expect_latest_revision().facts == {
        "sold_as": "Ecstasy (orange Tesla)",
        "colour": "orange",
        "logo": "Tesla",
        "tested_on": "2026-11-20",
        "tested_at": "Brussels",
        "tested_by": "Drug checking service",
        "severity": "high_dose",
        "expires_on": "2027-02-20",
        "substances": [{"name": "MDMA", "amount": "240", "unit": "mg", "per": "pill"},
                       {"name": "Caffeine"}],
    }  # fmt: skip


def test_a_new_alert_without_facts_is_asked_for_each_and_keeps_what_was_typed(
    author_client: Any, languages: Any
) -> None:
    blank = {name: "" for name in ALERT_FORM_DATA if name.startswith("alert-")}
    empty_row = {"found-0-name": "", "found-0-amount": "", "found-0-unit": "", "found-0-per": ""}
    data = form_data(body="My alert text, kept.", **(blank | empty_row | {"alert-colour": "pink"}))
    response = author_client.post(reverse(CREATE), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Post.objects.exists()
    assert "Nothing was saved yet" in page
    assert "Sold as: a drug alert states this; fill it in." in page
    assert "Valid until: a drug alert states this; fill it in." in page
    assert "name at least one substance the lab found" in page
    assert "My alert text, kept." in page and 'value="pink"' in page


def test_an_implausible_amount_is_named_on_its_row_and_every_input_is_kept(
    author_client: Any, languages: Any
) -> None:
    data = form_data(**{"found-0-amount": "2400", "found-1-name": "Caffeine"})
    response = author_client.post(reverse(CREATE), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Post.objects.exists()
    assert "Substance 1 (MDMA): 2400 mg per pill is outside the plausible range 1 to 400 mg" in page
    assert 'value="2400"' in page and 'value="Caffeine"' in page
    assert 'value="Ecstasy (orange Tesla)"' in page and 'value="2027-02-20"' in page


def test_other_kinds_ignore_the_fieldset(author_client: Any, languages: Any) -> None:
    blank = {name: "" for name in ALERT_FORM_DATA if name.startswith("alert-")}
    response = author_client.post(reverse(CREATE), form_data(kind=PostKind.ARTICLE, **blank))
    assert response.status_code == 302
    assert Post.objects.get().expect_latest_revision().facts == {}


def test_editing_an_alert_shows_its_facts_and_a_changed_amount_is_a_new_revision(
    author_client: Any, author: Any, english: Any
) -> None:
    alert = create_post(author=author, language=english, kind=PostKind.DRUG_ALERT,
                        content=content_of(facts=FACTS))  # fmt: skip
    page = author_client.get(edit_url(alert)).content.decode()
    assert "Alert facts" in page and 'value="Modus Vivendi drug checking"' in page
    assert "never a person&#x27;s name: this is published." in page
    assert 'name="found-0-amount"' in page and 'value="240"' in page
    assert 'value="2026-11-20"' in page
    data = form_data(alert, **ALERT_FORM_DATA | {
        "alert-tested_on": "2026-11-20", "alert-expires_on": "2027-02-20",
        "alert-sold_as": FACTS["sold_as"], "alert-colour": "orange", "alert-logo": "Tesla",
        "alert-shape": "shield", "alert-weight_mg": "410", "alert-tested_at": "Brussels",
        "alert-tested_by": FACTS["tested_by"], "found-0-amount": "250",
        "found-1-name": "Caffeine",
    })  # fmt: skip
    response = author_client.post(edit_url(alert), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = Post.objects.get(pk=alert.pk).expect_latest_revision()
    assert latest.number == 2 and latest.facts["substances"][0]["amount"] == "250"


def test_an_old_alert_without_facts_is_asked_for_them_but_saves_without(
    author_client: Any, author: Any, english: Any
) -> None:
    old = create_post(author=author, language=english, kind=PostKind.DRUG_ALERT,
                      content=content_of())  # fmt: skip
    page = author_client.get(edit_url(old)).content.decode()
    assert "This alert states no facts yet. Please add them" in page
    blank = {name: "" for name in ALERT_FORM_DATA if name.startswith(("alert-", "found-0-"))}
    fieldset = ALERT_FORM_DATA | blank
    response = author_client.post(edit_url(old), form_data(old, title="Edited", **fieldset))
    assert response.status_code == 302
    assert Post.objects.get(pk=old.pk).expect_latest_revision().facts == {}
    # Once any fact is given, the required ones are needed.
    partial = form_data(old, title="Edited again", **fieldset | {"alert-colour": "pink"})
    refused = author_client.post(edit_url(old), partial)
    assert (
        refused.status_code == 200
        and "Sold as: a drug alert states this" in refused.content.decode()
    )


def test_an_article_has_no_alert_fieldset(author_client: Any, post: Post) -> None:
    assert "Alert facts" not in author_client.get(edit_url(post)).content.decode()


def test_the_studio_post_and_review_pages_show_the_block_readers_will_see(
    author_client: Any, author: Any, reviewer: Any, english: Any, client: Any
) -> None:
    alert = create_post(author=author, language=english, kind=PostKind.DRUG_ALERT,
                        content=content_of(facts=FACTS))  # fmt: skip
    workflow.submit_for_review(post=alert, actor=author)
    detail = author_client.get(reverse("content:post_detail", args=[alert.pk])).content.decode()
    client.force_login(reviewer)
    review = client.get(reverse("content:review_post", args=[alert.pk])).content.decode()
    for page in (detail, review):
        block = page[page.index('class="rendered before-text"') :]
        assert block.index("<td>MDMA</td>") < block.index("damage</strong> the bladder")
        assert "Modus Vivendi drug checking" in block and "2027-02-20" in block
