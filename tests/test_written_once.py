"""What a reviewer judged, and the record of it, can never be changed through the ORM."""

from __future__ import annotations

from typing import Any

import pytest

from content.models import AuditEvent, OpsecOverride, Review, Revision, SignedStatement


def rows(published: Any, editor: Any) -> dict[str, Any]:
    revision = published.published_revision
    return {
        "revision": revision,
        "review": Review.objects.get(revision=revision),
        "audit event": AuditEvent.objects.filter(post=published).first(),
        "override": OpsecOverride.objects.create(
            revision=revision, key="k", rule="phrase", where="body", reason="ok", actor=editor
        ),
        "statement": SignedStatement.objects.create(
            kind=SignedStatement.Kind.CANARY, text="signed", fingerprint="F" * 40
        ),
    }


@pytest.mark.parametrize("name", ["revision", "review", "audit event", "override", "statement"])
def test_a_row_written_once_refuses_to_be_saved_again_or_updated(published, editor, name):
    row = rows(published, editor)[name]
    model = type(row)
    with pytest.raises(TypeError, match=model.written_once_message):
        row.save()
    with pytest.raises(TypeError, match=model.written_once_message):
        model.objects.filter(pk=row.pk).update(pk=row.pk)
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", [AuditEvent, SignedStatement])
def test_the_audit_log_and_signed_statements_cannot_be_deleted(published, editor, model):
    row = next(r for r in rows(published, editor).values() if isinstance(r, model))
    with pytest.raises(TypeError, match=model.written_once_message):
        row.delete()
    with pytest.raises(TypeError, match=model.written_once_message):
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_the_messages_say_what_to_do_instead() -> None:
    assert "save a new revision" in Revision.written_once_message
    assert "record a new one" in Review.written_once_message
