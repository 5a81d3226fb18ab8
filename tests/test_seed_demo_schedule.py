"""The demo has a post whose approved revision is scheduled for publication, which the
editor's home shows."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content.models import Post, PostState, Review, ReviewPolicy, Schedule


@pytest.mark.django_db
def test_the_demo_schedules_an_approved_revision_and_the_editor_sees_it(client: Any) -> None:
    call_command("seed_demo", stdout=StringIO())
    planned = Schedule.objects.pending().get(kind=Schedule.Kind.PUBLISH)
    post = Post.objects.get(pk=planned.post_id)
    assert post.state == PostState.IN_REVIEW and post.published_revision_id is None
    assert planned.revision_id == post.latest_revision_id
    assert planned.run_at > timezone.now()
    approvals = Review.objects.approvals_of(post.latest_revision).count()
    assert approvals >= ReviewPolicy.for_kind(post.kind).required_approvals > 0

    client.force_login(User.objects.get(username="eva"))
    home = client.get(reverse("content:dashboard")).content.decode()
    assert 'id="scheduled"' in home and post.latest_revision.title in home


@pytest.mark.django_db
def test_seeding_again_schedules_nothing_more() -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Schedule.objects.count() == 1
