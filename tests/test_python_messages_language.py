"""The words the Python code says to people (states, statuses, refusals, form errors, opsec
findings, Markdown limits) come out in the active language, with their placeholders filled."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from content import actions, markdown, workflow
from content.forms.posts import RevisionForm, SourceForm
from content.models import Post, PostKind, PostState
from content.opsec import Report
from content.transitions import ALLOWED_TRANSITIONS, verb

STATUS_CASES = [
    # (state, has a published revision, approvals counted, note) -> English status
    (PostState.DRAFT, False, None, "", "draft"),
    (PostState.IN_REVIEW, True, 1, "", "published, newer draft in review: 1 of 2 approvals"),
    (PostState.CHANGES_REQUESTED, False, None, "Cite it.", "changes requested: Cite it."),
    (PostState.WITHDRAWN, True, None, "", "withdrawn"),
]


def _post(state: str, published: bool, approvals: int | None, note: str) -> Post:
    post = Post(state=state, state_note=note, published_revision_id=1 if published else None)
    if approvals is not None:
        post.approval_count, post.required_approvals = approvals, 2  # type: ignore[attr-defined]
    return post


@pytest.mark.parametrize(("state", "published", "approvals", "note", "english"), STATUS_CASES)
def test_a_posts_status_reads_in_english_and_differs_in_dutch_and_french(
    state: str, published: bool, approvals: int | None, note: str, english: str
) -> None:
    post = _post(state, published, approvals, note)
    with translation.override("en"):
        assert post.status_label == english
    for language in ("nl", "fr"):
        with translation.override(language):
            shown = post.status_label
        assert shown != english, language
        if note:
            assert note in shown
        if approvals is not None:
            assert "1" in shown and "2" in shown


def test_states_and_kinds_are_named_in_the_active_language() -> None:
    with translation.override("nl"):
        assert str(PostState.PUBLISHED.label) == "Gepubliceerd"
        assert str(PostKind.DRUG_ALERT.label) == "Drugwaarschuwing"
    with translation.override("fr"):
        assert str(PostState.PUBLISHED.label) == "Publié"
        assert str(PostKind.DRUG_ALERT.label) == "Alerte drogue"


def test_every_action_has_a_verb_in_each_language() -> None:
    for action in ALLOWED_TRANSITIONS:
        with translation.override("en"):
            english = verb(action)
        for language in ("nl", "fr"):
            with translation.override(language):
                assert verb(action) != english, (action, language)


def test_a_refusal_names_the_action_and_state_in_the_persons_language() -> None:
    with translation.override("fr"):
        message = actions.ERROR_STATE.format(
            action=verb("publish"), state=PostState(PostState.DRAFT).label.lower()
        )
    assert message == "Vous ne pouvez pas publier une publication à l'état « brouillon »."
    with translation.override("nl"):
        assert str(workflow.ERROR_REASON).startswith("Zeg wat er moet veranderen")


def _errors(form: Any, language: str) -> list[str]:
    with translation.override(language):
        form.is_valid()
        return [str(error) for errors in form.errors.values() for error in errors]


def test_a_forms_errors_are_in_the_active_language() -> None:
    data = {"title": "T", "body": "   ", "substances": ", ".join(f"s{n}" for n in range(21))}
    dutch = _errors(RevisionForm(data), "nl")
    assert "De tekst is leeg." in dutch
    assert "Hoogstens 20 tags; u gaf er 21." in dutch
    source = {"url": "https://example.org/", "consulted": "2999-01-01"}
    french = _errors(SourceForm(source), "fr")
    assert "Donnez un titre à cette source (p. ex. l'éditeur et le document)." in french
    assert "La date de consultation d'une source ne peut pas être dans le futur." in french


def test_the_opsec_summary_counts_in_the_active_language() -> None:
    report = Report(revision=None, findings=())  # type: ignore[arg-type]
    assert report.summary == ""

    class _Finding:
        blocking = True

    two = Report(revision=None, findings=(_Finding(), _Finding()))  # type: ignore[arg-type]
    with translation.override("en"):
        assert two.summary.startswith("The opsec check found 2 things to look at")
    with translation.override("nl"):
        assert two.summary.startswith("De opsec-controle vond 2 punten om na te kijken")


def test_a_markdown_limit_is_explained_in_the_active_language() -> None:
    with translation.override("fr"), pytest.raises(markdown.MarkdownRefused) as refused:
        markdown.check_length("x" * (markdown.max_body_chars() + 1))
    assert str(refused.value).startswith("Le texte compte ")
