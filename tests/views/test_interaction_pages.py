"""The interaction table in the studio: the list, the proposal form, approval by someone else
only (through the test client, with CSRF), and the pairs shown on the post, edit, review and
export pages of a post that names MDMA and tramadol."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from content import interactions, workflow
from content.models import (
    AuditEvent,
    ExportProfile,
    InteractionProposal,
    Language,
    Post,
    PostKind,
    PublicVersion,
    Substance,
    SubstanceAlias,
)
from content.revisions import create_post
from tests.support import PASSWORD, content_of, profile_admin_data

LIST = reverse("content:interactions")
PROPOSE = reverse("content:interaction_propose")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def proposal_data(**changes: Any) -> dict[str, Any]:
    data = {
        "first": Substance.objects.get(name="MDMA").pk,
        "second": Substance.objects.get(name="ketamine").pk,
        "level": "unsafe",
        "explanation_en": "Confusion and falls are common.",
        "explanation_nl": "Verwarring en vallen komen vaak voor.",
        "explanation_fr": "Confusion et chutes sont fréquentes.",
        "note": "Seen at festivals",
    }
    return data | changes


@pytest.mark.django_db
def test_every_role_reads_the_table_and_only_editors_may_propose(
    author: Any, reviewer: Any, editor: Any, client: Any
) -> None:
    assert client.get(LIST).status_code == 302  # signed out: to the sign-in page
    for person in (author, reviewer, editor):
        page = signed_in(person).get(LIST)
        assert page.status_code == 200
        assert "Serotonin" in page.content.decode() or "serotonin" in page.content.decode()
    assert signed_in(author).get(PROPOSE).status_code == 403
    assert signed_in(reviewer).post(PROPOSE, proposal_data()).status_code == 403
    assert signed_in(editor).get(PROPOSE).status_code == 200
    assert not InteractionProposal.objects.exists()


@pytest.mark.django_db
def test_a_change_proposed_in_the_studio_needs_another_persons_approval(
    editor: Any, reviewer: Any
) -> None:
    proposer = signed_in(editor)
    response = proposer.post(PROPOSE, proposal_data())
    assert response.status_code == 302
    proposal = InteractionProposal.objects.get()
    page = proposer.get(LIST).content.decode()
    assert "Your proposal: a colleague approves it." in page
    assert reverse("content:interaction_approve", args=[proposal.pk]) not in page

    own = proposer.post(reverse("content:interaction_approve", args=[proposal.pk]))
    assert own.status_code == 403
    assert InteractionProposal.objects.get().is_pending
    mdma, ketamine = Substance.objects.get(name="MDMA"), Substance.objects.get(name="ketamine")
    assert interactions.current(mdma, ketamine).level == "low_synergy"  # type: ignore[union-attr]

    approver = signed_in(reviewer)
    assert reverse("content:interaction_approve", args=[proposal.pk]) in approver.get(
        LIST
    ).content.decode()
    approver.post(reverse("content:interaction_approve", args=[proposal.pk]))
    assert interactions.current(mdma, ketamine).level == "unsafe"  # type: ignore[union-attr]
    actions = list(
        AuditEvent.objects.filter(action__startswith="interaction_")
        .order_by("sequence")
        .values_list("action", "actor")
    )
    assert actions == [("interaction_proposed", editor.pk), ("interaction_approved", reviewer.pk)]


@pytest.mark.django_db
def test_a_refusal_needs_a_reason_and_changes_nothing(editor: Any, reviewer: Any) -> None:
    signed_in(editor).post(PROPOSE, proposal_data())
    proposal = InteractionProposal.objects.get()
    approver = signed_in(reviewer)
    url = reverse("content:interaction_refuse", args=[proposal.pk])
    page = approver.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Say why you refuse this change." in page
    approver.post(url, {"reason": "No source"})
    assert InteractionProposal.objects.get().status == "refused"
    assert AuditEvent.objects.filter(action="interaction_refused", actor=reviewer).exists()


@pytest.mark.django_db
def test_the_form_says_what_is_wrong(editor: Any) -> None:
    proposer = signed_in(editor)
    same = proposer.post(PROPOSE, proposal_data(second=Substance.objects.get(name="MDMA").pk))
    assert same.status_code == 400 and "Choose two different substances." in same.content.decode()
    empty = proposer.post(PROPOSE, proposal_data(explanation_en=""))
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert not InteractionProposal.objects.exists()


@pytest.mark.django_db
def test_posting_without_the_csrf_token_is_refused(editor: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.login(username=editor.username, password=PASSWORD)
    assert client.post(PROPOSE, proposal_data()).status_code == 403
    assert not InteractionProposal.objects.exists()


@pytest.mark.django_db
def test_the_post_edit_review_and_export_pages_show_the_pairs(
    author: Any, reviewer: Any, editor: Any
) -> None:
    post = create_post(
        author=author,
        language=Language.objects.get(code="en"),
        kind=PostKind.ARTICLE,
        content=content_of(substances=("XTC", "tramadol", "ketamine")),
    )
    writer = signed_in(author)
    for url in (
        reverse("content:post_detail", args=[post.pk]),
        reverse("content:post_edit", args=[post.pk]),
        reverse("content:post_export", args=[post.pk]),
    ):
        page = writer.get(url).content.decode()
        assert "tramadol + XTC: Dangerous" in page, url
        assert "ketamine + XTC: Low risk &amp; synergy" in page, url
    workflow.submit_for_review(post=Post.objects.get(pk=post.pk), actor=author)
    review = signed_in(reviewer).get(reverse("content:review_post", args=[post.pk]))
    assert "tramadol + XTC: Dangerous" in review.content.decode()


@pytest.mark.django_db
def test_the_table_is_searched_by_substance_or_alias(editor: Any) -> None:
    page = signed_in(editor).get(LIST, {"q": "XTC"}).content.decode()
    pairs = page[page.index('id="pairs"') :]
    assert "MDMA + tramadol" in pairs and "GHB + alcohol" not in pairs


@pytest.mark.django_db
def test_an_editor_adds_an_alias_in_the_admin_and_public_pages_move_on(editor: Any) -> None:
    mdma = Substance.objects.get(name="MDMA")
    aliases = list(mdma.aliases.all())
    data: dict[str, Any] = {
        "name": "MDMA",
        "aliases-TOTAL_FORMS": len(aliases) + 1,
        "aliases-INITIAL_FORMS": len(aliases),
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
    }
    for index, alias in enumerate(aliases):
        data |= {
            f"aliases-{index}-id": alias.pk,
            f"aliases-{index}-substance": mdma.pk,
            f"aliases-{index}-name": alias.name,
        }
    data[f"aliases-{len(aliases)}-name"] = "Knallers"
    data[f"aliases-{len(aliases)}-substance"] = mdma.pk
    version = PublicVersion.current().number
    url = reverse("admin:content_substance_change", args=[mdma.pk])
    response = signed_in(editor).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert interactions.lookup("knallers") == mdma
    assert PublicVersion.current().number > version
    # A name another substance already has is refused with a message.
    data[f"aliases-{len(aliases)}-name"] = "speed"
    data[f"aliases-{len(aliases)}-id"] = SubstanceAlias.objects.get(name="Knallers").pk
    data["aliases-INITIAL_FORMS"] = len(aliases) + 1
    refused = signed_in(editor).post(url, data)
    assert refused.status_code == 200
    assert "already names a substance" in refused.content.decode()
    assert interactions.lookup("speed") == Substance.objects.get(name="amphetamine")


@pytest.mark.django_db
def test_an_editor_chooses_a_profiles_interaction_level_in_the_admin(editor: Any) -> None:
    record = ExportProfile.objects.get(slug="plain-text")
    assert record.interaction_min_level == "unsafe"
    url = reverse("admin:content_exportprofile_change", args=[record.pk])
    values = profile_admin_data(record) | {"interaction_min_level": "caution"}
    assert signed_in(editor).post(url, values).status_code == 302
    record.refresh_from_db()
    assert record.interaction_min_level == "caution"
    wrong = signed_in(editor).post(url, values | {"interaction_min_level": "deadly"})
    assert wrong.status_code == 200 and "Select a valid choice" in wrong.content.decode()
