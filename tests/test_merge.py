"""content.merge: the author's text and the newer revision, merged three ways (no database)."""

from __future__ import annotations

import dataclasses

from content.merge import (
    Outcome,
    has_conflict_markers,
    merge_content,
    merge_text,
)
from content.revision_schema import RevisionContent, Source

BASE = "Paragraph one.\n\nParagraph two.\n\nParagraph three."
LABEL = "revision 2 by anna"


def test_changes_to_different_paragraphs_merge_cleanly() -> None:
    yours = BASE.replace("three.", "three, rewritten.")
    theirs = BASE.replace("one.", "one, corrected.")
    text, outcome = merge_text(BASE, yours, theirs, theirs_label=LABEL)
    assert outcome == Outcome.MERGED
    assert text == "Paragraph one, corrected.\n\nParagraph two.\n\nParagraph three, rewritten."
    assert not has_conflict_markers(text)


def test_changes_to_the_same_line_are_marked_with_both_versions() -> None:
    yours = BASE.replace("two.", "two, as I see it.")
    theirs = BASE.replace("two.", "two, as anna sees it.")
    text, outcome = merge_text(BASE, yours, theirs, theirs_label=LABEL)
    assert outcome == Outcome.CONFLICT
    assert (
        "<<<<<<< your text\nParagraph two, as I see it.\n=======\n"
        "Paragraph two, as anna sees it.\n>>>>>>> revision 2 by anna\n"
    ) in text
    assert text.startswith("Paragraph one.\n\n") and text.endswith("\n\nParagraph three.")
    assert has_conflict_markers(text)


def test_a_conflict_on_the_last_line_without_a_newline_keeps_markers_on_their_own_lines() -> None:
    text, outcome = merge_text("a\nb", "a\nmine", "a\ntheirs", theirs_label=LABEL)
    assert outcome == Outcome.CONFLICT
    assert text == f"a\n<<<<<<< your text\nmine\n=======\ntheirs\n>>>>>>> {LABEL}"


def test_identical_changes_are_one_change() -> None:
    same = BASE.replace("two.", "two, fixed.")
    assert merge_text(BASE, same, same, theirs_label=LABEL) == (same, Outcome.SAME)


def test_a_side_that_changed_nothing_takes_the_other() -> None:
    changed = BASE.replace("one.", "one!")
    assert merge_text(BASE, BASE, changed, theirs_label=LABEL) == (changed, Outcome.THEIRS)
    assert merge_text(BASE, changed, BASE, theirs_label=LABEL) == (changed, Outcome.YOURS)
    assert merge_text(BASE, BASE, BASE, theirs_label=LABEL) == (BASE, Outcome.UNCHANGED)


def test_browser_line_endings_are_no_change() -> None:
    yours = BASE.replace("\n", "\r\n").replace("three.", "three!")
    theirs = BASE.replace("one.", "one!")
    text, outcome = merge_text(BASE, yours, theirs, theirs_label=LABEL)
    assert outcome == Outcome.MERGED
    assert text == "Paragraph one!\n\nParagraph two.\n\nParagraph three!"


def test_a_setext_underline_is_not_a_leftover_marker() -> None:
    assert not has_conflict_markers("Heading\n=======\n\ntext")
    assert has_conflict_markers("text\n>>>>>>> revision 2 by anna\n")


BASE_CONTENT = RevisionContent(
    title="Title",
    summary="Summary.",
    body=BASE,
    sources=(Source("Lab"),),
    substances=("MDMA",),
)


def test_content_fields_take_the_side_that_changed_them_and_the_authors_when_both_did() -> None:
    yours = dataclasses.replace(
        BASE_CONTENT, title="My title", body=BASE.replace("three.", "3."), substances=("mdma",)
    )
    theirs = dataclasses.replace(
        BASE_CONTENT,
        title="Their title",
        body=BASE.replace("one.", "1."),
        sources=(Source("Lab"), Source("EUDA")),
        substances=("MDMA", "ketamine"),
    )
    merged = merge_content(base=BASE_CONTENT, yours=yours, theirs=theirs, theirs_label=LABEL)
    outcomes = {f.name: f.outcome for f in merged.fields}
    assert outcomes["title"] == Outcome.KEPT_YOURS  # one line cannot hold markers
    assert outcomes["body"] == Outcome.MERGED
    assert outcomes["summary"] == Outcome.UNCHANGED
    # Recasing a tag is no change, so the newer revision's tags and sources are taken.
    assert outcomes["substances"] == Outcome.THEIRS
    assert outcomes["sources"] == Outcome.THEIRS
    content = merged.content
    assert content.title == "My title" and content.body == BASE.replace("one.", "1.").replace(
        "three.", "3."
    )
    assert [s.title for s in content.sources] == ["Lab", "EUDA"]
    title = next(f for f in merged.fields if f.name == "title")
    assert title.theirs_text == "Their title"
    assert not merged.has_conflicts
