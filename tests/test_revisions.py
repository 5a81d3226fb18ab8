"""Revisions: immutable, numbered, written only when something changed, never lost."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from content.models import AuditEvent, Post, Revision, Tag
from content.revisions import (
    EditConflict,
    RevisionContent,
    Source,
    compare,
    restore_revision,
    save_revision,
    word_diff,
)
from tests.support import content_of


def save(post: Post, user, **changes) -> Revision | None:
    return save_revision(
        post=post,
        author=user,
        content=content_of(**changes),
        base_revision_id=post.latest_revision_id,
        change_note="test edit",
    )


def test_creating_a_post_writes_revision_one_with_rendered_html_and_hash(post: Post) -> None:
    revision = post.latest_revision
    assert revision.number == 1
    assert revision.based_on is None
    assert "<strong>damage</strong>" in revision.rendered_html
    assert revision.content_hash == content_of().content_hash
    assert revision.substances == ["ketamine"] and revision.topics == ["safer use"]


def test_each_change_writes_the_next_numbered_revision_based_on_the_previous(post, author) -> None:
    second = save(post, author, title="Second")
    third = save(post, author, title="Third")
    assert [second.number, third.number] == [2, 3]
    assert third.based_on == second
    post.refresh_from_db()
    assert post.latest_revision == third
    assert list(post.revisions.values_list("number", flat=True)) == [3, 2, 1]


def test_saving_without_changes_writes_no_revision(post: Post, author) -> None:
    assert save(post, author) is None
    assert post.revisions.count() == 1


def test_reordering_recasing_or_repeating_tags_is_not_a_change(post: Post, author) -> None:
    assert save(post, author, substances=("KETAMINE", "ketamine "), topics=("safer  use",)) is None


def test_a_revision_rebuilt_from_the_database_has_its_stored_hash(post: Post, author) -> None:
    revision = save(post, author, substances=("2C-B", "MDMA"), title="Tagged")
    reloaded = Revision.objects.get(pk=revision.pk)
    assert RevisionContent.of(reloaded).content_hash == reloaded.content_hash


def test_a_revision_can_never_be_changed(post: Post) -> None:
    revision = post.latest_revision
    revision.title = "Rewritten history"
    with pytest.raises(TypeError, match="never changed"):
        revision.save()
    with pytest.raises(TypeError, match="never changed"):
        Revision.objects.filter(pk=revision.pk).update(title="Rewritten history")
    revision.refresh_from_db()
    assert revision.title == content_of().title


def test_revision_numbers_are_unique_per_post_in_the_database(post: Post, author) -> None:
    with pytest.raises(IntegrityError):
        Revision.objects.create(
            post=post,
            number=1,
            title="dup",
            body="x",
            author=author,
            content_hash="x",
            rendered_html="",
        )


def test_an_edit_based_on_an_old_revision_is_refused(post: Post, author, other_author) -> None:
    stale_base = post.latest_revision_id
    save(post, author, body="Someone else's fix.")
    with pytest.raises(EditConflict) as conflict:
        save_revision(
            post=post,
            author=author,
            content=content_of(body="My own edit."),
            base_revision_id=stale_base,
        )
    assert conflict.value.latest.number == 2
    assert [r.number for r in conflict.value.intervening] == [2]
    assert "Your text has not been saved" in str(conflict.value)
    assert post.revisions.count() == 2


def test_a_stale_edit_identical_to_the_latest_content_is_not_a_conflict(post, author) -> None:
    stale_base = post.latest_revision_id
    save(post, author, title="Same fix")
    again = save_revision(
        post=post, author=author, content=content_of(title="Same fix"), base_revision_id=stale_base
    )
    assert again is None


def test_another_author_cannot_save_a_revision_but_an_editor_can(
    post, other_author, editor
) -> None:
    with pytest.raises(PermissionError):
        save(post, other_author, title="Hijack")
    assert save(post, editor, title="Editor fix").author == editor


def test_every_saved_revision_leaves_an_audit_event(post: Post, author) -> None:
    revision = save(post, author, title="Audited")
    event = AuditEvent.objects.get(revision=revision)
    assert event.action == AuditEvent.Action.REVISION_SAVED
    assert event.actor == author and event.details["content_hash"] == revision.content_hash
    assert AuditEvent.objects.filter(post=post, action=AuditEvent.Action.POST_CREATED).exists()


def test_audit_events_cannot_be_changed_or_deleted(post: Post) -> None:
    event = AuditEvent.objects.filter(post=post).first()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_restoring_writes_a_new_revision_with_the_old_content(post: Post, author) -> None:
    first = post.latest_revision
    save(post, author, title="Second", body="Changed body")
    restored = restore_revision(
        post=post, revision=first, actor=author, base_revision_id=post.latest_revision_id
    )
    assert restored.number == 3
    assert restored.content_hash == first.content_hash
    assert restored.change_note == "Restored revision 1"
    assert post.revisions.count() == 3
    assert AuditEvent.objects.filter(revision=restored, action="revision_restored").exists()


def test_restoring_the_latest_content_writes_nothing(post: Post, author) -> None:
    latest = post.latest_revision
    assert (
        restore_revision(post=post, revision=latest, actor=author, base_revision_id=latest.pk)
        is None
    )


def test_restore_based_on_an_out_of_date_history_page_is_refused(post: Post, author) -> None:
    first, stale = post.latest_revision, post.latest_revision_id
    save(post, author, title="Newer")
    with pytest.raises(EditConflict):
        restore_revision(post=post, revision=first, actor=author, base_revision_id=stale)


def test_tags_with_the_same_slug_are_one_tag(post: Post, author) -> None:
    save(post, author, substances=("2C-B",))
    save(post, author, substances=("2c b",))
    assert Tag.objects.filter(kind=Tag.Kind.SUBSTANCE, slug="2c-b").count() == 1


def test_word_diff_marks_removed_and_added_words_and_escapes_html() -> None:
    diff = word_diff("Take <one> pill slowly", "Take half a pill slowly")
    assert "<del>&lt;one&gt;</del>" in diff
    assert "<ins>half a</ins>" in diff
    assert (
        word_diff("one two three", "four five six")
        == "<del>one two three</del><ins>four five six</ins>"
    )
    assert "pill slowly" in diff and "<one>" not in diff


def test_compare_covers_every_field_a_reviewer_judges() -> None:
    old = content_of()
    new = RevisionContent(
        title="New title",
        summary=old.summary,
        body=old.body,
        sources=(Source("Sciensano", "https://www.sciensano.be/", "2026-10-02"),),
        substances=("ketamine", "GHB"),
        topics=old.topics,
    )
    diffs = {d.label: d for d in compare(old, new)}
    assert set(diffs) == {"Title", "Summary", "Body", "Sources", "Substances", "Topics",
                          "What changed, for readers"}  # fmt: skip
    assert diffs["Title"].changed and not diffs["Body"].changed
    assert "<ins>Sciensano" in diffs["Sources"].html
    assert "<ins>GHB," in diffs["Substances"].html


def test_a_post_never_published_has_a_latest_revision_but_no_published_one(post) -> None:
    assert post.expect_latest_revision() == post.latest_revision
    with pytest.raises(Revision.DoesNotExist, match="no published revision"):
        post.expect_published_revision()


def test_a_published_post_hands_out_its_published_revision(published) -> None:
    assert published.expect_published_revision() == published.published_revision
