"""The demo shows a drug alert in force and one that has expired, both with their facts: the
expired one is off the active list, readable with "expired on", and refuses final export."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from content import exports
from content.alerts import facts_of
from content.models import Post, PostKind
from content.views.public import active_alerts

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_active_and_an_expired_structured_alert(client) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    alerts = Post.objects.published().filter(kind=PostKind.DRUG_ALERT)
    structured = [post for post in alerts if facts_of(post.published_revision) is not None]
    active = set(active_alerts()) & set(structured)
    expired = set(Post.objects.expired_alerts()) & set(structured)
    assert active and expired
    for post in expired:
        assert post not in active_alerts()
        assert "expired on" in client.get(post.get_public_url()).content.decode()
        assert "expired on" in exports.final_blocker(post)
    home = client.get(reverse("public:index")).content.decode()
    assert all(post.published_revision.title in home for post in active)
