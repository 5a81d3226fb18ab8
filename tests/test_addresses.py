"""content.addresses.change_slug(): who may change a post's address, and what old ones answer."""

from __future__ import annotations

import pytest

from content import addresses, workflow
from content.models import AuditEvent, OldAddress, Post, PostKind
from content.revisions import SlugTaken, create_post, unique_slug
from tests.support import EXPOSED, content_of
from tests.workflow_helpers import publish


def slug_events(post: Post) -> list[dict]:
    events = AuditEvent.objects.filter(post=post, action=AuditEvent.Action.SLUG_CHANGED)
    return [event.details for event in events.order_by("pk")]


def test_the_first_title_makes_the_slug(named_post) -> None:
    assert named_post.slug == EXPOSED


def test_the_author_changes_the_slug_before_publication_and_it_is_audited(
    named_post, author
) -> None:
    addresses.change_slug(
        post=named_post, actor=author, slug="ketamine-test", keep_old_address=True
    )
    named_post.refresh_from_db()
    assert named_post.slug == "ketamine-test"
    (event,) = slug_events(named_post)
    assert (event["old_slug"], event["new_slug"]) == (EXPOSED, "ketamine-test")
    assert event["old_address"] == "dropped (never published)"
    assert AuditEvent.objects.get(action=AuditEvent.Action.SLUG_CHANGED).actor == author
    # Nobody outside the team saw the old address: nothing keeps it.
    assert not OldAddress.objects.exists()


def test_another_author_and_a_reviewer_cannot_change_the_slug(named_post, other_author, reviewer):
    for person in (other_author, reviewer):
        with pytest.raises(workflow.NotPermitted):
            addresses.change_slug(post=named_post, actor=person, slug="mine", keep_old_address=True)
    assert Post.objects.get(pk=named_post.pk).slug == EXPOSED and not slug_events(named_post)


def test_after_publication_the_author_may_no_longer_change_the_slug(named_post, author, reviewer):
    publish(named_post, [reviewer])
    with pytest.raises(workflow.NotPermitted, match="only an editor"):
        addresses.change_slug(post=named_post, actor=author, slug="ketamine", keep_old_address=True)
    assert Post.objects.get(pk=named_post.pk).slug == EXPOSED and not slug_events(named_post)


def test_after_a_withdrawal_the_address_still_counts_as_published(
    named_post, author, reviewer, editor
):
    workflow.withdraw(post=publish(named_post, [reviewer]), actor=editor, reason="Name in address")
    with pytest.raises(workflow.NotPermitted):
        addresses.change_slug(
            post=named_post, actor=author, slug="ketamine", keep_old_address=False
        )


@pytest.mark.parametrize(("keep", "kind"), [(True, "redirect"), (False, "gone")])
def test_an_editor_changes_a_published_slug_and_chooses_what_the_old_one_does(
    named_post, reviewer, editor, keep, kind
) -> None:
    publish(named_post, [reviewer])
    addresses.change_slug(
        post=named_post, actor=editor, slug="ketamine-test", keep_old_address=keep
    )
    old = OldAddress.objects.get()
    assert (old.post, old.language, old.slug, old.kind, old.changed_by) == (
        named_post, named_post.language, EXPOSED, kind, editor
    )  # fmt: skip
    assert slug_events(named_post) == [
        {"old_slug": EXPOSED, "new_slug": "ketamine-test", "old_address": kind}
    ]


def test_the_same_slug_changes_nothing_and_writes_no_event(named_post, author) -> None:
    addresses.change_slug(post=named_post, actor=author, slug=EXPOSED, keep_old_address=True)
    assert not slug_events(named_post)


@pytest.mark.parametrize("bad", ["Upper-Case", "with space", "ümlaut", "", "a" * 121, "a/b"])
def test_a_malformed_slug_is_refused(named_post, author, bad) -> None:
    with pytest.raises(addresses.BadSlug, match="lower-case letters"):
        addresses.change_slug(post=named_post, actor=author, slug=bad, keep_old_address=True)


def test_a_slug_another_post_uses_is_taken(named_post, post, author) -> None:
    with pytest.raises(SlugTaken, match="already used by another post"):
        addresses.change_slug(post=named_post, actor=author, slug=post.slug, keep_old_address=True)


def test_the_same_slug_in_another_language_is_free(named_post, author, languages) -> None:
    other = create_post(author=author, language=languages["nl"], kind=PostKind.ARTICLE,
                        content=content_of(title="Ketamine"))  # fmt: skip
    addresses.change_slug(post=other, actor=author, slug=EXPOSED, keep_old_address=True)
    assert Post.objects.get(pk=other.pk).slug == EXPOSED


def test_a_redirecting_old_address_cannot_be_taken_by_another_post(
    named_post, author, reviewer, editor, english
) -> None:
    publish(named_post, [reviewer])
    addresses.change_slug(
        post=named_post, actor=editor, slug="ketamine-test", keep_old_address=True
    )
    with pytest.raises(SlugTaken):
        create_post(author=author, language=english, kind=PostKind.ARTICLE,
                    content=content_of(), slug=EXPOSED)  # fmt: skip
    other = create_post(author=author, language=english, kind=PostKind.ARTICLE,
                        content=content_of(title="Ketamine and Anna Janssens test"))  # fmt: skip
    assert other.slug == f"{EXPOSED}-2"  # the generated slug steps around it
    assert unique_slug(language=english, title="Ketamine and Anna Janssens test") == f"{EXPOSED}-3"
    with pytest.raises(SlugTaken):
        addresses.change_slug(post=other, actor=author, slug=EXPOSED, keep_old_address=True)


def test_a_gone_address_may_be_used_again_and_its_rule_ends(
    named_post, author, reviewer, editor, english
) -> None:
    publish(named_post, [reviewer])
    addresses.change_slug(
        post=named_post, actor=editor, slug="ketamine-test", keep_old_address=False
    )
    other = create_post(author=author, language=english, kind=PostKind.ARTICLE,
                        content=content_of(), slug=EXPOSED)  # fmt: skip
    assert other.slug == EXPOSED and not OldAddress.objects.exists()


def test_a_post_may_take_back_its_own_old_address(named_post, reviewer, editor) -> None:
    publish(named_post, [reviewer])
    addresses.change_slug(
        post=named_post, actor=editor, slug="ketamine-test", keep_old_address=True
    )
    addresses.change_slug(post=named_post, actor=editor, slug=EXPOSED, keep_old_address=True)
    old = OldAddress.objects.get()
    assert Post.objects.get(pk=named_post.pk).slug == EXPOSED
    assert (old.slug, old.kind) == ("ketamine-test", "redirect")


def test_resolve_finds_the_post_an_old_address_redirects_to_and_names_nothing_when_gone(
    named_post, reviewer, editor
) -> None:
    publish(named_post, [reviewer])
    addresses.change_slug(post=named_post, actor=editor, slug="step-1", keep_old_address=True)
    addresses.change_slug(post=named_post, actor=editor, slug="step-2", keep_old_address=False)
    assert addresses.resolve(language_code="en", slug="step-2").post == named_post
    first = addresses.resolve(language_code="en", slug=EXPOSED)
    assert first.post is None and first.old.post == named_post and not first.gone
    assert addresses.resolve(language_code="en", slug="step-1").gone
    nothing = addresses.resolve(language_code="en", slug="never-was")
    assert nothing.post is None and nothing.old is None


@pytest.mark.parametrize("reserved", ["feed", "substances"])
def test_the_public_sites_own_paths_are_never_made_into_a_post_address(
    reserved, author, english
) -> None:
    """/en/feed/ and /en/substances/ are the site's pages: a post titled so gets "-2", and
    asking for the address outright is refused as taken."""
    post = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(title=reserved)
    )
    assert post.slug == f"{reserved}-2"
    assert unique_slug(language=english, title=reserved.title()) == f"{reserved}-3"
    with pytest.raises(SlugTaken):
        create_post(
            author=author,
            language=english,
            kind=PostKind.ARTICLE,
            content=content_of(title="Other"),
            slug=reserved,
        )
