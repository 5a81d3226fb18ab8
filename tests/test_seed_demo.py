"""seed_demo: demo accounts in every role and sourced demo posts, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from content import roles
from content.models import Post, Revision


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_accounts_in_each_role_and_prints_them() -> None:
    output = run()
    users = get_user_model().objects.prefetch_related("groups")
    by_role = {
        role: [u.username for u in users if u.groups.filter(name=role).exists()]
        for role in (roles.AUTHORS, roles.REVIEWERS, roles.EDITORS)
    }
    assert len(by_role[roles.AUTHORS]) >= 1 and len(by_role[roles.REVIEWERS]) >= 2
    assert len(by_role[roles.EDITORS]) >= 1
    for username in [name for names in by_role.values() for name in names]:
        assert username in output
    assert "Password: demo-password" in output
    assert authenticate(username=by_role[roles.EDITORS][0], password="demo-password").is_staff


@pytest.mark.django_db
def test_seed_demo_writes_sourced_posts_in_three_languages() -> None:
    run()
    posts = Post.objects.with_revisions()
    assert {p.language.code for p in posts} == {"nl", "fr", "en"}
    assert {p.kind for p in posts} >= {"drug_alert", "article", "faq_answer", "fact_sheet"}
    for post in posts:
        assert post.latest_revision.sources, post.slug
        assert post.latest_revision.rendered_html.startswith("<")
    assert Revision.objects.filter(number__gt=1).exists(), "one post shows a history"


@pytest.mark.django_db
def test_running_seed_demo_twice_duplicates_nothing_and_sets_the_given_password() -> None:
    run()
    counts = (get_user_model().objects.count(), Post.objects.count(), Revision.objects.count())
    output = run("--password", "another-secret")
    assert (
        get_user_model().objects.count(),
        Post.objects.count(),
        Revision.objects.count(),
    ) == counts
    assert "0 created" in output
    assert authenticate(username="anna", password="another-secret") is not None


@pytest.mark.django_db
def test_a_migration_provides_dutch_french_and_english() -> None:
    from content.models import Language

    assert set(Language.objects.values_list("code", flat=True)) >= {"nl", "fr", "en"}


@pytest.mark.django_db
def test_the_demo_shows_every_workflow_state_and_an_outdated_repost() -> None:
    from content.reposts import outdated_reposts

    run()
    labels = [post.status_label for post in Post.objects.with_revisions()]
    for expected in (
        "draft",
        "in review: 0 of 1 approvals",
        "changes requested: ",
        "published",
        "published, newer draft in review",
        "published, review overdue",
        "withdrawn: ",
    ):
        assert any(label.startswith(expected) for label in labels), expected
    assert {r.post.slug for r in outdated_reposts()} == {
        "high-dose-mdma-pills-orange-tesla",
        "pmma-sold-as-ecstasy",
    }
