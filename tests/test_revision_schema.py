"""What a reviewer judges is declared once: hash, storage, diff, form and export derive from it."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pytest
from django.urls import reverse

from content.exporters import ExportDocument
from content.exports import document_for
from content.forms import PostEditForm
from content.models import Post, PostKind, Revision
from content.revision_schema import CONTENT_FIELDS, KIND_FACTS, Fact
from content.revisions import (
    FactsInvalid,
    RevisionContent,
    Source,
    compare,
    create_post,
    restore_revision,
    save_revision,
)
from tests.support import content_of, form_data

# Fixed content, and the hashes the code computed for it before the schema existed. Stored
# hashes and the approvals bound to them depend on these never changing.
FIXED = RevisionContent(
    title="Ketamine and your bladder",
    summary="Cystitis: what to watch for.",
    body="Frequent use can cause **damage**.\n\n- 250 mg\n",
    sources=(
        Source(title="NHS", url="https://www.nhs.uk/k", consulted="2026-01-02"),
        Source(title="Leaflet"),
    ),
    substances=("Ketamine", "2C-B", "2c b", "Кетамин"),
    topics=("safer  use", "Mixing"),
)
FIXED_HASH = "3cf393ea451eea8d7b7e87ca01c670a068baa53653f5cfc4bd4b411a84fa8f3a"
FIXED_WITH_NOTE_HASH = "e9b74d78429eca34e5637457faeca24148bdfe1a776079ccaaa60954ec8f92cd"

SOLD_AS = Fact(name="sold_as", label="Sold as", max_length=40)


@pytest.fixture
def alert_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """FAQ answers declare a "sold as" fact, for this test only (alerts have their own rules)."""
    monkeypatch.setitem(KIND_FACTS, PostKind.FAQ_ANSWER, (SOLD_AS,))


@pytest.fixture
def alert(author: Any, english: Any, alert_facts: None) -> Post:
    return create_post(
        author=author,
        language=english,
        kind=PostKind.FAQ_ANSWER,
        content=content_of(facts={"sold_as": "orange Tesla"}),
    )


def test_the_hash_of_existing_content_is_the_one_computed_before_the_schema() -> None:
    assert FIXED.content_hash == FIXED_HASH
    noted = dataclasses.replace(
        FIXED, public_change_note="The pills  tested contained up to 280 mg."
    )
    assert noted.content_hash == FIXED_WITH_NOTE_HASH


def test_the_hash_is_the_sha256_of_the_canonical_json_of_the_hashed_fields() -> None:
    canonical = {"title": "T", "summary": "", "body": "B", "sources": [], "substances": [],
                 "topics": []}  # fmt: skip
    expected = hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
    assert RevisionContent(title="T", body="B").content_hash == expected


def test_every_content_field_is_declared_once_with_a_label_and_a_kind() -> None:
    names = [spec.name for spec in CONTENT_FIELDS]
    assert names == [f.name for f in dataclasses.fields(RevisionContent)]
    assert names == ["title", "summary", "body", "sources", "substances", "topics",
                     "public_change_note", "facts", "translates", "safety_relevant"]  # fmt: skip
    assert all(spec.label for spec in CONTENT_FIELDS)


def test_the_diff_lists_the_declared_fields_in_order_and_no_facts_when_none_are_stated() -> None:
    labels = [diff.label for diff in compare(None, FIXED)]
    unset = ("facts", "translates", "safety_relevant")  # no row while empty on both sides
    assert labels == [spec.label for spec in CONTENT_FIELDS if spec.name not in unset]


def test_an_export_shows_exactly_the_exported_fields_and_export_documents_have_them(post) -> None:
    exported = {spec.name for spec in CONTENT_FIELDS if spec.exported}
    assert exported == {"title", "summary", "body", "sources"}
    assert exported <= {f.name for f in dataclasses.fields(ExportDocument)}
    revision = post.latest_revision
    document = document_for(post, revision, final=False)
    assert (document.title, document.summary, document.body) == (
        revision.title, revision.summary, revision.body)  # fmt: skip
    assert [(s.title, s.url, s.consulted.isoformat()) for s in document.sources] == [
        ("EUDA drug profile", "https://www.euda.europa.eu/", "2026-10-01")]  # fmt: skip


def test_the_edit_form_starts_from_the_latest_revisions_content(author_client, post) -> None:
    response = author_client.get(reverse("content:post_edit", args=[post.pk]))
    form = response.context["form"]
    assert form.initial == {
        "title": "Ketamine and your bladder",
        "summary": "Why frequent use hurts.",
        "body": "Frequent use can **damage** the bladder.\n\n- Take breaks\n- See a doctor",
        "substances": ["ketamine"],
        "topics": ["safer use"],
        "public_change_note": "",
        "safety_relevant": False,
        "base_revision": post.latest_revision_id,
    }
    assert form.initial.keys() - {"base_revision"} <= PostEditForm.base_fields.keys()
    assert 'value="ketamine"' in response.content.decode()


def test_stated_facts_are_hashed_and_empty_ones_are_no_facts() -> None:
    with_facts = dataclasses.replace(FIXED, facts={"sold_as": "orange  Tesla "})
    assert with_facts.facts == {"sold_as": "orange Tesla"}
    assert with_facts.content_hash != FIXED_HASH
    assert with_facts.content_hash == dataclasses.replace(
        FIXED, facts={"sold_as": "orange Tesla"}).content_hash  # fmt: skip
    assert dataclasses.replace(FIXED, facts={"sold_as": " "}).content_hash == FIXED_HASH


def test_a_kinds_facts_are_diffed_under_their_label(alert_facts: None) -> None:
    old = dataclasses.replace(FIXED, facts={"sold_as": "orange Tesla"})
    new = dataclasses.replace(FIXED, facts={"sold_as": "blue Tesla"})
    diffs = {diff.label: diff for diff in compare(old, new)}
    assert diffs["Sold as"].changed
    assert diffs["Sold as"].html == "<del>orange</del><ins>blue</ins> Tesla"
    assert not diffs["Title"].changed
    added = {diff.label: diff for diff in compare(FIXED, old)}
    assert added["Sold as"].html == "<ins>orange Tesla</ins>"


def test_facts_are_stored_with_the_revision_and_read_back_with_its_hash(alert: Post) -> None:
    revision = Revision.objects.get(pk=alert.latest_revision_id)
    assert revision.facts == {"sold_as": "orange Tesla"}
    assert RevisionContent.of(revision).facts == {"sold_as": "orange Tesla"}
    assert RevisionContent.of(revision).content_hash == revision.content_hash
    assert revision.content_hash == content_of(facts={"sold_as": "orange Tesla"}).content_hash


def test_a_fact_the_kind_does_not_declare_is_refused_and_nothing_is_saved(
    alert: Post, author
) -> None:
    for facts, message in (
        ({"sold_as": "orange Tesla", "colour": "orange"}, "“colour” is not one of the facts"),
        ({"sold_as": "x" * 41}, "Sold as is at most 40 characters"),
    ):
        with pytest.raises(FactsInvalid, match=message):
            save_revision(post=alert, author=author, content=content_of(facts=facts),
                          base_revision_id=alert.latest_revision_id)  # fmt: skip
    assert alert.revisions.count() == 1


def test_a_kind_that_declares_no_facts_accepts_none(post: Post, author, alert_facts) -> None:
    with pytest.raises(
        FactsInvalid, match="“sold_as” is not one of the facts this kind of post states"
    ):
        save_revision(post=post, author=author, content=content_of(facts={"sold_as": "Tesla"}),
                      base_revision_id=post.latest_revision_id)  # fmt: skip
    assert post.revisions.count() == 1


def test_changing_only_a_fact_writes_a_new_revision_and_restoring_brings_it_back(
    alert: Post, author
) -> None:
    first = alert.latest_revision
    second = save_revision(post=alert, author=author,
                           content=content_of(facts={"sold_as": "blue Tesla"}),
                           base_revision_id=first.pk)  # fmt: skip
    assert second is not None and second.facts == {"sold_as": "blue Tesla"}
    restored = restore_revision(post=alert, revision=first, actor=author,
                                base_revision_id=second.pk)  # fmt: skip
    assert restored.facts == {"sold_as": "orange Tesla"}
    assert restored.content_hash == first.content_hash


def test_editing_through_the_form_keeps_the_facts_the_post_states(author_client, alert) -> None:
    edit = reverse("content:post_edit", args=[alert.pk])
    author_client.post(edit, form_data(alert, title="High-dose pills"))
    alert.refresh_from_db()
    assert alert.latest_revision.number == 2
    assert alert.latest_revision.title == "High-dose pills"
    assert alert.latest_revision.facts == {"sold_as": "orange Tesla"}
    author_client.post(edit, form_data(alert, title="High-dose pills"))
    assert alert.revisions.count() == 2  # unchanged: the kept facts are no change either


def test_facts_a_kind_no_longer_declares_give_a_message_not_an_error_page(
    author_client, alert: Post, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(KIND_FACTS, PostKind.FAQ_ANSWER, ())  # "sold as" dropped since
    edit = author_client.post(
        reverse("content:post_edit", args=[alert.pk]),
        form_data(alert, body="My edit, kept.", slug=alert.slug),
    )
    assert edit.status_code == 409 and "My edit, kept." in edit.content.decode()
    assert alert.revisions.count() == 1
    restore = author_client.post(
        reverse("content:revision_restore", args=[alert.pk, 1]),
        {"base_revision": alert.latest_revision_id},
        follow=True,
    )
    assert restore.status_code == 200 and "Not restored" in restore.content.decode()
