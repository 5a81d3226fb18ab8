"""The studio through the test client, as an author, another author, a reviewer and an editor."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from content.models import Post, PostKind
from content.revisions import SlugTaken, create_post
from tests.support import PASSWORD, content_of, form_data


def test_the_login_page_logs_an_author_in_and_shows_their_dashboard(client, author) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b'name="password"' in page.content
    response = client.post(
        reverse("login"), {"username": "author", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("content:dashboard")
    assert b"My posts" in response.content


def test_a_wrong_password_is_refused_with_a_message(client, author) -> None:
    response = client.post(reverse("login"), {"username": "author", "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_anonymous_visitors_are_sent_to_the_login_page(client, post) -> None:
    for url in (reverse("content:dashboard"), reverse("content:post_edit", args=[post.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_author_creates_a_post_with_sources_and_tags(author_client, author) -> None:
    response = author_client.post(reverse("content:post_create"), form_data(change_note="Start"))
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    revision = post.latest_revision
    assert (post.language.code, post.kind, post.slug) == (
        "nl",
        "drug_alert",
        "ketamine-and-your-bladder",
    )
    assert revision.number == 1 and revision.author == author and revision.change_note == "Start"
    assert revision.sources == [
        {
            "title": "EUDA drug profile",
            "url": "https://www.euda.europa.eu/",
            "consulted": "2026-10-01",
        }
    ]
    assert revision.substances == ["ketamine"] and revision.topics == ["safer use"]
    page = author_client.get(post.get_absolute_url())
    assert b"<strong>damage</strong>" in page.content and b"EUDA drug profile" in page.content


def test_editing_writes_a_new_revision_and_saving_unchanged_writes_none(
    author_client, post
) -> None:
    edit = reverse("content:post_edit", args=[post.pk])
    page = author_client.get(edit)
    assert page.status_code == 200 and b"markdownx-editor" in page.content
    author_client.post(edit, form_data(post, title="Better title", change_note="Clearer"))
    post.refresh_from_db()
    assert post.latest_revision.number == 2 and post.latest_revision.title == "Better title"
    response = author_client.post(edit, form_data(post, title="Better title"), follow=True)
    assert b"Nothing changed" in response.content
    assert post.revisions.count() == 2


def test_a_second_editor_on_an_old_revision_gets_a_conflict_and_keeps_their_text(
    client, post, author, editor
) -> None:
    edit = reverse("content:post_edit", args=[post.pk])
    stale = form_data(post, body="My careful rewrite of the **whole** text.")
    client.force_login(editor)
    client.post(edit, form_data(post, title="Editor's new title"))
    client.force_login(author)
    response = client.post(edit, stale)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Edit conflict" in text and "Your text has not been saved" in text
    assert "My careful rewrite of the **whole** text." in text
    assert "<del>Ketamine and your bladder</del><ins>Editor&#x27;s new title</ins>" in text
    post.refresh_from_db()
    assert post.revisions.count() == 2
    # Saving again from the conflict page is a deliberate choice and goes through.
    resubmit = stale | {"base_revision": str(post.latest_revision_id)}
    client.post(edit, resubmit)
    post.refresh_from_db()
    assert post.latest_revision.number == 3
    assert post.latest_revision.body.startswith("My careful rewrite")


def test_another_author_cannot_edit_a_post_even_by_crafting_a_post(
    client, post, other_author
) -> None:
    client.force_login(other_author)
    edit = reverse("content:post_edit", args=[post.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, form_data(post, title="Hijacked")).status_code == 403
    restore = reverse("content:revision_restore", args=[post.pk, 1])
    assert client.post(restore, {"base_revision": post.latest_revision_id}).status_code == 403
    post.refresh_from_db()
    assert post.revisions.count() == 1


def test_an_editor_can_edit_anyones_post(client, post, editor) -> None:
    client.force_login(editor)
    client.post(reverse("content:post_edit", args=[post.pk]), form_data(post, title="Fixed"))
    post.refresh_from_db()
    assert post.latest_revision.author == editor


def test_a_reviewer_can_read_but_not_create_or_edit(client, post, reviewer) -> None:
    client.force_login(reviewer)
    assert client.get(post.get_absolute_url()).status_code == 200
    assert client.get(reverse("content:post_create")).status_code == 403
    assert client.post(reverse("content:post_create"), form_data()).status_code == 403
    assert client.get(reverse("content:post_edit", args=[post.pk])).status_code == 403


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"body": "   "}, "The body is empty."),
        ({"body": "> " * 40 + "deep"}, "levels deep"),
        ({"substances": ",".join(f"s{i}" for i in range(21))}, "At most 20 tags"),
        ({"topics": "y" * 61}, "at most 60 characters"),
        ({"sources-0-url": "not a url"}, "Enter a valid URL."),
        ({"sources-0-url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"sources-0-title": ""}, "Give this source a title"),
        ({"sources-0-consulted": "2999-01-01"}, "cannot be in the future"),
        ({"sources-0-consulted": "yesterday"}, "Enter a valid date."),
        ({"sources-TOTAL_FORMS": "51"}, "Please submit at most 50 forms."),
        ({"base_revision": "abc"}, "Enter a whole number."),
        ({"change_note": "n" * 301}, "at most 300 characters"),
    ],
)
def test_bad_input_on_the_edit_form_is_explained_and_nothing_is_lost(
    author_client, post, changes, message
) -> None:
    data = form_data(post, **{"body": "My unsaved words stay."} | changes)
    response = author_client.post(reverse("content:post_edit", args=[post.pk]), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text.replace("&#x27;", "'")
    assert "Nothing was saved yet" in text
    if "body" not in changes:
        assert "My unsaved words stay." in text
    assert post.revisions.count() == 1


@override_settings(CONTENT_MAX_BODY_CHARS=1000)
def test_a_body_over_the_limit_gets_a_clear_error_and_stays_in_the_form(
    author_client, post
) -> None:
    body = "word " * 400
    response = author_client.post(
        reverse("content:post_edit", args=[post.pk]), form_data(post, body=body)
    )
    text = response.content.decode()
    assert "2,000 characters long; the limit is 1,000 characters" in text
    assert body.strip() in text


def test_a_new_post_with_a_taken_slug_is_refused(author_client, post) -> None:
    data = form_data(slug=post.slug, language=post.language.pk)
    response = author_client.post(reverse("content:post_create"), data)
    assert response.status_code == 200
    assert b"already used" in response.content
    assert Post.objects.count() == 1


def test_create_post_turns_a_slug_race_into_a_clear_error(post, author) -> None:
    with pytest.raises(SlugTaken, match="already used"):
        create_post(
            author=author,
            language=post.language,
            kind=PostKind.ARTICLE,
            content=content_of(),
            slug=post.slug,
        )
    assert Post.objects.count() == 1


def test_a_new_post_with_a_missing_language_or_kind_is_refused(author_client) -> None:
    response = author_client.post(
        reverse("content:post_create"), form_data(language="999", kind="rumour")
    )
    text = response.content.decode()
    assert "Select a valid choice" in text and Post.objects.count() == 0


def test_history_lists_revisions_and_compare_shows_a_word_diff(author_client, post, author) -> None:
    edit = reverse("content:post_edit", args=[post.pk])
    author_client.post(
        edit, form_data(post, body="Frequent use can **harm** the bladder.", change_note="Softer")
    )
    history = author_client.get(reverse("content:post_history", args=[post.pk])).content.decode()
    assert "r2" in history and "r1" in history and "Softer" in history and "author" in history
    compare = author_client.get(
        reverse("content:revision_compare", args=[post.pk]), {"from": 1, "to": 2}
    ).content.decode()
    assert "<del>**damage**</del>" in compare and "<ins>**harm**</ins>" in compare


def test_compare_with_a_revision_that_does_not_exist_is_not_found(author_client, post) -> None:
    url = reverse("content:revision_compare", args=[post.pk])
    assert author_client.get(url, {"from": 1, "to": 99}).status_code == 404
    assert author_client.get(url, {"from": "x", "to": "y"}).status_code == 200


def test_restore_from_the_history_page_writes_a_new_revision(author_client, post) -> None:
    first_title = post.latest_revision.title
    author_client.post(reverse("content:post_edit", args=[post.pk]), form_data(post, title="Oops"))
    post.refresh_from_db()
    response = author_client.post(
        reverse("content:revision_restore", args=[post.pk, 1]),
        {"base_revision": post.latest_revision_id},
        follow=True,
    )
    assert b"Restored revision 1 as new revision 3" in response.content
    post.refresh_from_db()
    assert post.latest_revision.number == 3 and post.latest_revision.title == first_title


def test_restore_from_a_stale_history_page_changes_nothing(author_client, post) -> None:
    stale = post.latest_revision_id
    author_client.post(reverse("content:post_edit", args=[post.pk]), form_data(post, title="Newer"))
    response = author_client.post(
        reverse("content:revision_restore", args=[post.pk, 1]),
        {"base_revision": stale},
        follow=True,
    )
    assert b"Not restored" in response.content
    assert post.revisions.count() == 2


def test_restore_needs_post_and_csrf(client, post, author) -> None:
    url = reverse("content:revision_restore", args=[post.pk, 1])
    client.force_login(author)
    assert client.get(url).status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    assert strict.post(url, {"base_revision": post.latest_revision_id}).status_code == 403


def test_stored_html_is_served_and_titles_are_escaped(author_client, author, english) -> None:
    post = create_post(
        author=author,
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(title="<script>alert(1)</script>", summary="<b>x</b>"),
    )
    page = author_client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<b>x</b>" not in page


def test_dashboard_query_count_does_not_grow_with_posts(
    author_client, author, english, assert_constant_queries
) -> None:
    def add_rows(n: int) -> None:
        for i in range(n):
            create_post(
                author=author,
                language=english,
                kind=PostKind.ARTICLE,
                content=content_of(title=f"P{i}"),
            )

    response = assert_constant_queries(
        lambda: author_client.get(reverse("content:dashboard"), {"show": "mine"}), add_rows
    )
    assert response.content.count(b"<tr>") == 13


def test_an_author_sees_only_their_posts_unless_asking_for_all(client, post, other_author) -> None:
    client.force_login(other_author)
    assert post.title.encode() not in client.get(reverse("content:dashboard")).content
    mine = client.get(reverse("content:dashboard"), {"show": "mine"}).content
    assert post.title.encode() not in mine
    assert post.title.encode() in client.get(reverse("content:dashboard"), {"show": "all"}).content


def test_a_post_archived_while_being_edited_refuses_the_save_but_keeps_the_text(
    client, post, author, editor
) -> None:
    from content import workflow

    data = form_data(post, body="Words typed before the archive.")
    workflow.archive(post=post, actor=editor)
    client.force_login(author)
    response = client.post(reverse("content:post_edit", args=[post.pk]), data)
    text = response.content.decode()
    assert response.status_code == 409
    assert "archived" in text and "Words typed before the archive." in text
    assert post.revisions.count() == 1
    assert client.get(reverse("content:post_edit", args=[post.pk])).status_code == 302
