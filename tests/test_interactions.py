"""The interaction table: names through aliases, what a revision names, proposals that need
another person's approval (audited), and the import of a chart in TripSit's format."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from content import interaction_import, interactions
from content.interaction_data import PAIRS, SUBSTANCES
from content.models import (
    AuditEvent,
    Interaction,
    InteractionProposal,
    InteractionTableVersion,
    Language,
    PostKind,
    PublicVersion,
    Substance,
    SubstanceAlias,
)
from content.models.interactions import LEVEL_ORDER, name_key
from content.revision_schema import tag_key
from content.revisions import create_post
from tests.support import content_of

CHART = Path(__file__).parent / "data" / "interactions_chart.json"


def substance(name: str) -> Substance:
    return Substance.objects.get(name=name)


def explanations(en: str) -> dict[str, str]:
    return {"en": en, "nl": f"{en} (nl)", "fr": f"{en} (fr)"}


# --- Names ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["MDMA", "mdma", "XTC", "Ecstasy", "molly", "Mandy"])
def test_every_name_of_mdma_is_mdma(name: str) -> None:
    assert interactions.lookup(name) == substance("MDMA")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "canonical"), [
    ("3-MMC", "3-MMC"), ("3 mmc", "3-MMC"), ("3-methylmethcathinone", "3-MMC"),
    ("alcool", "alcohol"), ("cocaïne", "cocaine"), ("opioïdes", "opioids"), ("GBL", "GHB"),
])  # fmt: skip
def test_names_are_compared_as_tags_are_and_aliases_lead_to_the_substance(
    name: str, canonical: str
) -> None:
    assert interactions.lookup(name) == substance(canonical)


@pytest.mark.django_db
def test_an_unknown_name_is_not_guessed() -> None:
    assert interactions.lookup("MDMA-ish") is None
    assert interactions.lookup("tesla") is None


def test_names_are_keyed_exactly_as_tags_are() -> None:
    for name in ("2C-B", "2c b", "cocaïne", "  GHB / GBL ", "3,4-MMC", "???"):
        assert name_key(name) == tag_key(name)


def test_the_seed_data_names_no_substance_twice_and_every_pair_once() -> None:
    keys = [name_key(n) for n in SUBSTANCES] + [
        name_key(alias) for aliases in SUBSTANCES.values() for alias in aliases
    ]
    assert len(keys) == len(set(keys))
    pairs = [frozenset((a, b)) for a, b, *_rest in PAIRS]
    assert len(pairs) == len(set(pairs))
    assert all(level in LEVEL_ORDER and en and nl and fr for _a, _b, level, en, nl, fr in PAIRS)


@pytest.mark.django_db
def test_the_table_starts_with_the_seeded_pairs() -> None:
    assert Interaction.objects.count() == len(PAIRS)
    pair = interactions.current(substance("tramadol"), substance("MDMA"))
    assert pair is not None and pair.level == "dangerous"


@pytest.mark.django_db
def test_an_edited_alias_names_the_substance_and_bumps_the_versions() -> None:
    before = (InteractionTableVersion.current(), PublicVersion.current().number)
    SubstanceAlias.objects.create(substance=substance("MDMA"), name="Knallers")
    interactions.aliases_changed()
    assert interactions.lookup("knallers") == substance("MDMA")
    assert InteractionTableVersion.current() > before[0]
    assert PublicVersion.current().number > before[1]


@pytest.mark.django_db
def test_a_drug_alert_names_what_was_found_and_what_it_was_sold_as(author: Any) -> None:
    facts = {
        "sold_as": "Ecstasy (orange Tesla)",
        "substances": [{"name": "Tramadol", "amount": "50", "unit": "mg", "per": "pill"}],
        "tested_on": "2026-11-20",
        "tested_at": "Brussels",
        "tested_by": "A drug-checking service",
        "severity": "unexpected_substance",
        "expires_on": "2027-02-20",
    }
    post = create_post(
        author=author,
        language=Language.objects.get(code="en"),
        kind=PostKind.DRUG_ALERT,
        content=content_of(substances=(), facts=facts),
    )
    revision = post.expect_latest_revision()
    named = interactions.named_substances(revision)
    assert set(named) == {substance("MDMA"), substance("tramadol")}
    (warning,) = interactions.interactions_for(revision)
    assert warning.level == "dangerous"
    assert "serotonin syndrome" in interactions.warnings_markdown(revision, "en")


@pytest.mark.django_db
def test_an_alert_without_facts_is_not_stated_and_never_crashes(author: Any) -> None:
    post = create_post(
        author=author,
        language=Language.objects.get(code="en"),
        kind=PostKind.ARTICLE,
        content=content_of(substances=("XTC", "tramal")),
    )
    (warning,) = interactions.interactions_for(post.expect_latest_revision())
    assert (warning.first_name, warning.second_name) == ("tramal", "XTC")


def test_the_warning_block_escapes_markdown_in_names_and_explanations() -> None:
    assert interactions.escape_markdown("[click](http://x) *now*") == (
        "\\[click\\]\\(http://x\\) \\*now\\*"
    )


# --- Proposals -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_proposal_takes_effect_only_when_someone_else_approves_it(
    editor: Any, make_user: Any
) -> None:
    other = make_user("other_editor", "Editors", is_staff=True)
    mdma, ketamine = substance("MDMA"), substance("ketamine")
    version = InteractionTableVersion.current()
    proposal = interactions.propose(
        actor=editor, first=ketamine, second=mdma, level="unsafe",
        explanations=explanations("Confusion and falls."), note="New evidence",
    )  # fmt: skip
    assert interactions.current(mdma, ketamine).level == "low_synergy"  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        interactions.approve(proposal=proposal, actor=editor)
    assert InteractionProposal.objects.get(pk=proposal.pk).is_pending
    assert interactions.current(mdma, ketamine).level == "low_synergy"  # type: ignore[union-attr]

    interactions.approve(proposal=proposal, actor=other)
    changed = interactions.current(mdma, ketamine)
    assert changed is not None and changed.level == "unsafe"
    assert changed.explanation("fr") == "Confusion and falls. (fr)"
    assert InteractionTableVersion.current() == version + 1
    events = list(AuditEvent.objects.order_by("sequence").values_list("action", "actor", "details"))
    proposed, approved = events[-2:]
    assert proposed[:2] == ("interaction_proposed", editor.pk)
    assert proposed[2]["old_level"] == "low_synergy" and proposed[2]["new_level"] == "unsafe"
    assert proposed[2]["first"] == "MDMA" and proposed[2]["second"] == "ketamine"
    assert approved[:2] == ("interaction_approved", other.pk)
    assert approved[2]["proposal"] == proposal.pk
    assert approved[2]["table_version"] == version + 1


@pytest.mark.django_db
def test_a_reviewer_approves_and_refuses_but_never_proposes(
    editor: Any, reviewer: Any, author: Any
) -> None:
    mdma, alcohol = substance("MDMA"), substance("alcohol")
    with pytest.raises(PermissionDenied):
        interactions.propose(
            actor=reviewer, first=mdma, second=alcohol, level="unsafe",
            explanations=explanations("x"),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        interactions.propose(
            actor=author, first=mdma, second=alcohol, level="unsafe",
            explanations=explanations("x"),
        )  # fmt: skip
    proposal = interactions.propose(
        actor=editor, first=mdma, second=alcohol, level="unsafe", explanations=explanations("x")
    )
    with pytest.raises(PermissionDenied):
        interactions.approve(proposal=proposal, actor=author)
    with pytest.raises(ValidationError):
        interactions.refuse(proposal=proposal, actor=reviewer, reason="  ")
    interactions.refuse(proposal=proposal, actor=reviewer, reason="No source for this.")
    assert interactions.current(mdma, alcohol).level == "caution"  # type: ignore[union-attr]
    refused = AuditEvent.objects.get(action=AuditEvent.Action.INTERACTION_REFUSED)
    assert refused.actor == reviewer and refused.details["reason"] == "No source for this."
    with pytest.raises(ValidationError):
        interactions.approve(proposal=proposal, actor=reviewer)  # already decided


@pytest.mark.django_db
def test_a_proposal_made_on_an_older_table_is_not_applied(editor: Any, reviewer: Any) -> None:
    mdma, alcohol = substance("MDMA"), substance("alcohol")
    first = interactions.propose(
        actor=editor, first=mdma, second=alcohol, level="unsafe", explanations=explanations("a")
    )
    second = interactions.propose(
        actor=editor, first=mdma, second=alcohol, level="dangerous", explanations=explanations("b")
    )
    interactions.approve(proposal=first, actor=reviewer)
    with pytest.raises(ValidationError, match="changed since"):
        interactions.approve(proposal=second, actor=reviewer)
    assert interactions.current(mdma, alcohol).level == "unsafe"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_a_proposal_must_change_something_and_name_two_substances(editor: Any) -> None:
    mdma = substance("MDMA")
    pair = interactions.current(mdma, substance("tramadol"))
    assert pair is not None
    with pytest.raises(ValidationError):
        interactions.propose(
            actor=editor, first=mdma, second=substance("tramadol"), level=pair.level,
            explanations=pair.explanations(),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        interactions.propose(
            actor=editor, first=mdma, second=mdma, level="caution", explanations=explanations("x")
        )
    with pytest.raises(ValidationError):
        interactions.propose(
            actor=editor, first=mdma, second=substance("GHB"), level="deadly",
            explanations=explanations("x"),
        )  # fmt: skip
    assert not InteractionProposal.objects.exists()


# --- Importing a chart ---------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_interactions", str(CHART), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_dry_run_shows_the_changes_and_the_unknown_names_and_changes_nothing() -> None:
    table = list(Interaction.objects.values_list("first", "second", "level", "explanation_en"))
    output = run()
    assert "added: tramadol + ketamine: unsafe" in output
    assert "changed: MDMA + tramadol: dangerous -> dangerous" in output
    assert "changed: MDMA + alcohol: caution -> caution" in output
    assert "unknown names (add them as aliases first): lsd" in output
    assert "1 added, 2 changed, 1 unchanged, 0 already proposed, 1 unknown names" in output
    assert "Nothing was changed" in output
    assert list(Interaction.objects.values_list("first", "second", "level", "explanation_en")) == (
        table
    )
    assert not InteractionProposal.objects.exists()
    assert not AuditEvent.objects.filter(action="interaction_proposed").exists()


@pytest.mark.django_db
def test_importing_the_same_chart_twice_changes_nothing_the_second_time(
    editor: Any, reviewer: Any
) -> None:
    run("--apply", "--editor", editor.username)
    proposals = list(InteractionProposal.objects.all())
    assert len(proposals) == 3 and all(p.proposed_by == editor and p.is_pending for p in proposals)
    events = AuditEvent.objects.count()

    second = run("--apply", "--editor", editor.username)
    assert "0 added, 0 changed, 1 unchanged, 3 already proposed" in second
    assert InteractionProposal.objects.count() == 3 and AuditEvent.objects.count() == events

    for proposal in proposals:
        interactions.approve(proposal=proposal, actor=reviewer)
    new = interactions.current(substance("tramadol"), substance("ketamine"))
    assert new is not None and new.level == "unsafe"
    assert new.explanation_en == "Both sedate; vomiting while sedated."
    table = list(Interaction.objects.values_list("first", "second", "level", "explanation_en"))
    third = run("--apply", "--editor", editor.username)
    assert "0 added, 0 changed, 4 unchanged, 0 already proposed" in third
    assert list(Interaction.objects.values_list("first", "second", "level", "explanation_en")) == (
        table
    )
    assert InteractionProposal.objects.count() == 3


@pytest.mark.django_db
def test_the_import_keeps_the_dutch_and_french_explanations_of_a_pair(editor: Any) -> None:
    run("--apply", "--editor", editor.username)
    proposal = InteractionProposal.objects.get(first__name="MDMA", second__name="tramadol")
    assert proposal.new_explanations["en"] == "Serotonin syndrome and seizures."
    assert proposal.new_explanations["nl"] == proposal.old_explanations["nl"] != ""


@pytest.mark.django_db
def test_the_import_refuses_bad_files_and_people_who_may_not_propose(
    tmp_path: Path, reviewer: Any
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(CommandError, match="JSON object"):
        call_command("import_interactions", str(bad), stdout=io.StringIO())
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_interactions", str(bad), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--editor"):
        run("--apply")
    with pytest.raises(CommandError, match="no active user"):
        run("--apply", "--editor", "nobody")
    with pytest.raises(CommandError, match="Only editors"):
        run("--apply", "--editor", reviewer.username)
    assert not InteractionProposal.objects.exists()


@pytest.mark.django_db
def test_an_unknown_status_and_two_different_directions_are_problems_not_changes() -> None:
    chart = {
        "mdma": {"tramadol": {"status": "Deadly"}, "alcohol": {"status": "Unsafe"}},
        "alcohol": {"mdma": {"status": "Dangerous"}},
    }
    plan = interaction_import.plan(chart)
    assert plan.changes == []
    assert any("unknown status 'Deadly'" in problem for problem in plan.problems)
    assert any("two different things" in problem for problem in plan.problems)
    assert json.dumps(interaction_import.as_mapping(plan))
