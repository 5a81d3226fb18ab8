"""An edit conflict through the test client: the author's text merged with the newer revision."""

from __future__ import annotations

import html

from django.urls import reverse

from content.merge import ERROR_CONFLICT_MARKERS
from tests.support import form_data

BODY = "Paragraph one.\n\nParagraph two.\n\nParagraph three."


def _start(client, post, author, editor):
    """The author and the editor both open revision 2; the editor saves paragraph one first."""
    edit = reverse("content:post_edit", args=[post.pk])
    client.force_login(author)
    client.post(edit, form_data(post, body=BODY))
    post.refresh_from_db()
    stale = post.latest_revision_id
    client.force_login(editor)
    client.post(edit, form_data(post, body=BODY.replace("one.", "one, by the editor.")))
    client.force_login(author)
    return edit, stale


def test_changes_to_other_paragraphs_merge_cleanly_and_save_as_both(
    client, post, author, editor
) -> None:
    edit, stale = _start(client, post, author, editor)
    mine = form_data(post, body=BODY.replace("three.", "three, by the author."))
    response = client.post(edit, mine | {"base_revision": stale})
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    merged = "Paragraph one, by the editor.\n\nParagraph two.\n\nParagraph three, by the author."
    assert merged in page
    assert "Body: merged cleanly" in page and "revision 3 by editor" in page
    post.refresh_from_db()
    assert post.revisions.count() == 3  # nothing saved yet
    form = response.context["form"]
    assert form["base_revision"].value() == str(post.latest_revision_id)
    client.post(
        edit, mine | {"body": form["body"].value(), "base_revision": post.latest_revision_id}
    )
    post.refresh_from_db()
    assert post.latest_revision.number == 4 and post.latest_revision.body == merged


def test_changes_to_the_same_line_are_marked_and_cannot_be_saved_until_resolved(
    client, post, author, editor
) -> None:
    edit, stale = _start(client, post, author, editor)
    mine = form_data(post, body=BODY.replace("one.", "one, by the author."))
    response = client.post(edit, mine | {"base_revision": stale})
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Body: <strong>conflicts</strong>" in page
    body = response.context["form"]["body"].value()
    assert body.startswith(
        "<<<<<<< your text\nParagraph one, by the author.\n=======\n"
        "Paragraph one, by the editor.\n>>>>>>> revision 3 by editor\n"
    )
    post.refresh_from_db()
    latest = post.latest_revision_id
    refused = client.post(edit, mine | {"body": body, "base_revision": latest})
    assert refused.status_code == 200
    assert str(ERROR_CONFLICT_MARKERS) in html.unescape(refused.content.decode())
    assert body in html.unescape(refused.content.decode())  # the text is kept
    post.refresh_from_db()
    assert post.revisions.count() == 3
    resolved = BODY.replace("one.", "one, by both.")
    client.post(edit, mine | {"body": resolved, "base_revision": latest})
    post.refresh_from_db()
    assert post.latest_revision.number == 4 and post.latest_revision.body == resolved


def test_sources_and_tags_come_from_the_newer_revision_unless_the_author_changed_them(
    client, post, author, editor
) -> None:
    edit = reverse("content:post_edit", args=[post.pk])
    stale = post.latest_revision_id
    client.force_login(editor)
    client.post(edit, form_data(post, topics="safer use, bladder", **{"sources-1-title": "Lab"}))
    client.force_login(author)
    response = client.post(
        edit, form_data(post, substances="ketamine, alcohol") | {"base_revision": stale}
    )
    assert response.status_code == 409
    form = response.context["form"]
    assert form["topics"].value() == "bladder, safer use"
    assert form["substances"].value() == "alcohol, ketamine"
    sources = response.context["sources"]
    assert [f["title"].value() for f in sources.forms][:2] == ["EUDA drug profile", "Lab"]
    page = html.unescape(response.content.decode())
    assert "Topics: taken from revision 2 by editor (you did not change it)" in page
    assert "Substances: yours (only you changed it)" in page
