"""Signed copies for readers (content.exports.reader_copies): the final, signed text of a
published post in each signing profile, handed out by the public site and the API without an
actor or an audit event, and only while the text is in force."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from content import workflow
from content.exporters import SigningError
from content.exports import NotExportable, reader_copies, reader_copy, reader_profiles
from content.models import AuditEvent, ExportProfile, Post
from content.revisions import save_revision
from tests.readers import gpg_verify
from tests.support import content_of


@pytest.fixture
def plain_signed(team_key: Any) -> ExportProfile:
    profile = ExportProfile.objects.get(slug="plain-text")
    profile.sign, profile.signing_key = True, team_key
    profile.full_clean()
    profile.save()
    return profile


def test_a_published_post_has_a_signed_copy_per_signing_profile_that_stock_gpg_verifies(
    published: Post, signed_profile: ExportProfile, plain_signed: ExportProfile, gpg_keys: Any
) -> None:
    events = AuditEvent.objects.count()
    assert {p.slug for p in reader_profiles(published)} == {"phpbb", "plain-text"}
    copies = reader_copies(published)
    assert {copy.profile.slug for copy in copies} == {"phpbb", "plain-text"}
    for copy in copies:
        assert copy.final and copy.result.signed
        assert copy.revision == published.published_revision
        name, data, _ = copy.download()
        assert name.endswith(".txt")
        assert gpg_verify(gpg_keys.home, data).returncode == 0
    # Readers' downloads are not team actions: nothing is written to the audit log.
    assert AuditEvent.objects.count() == events


def test_profiles_that_do_not_sign_or_are_switched_off_give_no_copy(
    published: Post, signed_profile: ExportProfile
) -> None:
    with pytest.raises(ExportProfile.DoesNotExist):
        reader_copy(published, "reddit")  # does not sign
    signed_profile.active = False
    signed_profile.save()
    assert reader_profiles(published) == []
    with pytest.raises(ExportProfile.DoesNotExist):
        reader_copy(published, "phpbb")


def test_a_key_that_cannot_sign_now_leaves_its_profiles_out(
    published: Post, signed_profile: ExportProfile
) -> None:
    key = signed_profile.signing_key
    assert key is not None
    key.expires = timezone.now() - datetime.timedelta(days=1)
    key.save()
    assert reader_profiles(published) == []
    assert reader_copies(published) == []
    with pytest.raises(SigningError):
        reader_copy(published, "phpbb")


def test_only_a_text_in_force_is_handed_out(
    published: Post, signed_profile: ExportProfile, author: Any, reviewer: Any, editor: Any
) -> None:
    # A newer draft does not change what readers get: the published revision.
    save_revision(
        post=published,
        author=author,
        content=content_of(title="Newer text, not reviewed"),
        base_revision_id=published.latest_revision_id,
    )
    post = Post.objects.select_related("language").get(pk=published.pk)
    assert post.latest_revision_id != post.published_revision_id
    copy = reader_copy(post, "phpbb")
    assert copy.revision == post.published_revision
    assert "Newer text" not in "".join(copy.parts)
    # Overdue: no copy until it is re-reviewed.
    Post.objects.filter(pk=post.pk).update(review_due=timezone.localdate() - datetime.timedelta(1))
    post.refresh_from_db()
    assert reader_profiles(post) == []
    with pytest.raises(NotExportable, match="overdue"):
        reader_copy(post, "phpbb")
    # Withdrawn: none either.
    Post.objects.filter(pk=post.pk).update(review_due=None)
    post.refresh_from_db()
    workflow.withdraw(post=post, actor=editor, reason="Wrong dose", public_reason="Wrong dose.")
    post.refresh_from_db()
    assert reader_copies(post) == []
    with pytest.raises(NotExportable, match="withdrawn"):
        reader_copy(post, "phpbb")
