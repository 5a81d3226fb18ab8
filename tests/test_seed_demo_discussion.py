"""The demo's post in review has a review discussion written through content.discussion: a
reviewer's comment on a quoted passage, the author's reply, and a thread the author resolved,
with their notifications and audit rows; seeding again adds nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from content.demo_data import DISCUSSED
from content.discussion import normalised
from content.models import AuditEvent, Comment, CommentResolution, Notification, Post, PostState


def seed() -> None:
    call_command("seed_demo", stdout=StringIO())


def discussed() -> Post:
    language, slug = DISCUSSED
    return Post.objects.get(language__code=language, slug=slug)


def counts() -> tuple[int, ...]:
    return (
        Comment.objects.count(),
        CommentResolution.objects.count(),
        AuditEvent.objects.filter(action=AuditEvent.Action.COMMENTED).count(),
        AuditEvent.objects.filter(action=AuditEvent.Action.COMMENT_RESOLVED).count(),
        Notification.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_post_in_review_has_a_discussion_with_a_quote_a_reply_and_a_resolved_thread(
    client: Any,
) -> None:
    seed()
    post = discussed()
    assert post.state == PostState.IN_REVIEW
    revision = post.expect_latest_revision()
    threads = list(post.comments.filter(parent=None).order_by("pk"))
    assert len(threads) == 2
    quoted, settled = threads
    assert quoted.author.has_perm("content.review_post") and quoted.quote
    assert normalised(quoted.quote) in normalised(revision.body)
    (reply,) = quoted.replies.all()
    assert reply.author == post.created_by
    assert not CommentResolution.objects.filter(comment=quoted).exists()
    assert settled.resolution.resolved_by == post.created_by
    assert {c.revision_id for c in post.comments.all()} == {revision.pk}

    assert AuditEvent.objects.filter(action=AuditEvent.Action.COMMENTED, post=post).count() == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.COMMENT_RESOLVED, post=post).exists()
    assert Notification.objects.filter(recipient=post.created_by, post=post).exists()
    assert Notification.objects.filter(recipient=quoted.author, post=post).exists()  # the reply

    # The reviewer who has not decided yet finds it waiting, with its open thread.
    client.force_login(User.objects.get(username="sofie"))
    home = client.get(reverse("content:dashboard")).content.decode()
    assert "1 open comment</a>" in home


@pytest.mark.django_db
def test_seeding_again_adds_no_comment_resolution_audit_row_or_notification() -> None:
    seed()
    before = counts()
    assert before[0] == 3
    seed()
    assert counts() == before
