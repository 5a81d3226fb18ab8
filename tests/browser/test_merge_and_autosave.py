"""An edit conflict merged in a real browser, and the form's text kept in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from content.models import Post, PostKind
from content.revisions import create_post
from tests.browser.helpers import log_in
from tests.support import content_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Paragraph one: start low.\n\nParagraph two: go slow.\n\nParagraph three: never alone."


def _post(author, languages) -> Post:
    return create_post(
        author=author,
        language=languages["en"],
        kind=PostKind.ARTICLE,
        content=content_of(body=BODY),
    )


def _save(page) -> None:
    page.click("form.post-form button[type=submit]")


def test_two_editors_merge_their_changes_and_resolve_the_conflict_in_the_form(
    browser, page, live_server, author, editor, languages
) -> None:
    post = _post(author, languages)
    edit = f"{live_server.url}/studio/posts/{post.pk}/edit/"
    other = browser.new_context()
    try:
        first = other.new_page()
        first.set_default_timeout(15_000)
        log_in(first, live_server, "editor")
        first.goto(edit)
        log_in(page, live_server, "author")
        page.goto(edit)

        first.fill("textarea.markdownx-editor", BODY.replace("start low.", "start LOW."))
        _save(first)
        first.wait_for_url(re.compile(rf"/studio/posts/{post.pk}/$"))

        # The author changed paragraph three, and paragraph one too: the same line as the editor.
        mine = BODY.replace("start low.", "start with a quarter.").replace("alone.", "alone!")
        page.fill("textarea.markdownx-editor", mine)
        _save(page)
        expect(page.locator(".conflict h2")).to_have_text("Edit conflict")
        outcome = page.locator(".merge-outcome")
        expect(outcome).to_contain_text("Body: conflicts")
        body = page.input_value("textarea.markdownx-editor")
        assert (
            "<<<<<<< your text\nParagraph one: start with a quarter.\n=======\n"
            "Paragraph one: start LOW.\n>>>>>>> revision 2 by editor\n"
        ) in body
        assert body.endswith("Paragraph three: never alone!")  # the clean part, merged

        # Saving with the markers still there is refused, and the text stays.
        _save(page)
        expect(page.locator(".field-body .errorlist")).to_contain_text("conflict markers")
        assert page.input_value("textarea.markdownx-editor") == body

        resolved = re.sub(
            r"<<<<<<< your text\n(.*)\n=======\n.*\n>>>>>>> revision 2 by editor\n",
            "Paragraph one: start LOW, with a quarter.\n",
            body,
        )
        page.fill("textarea.markdownx-editor", resolved)
        _save(page)
        page.wait_for_url(re.compile(rf"/studio/posts/{post.pk}/$"))
    finally:
        other.close()
    revision = Post.objects.get(pk=post.pk).latest_revision
    assert revision.number == 3 and revision.author == author
    text = revision.body.replace("\r\n", "\n")
    assert text == (
        "Paragraph one: start LOW, with a quarter.\n\nParagraph two: go slow.\n\n"
        "Paragraph three: never alone!"
    )
    assert "<<<<<<<" not in text and ">>>>>>>" not in text and "=======" not in text
