"""Changing a post's address on the post form, and what readers get at the old address."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from content.models import AuditEvent, OldAddress, Post, PostKind
from content.revisions import ERROR_SLUG_TAKEN, create_post
from tests.support import EXPOSED, content_of, form_data
from tests.workflow_helpers import publish


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def edit(client: Client, post: Post, **changes: Any) -> Any:
    post = Post.objects.get(pk=post.pk)
    data = form_data(post, **({"title": "Ketamine test"} | changes))
    return client.post(reverse("content:post_edit", args=[post.pk]), data)


def slug_events(post: Post) -> int:
    return AuditEvent.objects.filter(post=post, action=AuditEvent.Action.SLUG_CHANGED).count()


def public(slug: str) -> str:
    return reverse("public:post", args=["en", slug])


def test_the_post_form_shows_the_address_and_the_author_changes_it_before_publication(
    author_client, named_post
) -> None:
    page = author_client.get(reverse("content:post_edit", args=[named_post.pk])).content.decode()
    assert f'name="slug" value="{EXPOSED}"' in page and 'name="old_address"' not in page
    response = edit(author_client, named_post, slug="ketamine-test")
    named_post.refresh_from_db()
    assert response.status_code == 302 and named_post.slug == "ketamine-test"
    assert named_post.latest_revision.title == "Ketamine test" and slug_events(named_post) == 1
    assert author_client.get(named_post.get_absolute_url()).status_code == 200


def test_a_slug_in_use_is_refused_on_the_form_and_nothing_is_saved(
    author_client, named_post, post
) -> None:
    response = edit(author_client, named_post, slug=post.slug)
    assert response.status_code == 200 and str(ERROR_SLUG_TAKEN) in response.content.decode()
    named_post.refresh_from_db()
    assert (
        named_post.slug == EXPOSED
        and named_post.latest_revision.number == 1
        and not slug_events(named_post)
    )


@pytest.mark.parametrize("bad", ["With Capitals", "Upper", "a/b"])
def test_a_malformed_slug_is_refused_on_the_form(author_client, named_post, bad) -> None:
    response = edit(author_client, named_post, slug=bad)
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert Post.objects.get(pk=named_post.pk).slug == EXPOSED


def test_an_empty_slug_field_keeps_the_address(author_client, named_post) -> None:
    edit(author_client, named_post, slug="")
    named_post.refresh_from_db()
    assert (
        named_post.slug == EXPOSED
        and named_post.latest_revision.number == 2
        and not slug_events(named_post)
    )


def test_after_publication_the_author_cannot_change_the_address(
    author_client, named_post, reviewer
) -> None:
    publish(named_post, [reviewer])
    page = author_client.get(reverse("content:post_edit", args=[named_post.pk])).content.decode()
    assert "only an editor can change it" in page and "disabled" in page
    edit(author_client, named_post, slug="ketamine-test", old_address="gone")
    named_post.refresh_from_db()
    assert (
        named_post.slug == EXPOSED
        and not slug_events(named_post)
        and not OldAddress.objects.exists()
    )


def test_an_editor_must_say_what_the_published_address_does(
    editor_client, named_post, reviewer
) -> None:
    publish(named_post, [reviewer])
    response = edit(editor_client, named_post, slug="ketamine-test")
    assert response.status_code == 200
    assert "choose what that address does" in response.content.decode()
    assert Post.objects.get(pk=named_post.pk).slug == EXPOSED


def test_an_editors_change_with_a_redirect_sends_readers_on_with_301(
    client, editor_client, named_post, reviewer
) -> None:
    publish(named_post, [reviewer])
    response = edit(editor_client, named_post, slug="ketamine-test", old_address="redirect")
    assert response.status_code == 302 and slug_events(named_post) == 1
    old = client.get(public(EXPOSED))
    assert old.status_code == 301 and old["Location"] == public("ketamine-test")
    # The editor's edit also made a new draft; readers still get the published text there.
    page = client.get(public("ketamine-test"))
    assert page.status_code == 200 and "Ketamine and Anna Janssens test" in page.content.decode()


def test_an_editors_change_with_gone_answers_410_and_names_nothing(
    client, editor_client, named_post, reviewer
) -> None:
    publish(named_post, [reviewer])
    edit(editor_client, named_post, slug="ketamine-test", old_address="gone",
         title="Ketamine and Anna Janssens test")  # fmt: skip
    gone = client.get(public(EXPOSED))
    text = gone.content.decode()
    assert gone.status_code == 410 and "no longer in use" in text
    assert "Ketamine" not in text and "ketamine-test" not in text
    assert client.get(public("ketamine-test")).status_code == 200
    assert Post.objects.get(pk=named_post.pk).latest_revision.number == 1  # nothing else changed


def test_the_feed_names_only_the_new_address(client, editor_client, named_post, reviewer) -> None:
    publish(named_post, [reviewer])
    edit(editor_client, named_post, slug="ketamine-test", old_address="gone",
         title="Ketamine and Anna Janssens test")  # fmt: skip
    feed = client.get(reverse("public:feed", args=["en"])).content.decode()
    assert public("ketamine-test") in feed and EXPOSED not in feed


def test_an_unknown_address_is_still_404(client, named_post) -> None:
    assert client.get(public("never-was")).status_code == 404


def test_a_long_generated_slug_does_not_block_saving(author_client, author, english) -> None:
    title = "Ketamine " * 14
    for _ in range(2):
        long = create_post(author=author, language=english, kind=PostKind.ARTICLE,
                           content=content_of(title=title))  # fmt: skip
    assert len(long.slug) > 100
    response = edit(author_client, long, slug=long.slug, title="Ketamine")
    assert response.status_code == 302 and Post.objects.get(pk=long.pk).latest_revision.number == 2
