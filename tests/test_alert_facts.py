"""A drug alert's facts: declared in the one content schema, hashed, diffed, read typed."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from content import approval_rules, workflow
from content.alert_rules import AlertFactsInvalid, check_facts, upload_prefix
from content.alerts import AlertFacts, SubstanceFound, expires_on, facts_of
from content.diffs import compare
from content.models import Post, PostKind, SubstanceBound
from content.revision_schema import RevisionContent
from content.revisions import create_post, save_revision
from tests.support import content_of

FACTS: dict[str, Any] = {
    "sold_as": "Ecstasy (orange Tesla)",
    "substances": [
        {"name": "MDMA", "amount": "240", "unit": "mg", "per": "pill"},
        {"name": "Caffeine", "amount": "", "unit": "", "per": ""},
    ],
    "colour": "orange",
    "logo": "Tesla",
    "shape": "shield",
    "weight_mg": "410",
    "tested_on": "2026-11-20",
    "tested_at": "Brussels",
    "tested_by": "Modus Vivendi drug checking",
    "severity": "high_dose",
    "expires_on": "2027-02-20",
}


def with_amount(amount: str) -> dict[str, Any]:
    rows = [dict(FACTS["substances"][0], amount=amount), FACTS["substances"][1]]
    return FACTS | {"substances": rows}


def test_content_without_facts_keeps_the_hash_it_always_had() -> None:
    plain = content_of()
    assert dataclasses.replace(plain, facts={}).content_hash == plain.content_hash
    assert dataclasses.replace(plain, facts={"colour": "  "}).content_hash == plain.content_hash


def test_structured_facts_are_hashed_in_canonical_form() -> None:
    alert = content_of(facts=FACTS)
    assert alert.content_hash != content_of().content_hash
    spaced = FACTS | {"sold_as": " Ecstasy  (orange Tesla) ", "colour": "orange"}
    assert content_of(facts=spaced).content_hash == alert.content_hash
    assert content_of(facts=with_amount("250")).content_hash != alert.content_hash
    # Stored as plain JSON, read back the same: the hash of a stored revision does not drift.
    assert content_of(facts=alert.columns()["facts"]).content_hash == alert.content_hash


def test_the_diff_shows_a_changed_amount_as_a_changed_substance_line() -> None:
    rows = {
        d.label: d for d in compare(content_of(facts=FACTS), content_of(facts=with_amount("250")))
    }
    changed = [label for label, d in rows.items() if d.changed]
    assert changed == ["Substances found"]
    html = str(rows["Substances found"].html)
    assert "240" in html and "250" in html and "Caffeine" in html
    assert not rows["Severity"].changed and "High dose" in str(rows["Severity"].html)


def test_facts_are_read_typed_and_missing_facts_are_not_stated() -> None:
    facts = facts_of(content_of(facts=FACTS))
    assert facts is not None
    assert facts.substances[0] == SubstanceFound("MDMA", Decimal(240), "mg", "pill")
    assert facts.substances[1] == SubstanceFound("Caffeine")
    assert facts.weight_mg == Decimal(410)
    assert facts.tested_on == datetime.date(2026, 11, 20)
    assert expires_on(content_of(facts=FACTS)) == datetime.date(2027, 2, 20)
    assert facts_of(content_of()) is None and expires_on(content_of()) is None
    assert expires_on(None) is None
    damaged = facts_of(RevisionContent(title="T", body="B", facts={"expires_on": "soon"}))
    assert damaged == AlertFacts() and expires_on(content_of(facts={"expires_on": "x"})) is None


# --- The rules (content.alert_rules), for the form and save_revision() alike -----------------


def messages_for(facts: dict[str, Any], *, required: bool = True) -> list[str]:
    today = datetime.date(2026, 12, 1)
    return [str(error.message) for error in check_facts(facts, required=required, today=today)]


def test_complete_plausible_facts_pass(db: Any) -> None:
    assert messages_for(FACTS) == []


def test_a_new_alert_states_the_required_facts_and_each_missing_one_is_named(db: Any) -> None:
    found = messages_for({"colour": "pink"})
    for label in ("Sold as", "Tested on", "Tested by", "Severity", "Valid until"):
        assert any(message.startswith(label) for message in found), (label, found)
    assert any("name at least one substance" in message for message in found)
    assert messages_for({}, required=False) == []  # an older alert without facts


@pytest.mark.parametrize(("row", "expected"), [
    ({"name": "MDMA", "amount": "900", "unit": "mg", "per": "pill"},
     "Substance 1 (MDMA): 900 mg per pill is outside the plausible range 1 to 400 mg"),
    ({"name": "LSD", "amount": "0.5", "unit": "µg", "per": "blotter"},
     "Substance 1 (LSD): 0.5 µg per blotter is outside the plausible range 1 to 500 µg"),
    ({"name": "2c b", "amount": "80", "unit": "mg", "per": "pill"},
     "outside the plausible range 1 to 60 mg"),
    ({"name": "MDMA", "amount": "150", "unit": "µg", "per": "pill"},
     "Substance 1 (MDMA): amounts of MDMA are given as"),
    ({"name": "Cocaine", "amount": "80", "unit": "%", "per": "pill"},
     "Substance 1 (Cocaine): a percentage is per gram"),
    ({"name": "Speed", "amount": "300", "unit": "µg", "per": "gram"},
     "Substance 1 (Speed): per gram, give the purity as a percentage, not in µg"),
    ({"name": "Speed", "amount": "120", "unit": "%", "per": "gram"},
     "Substance 1 (Speed): a percentage is at most 100"),
    ({"name": "MDMA", "amount": "lots", "unit": "mg", "per": "pill"},
     "“lots” is not a number"),
    ({"name": "MDMA", "amount": "120", "unit": "", "per": ""},
     "Substance 1 (MDMA): give the amount's unit and what it is per"),
    ({"name": "", "amount": "120", "unit": "mg", "per": "pill"},
     "Substance 1: name the substance"),
])  # fmt: skip
def test_each_implausible_substance_row_is_named_with_what_to_fix(
    db: Any, row: dict[str, str], expected: str
) -> None:
    found = messages_for(FACTS | {"substances": [row]})
    assert any(expected in message for message in found), found


@pytest.mark.parametrize("name", ["Fentanyl", "Protonitazene", "nitazenes"])
def test_fentanyl_and_nitazenes_any_amount_but_the_severity_must_be_stated(
    db: Any, name: str
) -> None:
    row = {"name": name, "amount": "2", "unit": "mg", "per": "pill"}
    assert messages_for(FACTS | {"substances": [row]}) == []
    found = messages_for(FACTS | {"substances": [row], "severity": ""})
    assert f"Severity: {name} was found, so state how severe this alert is." in found


def test_editors_keep_the_plausible_amounts_in_the_admin(client: Any, editor: Any) -> None:
    client.force_login(editor)
    page = client.get("/admin/content/substancebound/")
    assert page.status_code == 200
    assert "MDMA" in page.content.decode() and "LSD" in page.content.decode()
    added = client.post("/admin/content/substancebound/add/", {
        "substance": "3-MMC", "unit": "mg", "per": "pill", "minimum": "1", "maximum": "300",
    })  # fmt: skip
    assert added.status_code == 302
    assert SubstanceBound.objects.get(substance="3-MMC").key == "3-mmc"


def test_the_ranges_are_the_ones_editors_keep(db: Any) -> None:
    row = {"name": "MDMA", "amount": "450", "unit": "mg", "per": "pill"}
    assert messages_for(FACTS | {"substances": [row]})
    SubstanceBound.objects.filter(key="mdma", unit="mg").update(maximum=500)
    assert messages_for(FACTS | {"substances": [row]}) == []


def test_dates_tested_not_in_the_future_and_valid_until_after_the_test(db: Any) -> None:
    assert messages_for(FACTS | {"tested_on": "2026-12-02", "expires_on": "2027-01-01"}) == [
        "Tested on: 2026-12-02 is in the future; give the day the sample was tested."
    ]
    assert messages_for(FACTS | {"expires_on": "2026-11-20"}) == [
        "Valid until: 2026-11-20 is not after the test date (2026-11-20); give a later day."
    ]
    assert messages_for(FACTS | {"expires_on": "next week"}) == [
        "Valid until: “next week” is not a date; give it as YYYY-MM-DD."
    ]


def test_the_photo_is_an_image_uploaded_through_the_image_pipeline(db: Any) -> None:
    uploaded = f"{upload_prefix()}{'a' * 32}.jpg"
    assert messages_for(FACTS | {"photo": uploaded}) == []
    for elsewhere in ("https://evil.example/x.jpg", f"{upload_prefix()}../secret.jpg"):
        (message,) = messages_for(FACTS | {"photo": elsewhere})
        assert message.startswith("Photo: give the address of an image uploaded")


# --- Through the service: one validation, a new revision voids approvals ---------------------


@pytest.fixture
def alert(author: Any, english: Any) -> Post:
    return create_post(
        author=author, language=english, kind=PostKind.DRUG_ALERT, content=content_of(facts=FACTS)
    )


def test_save_revision_applies_the_same_rules_and_saves_nothing_when_broken(
    alert: Post, author: Any
) -> None:
    broken = content_of(facts=with_amount("4000"))
    with pytest.raises(AlertFactsInvalid) as refused:
        save_revision(post=alert, author=author, content=broken,
                      base_revision_id=alert.latest_revision_id)  # fmt: skip
    assert "4000 mg per pill is outside the plausible range" in str(refused.value)
    assert refused.value.errors[0].row == 0 and refused.value.errors[0].fact == "substances"
    assert alert.revisions.count() == 1


def test_once_stated_the_facts_cannot_be_dropped(alert: Post, author: Any) -> None:
    with pytest.raises(AlertFactsInvalid):
        save_revision(post=alert, author=author, content=content_of(title="Other"),
                      base_revision_id=alert.latest_revision_id)  # fmt: skip


def test_an_old_alert_without_facts_stays_editable_without_them(author: Any, english: Any) -> None:
    old = create_post(author=author, language=english, kind=PostKind.DRUG_ALERT,
                      content=content_of())  # fmt: skip
    edited = save_revision(post=old, author=author, content=content_of(title="Still no facts"),
                           base_revision_id=old.latest_revision_id)  # fmt: skip
    assert edited is not None and edited.facts == {}


def test_the_facts_round_trip_and_a_changed_amount_is_a_new_revision_that_voids_approvals(
    alert: Post, author: Any, reviewer: Any
) -> None:
    first = alert.expect_latest_revision()
    assert first.facts == FACTS | {"substances": [*FACTS["substances"][:1], {"name": "Caffeine"}]}
    assert RevisionContent.of(first).content_hash == first.content_hash
    assert facts_of(first) == facts_of(content_of(facts=FACTS))
    workflow.submit_for_review(post=alert, actor=author)
    workflow.approve(post=alert, actor=reviewer, revision_id=first.pk)
    assert approval_rules.approvals(first) == 1
    second = save_revision(post=alert, author=author, content=content_of(facts=with_amount("250")),
                           base_revision_id=first.pk)  # fmt: skip
    assert second is not None and second.content_hash != first.content_hash
    assert approval_rules.approvals(second) == 0
    diff = {d.label: d for d in compare(RevisionContent.of(first), RevisionContent.of(second))}
    assert [label for label, d in diff.items() if d.changed] == ["Substances found"]


# --- The demo ----------------------------------------------------------------------------------


def test_the_demos_alerts_state_facts_that_pass_the_rules_and_one_has_expired(db: Any) -> None:
    call_command("seed_demo", stdout=StringIO())
    alerts = Post.objects.filter(kind=PostKind.DRUG_ALERT).select_related("latest_revision")
    stated = [post for post in alerts if facts_of(post.latest_revision)]
    assert len(stated) >= 2
    for post in stated:
        assert check_facts(post.expect_latest_revision().facts, required=True) == [], post.slug
    today = timezone.localdate()
    expired = [p for p in stated if (expires_on(p.published_revision) or today) < today]
    assert [p.slug for p in expired] == ["cocaine-cut-with-levamisole"]
    tesla = Post.objects.get(slug="high-dose-mdma-pills-orange-tesla")
    found = [facts_of(r) for r in tesla.revisions.order_by("number")]
    assert [str(f.substances[0].amount) for f in found if f] == ["250", "280"]
