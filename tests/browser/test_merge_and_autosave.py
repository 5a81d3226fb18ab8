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


DRAFT_KEYS = "() => Object.keys(localStorage)"


def test_text_typed_and_left_unsaved_is_offered_back_and_cleared_once_saved(
    page, live_server, author, languages
) -> None:
    post = _post(author, languages)
    edit = f"{live_server.url}/studio/posts/{post.pk}/edit/"
    log_in(page, live_server, "author")
    context = page.context
    page.goto(edit)
    expect(page.locator(".autosave-notice")).to_be_hidden()
    typed = BODY + "\n\nParagraph four: test your pills."
    page.locator("textarea.markdownx-editor").fill(typed)
    page.fill("input[name=change_note]", "Testing advice")
    page.wait_for_timeout(900)  # past the pause after typing
    key = f"harmreduction.autosave.user-{post.created_by_id}.post-{post.pk}"
    assert page.evaluate(DRAFT_KEYS) == [key]
    page.close()  # the tab closed without saving

    again = context.new_page()
    again.goto(edit)
    notice = again.locator(".autosave-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Unsaved text from")
    expect(notice).to_contain_text("restored")
    assert again.input_value("textarea.markdownx-editor") == typed
    assert again.input_value("input[name=change_note]") == "Testing advice"
    expect(again.locator(".markdownx-preview")).to_contain_text("test your pills")

    _save(again)
    again.wait_for_url(re.compile(rf"/studio/posts/{post.pk}/$"))
    revision = Post.objects.get(pk=post.pk).latest_revision
    assert revision.number == 2 and revision.body.replace("\r\n", "\n") == typed

    again.goto(edit)
    expect(again.locator(".autosave-notice")).to_be_hidden()
    assert again.input_value("input[name=change_note]") == ""
    assert again.evaluate(DRAFT_KEYS) == []


def test_a_shared_browser_never_offers_one_persons_draft_to_another(
    page, live_server, author, editor, languages
) -> None:
    post = _post(author, languages)
    edit = f"{live_server.url}/studio/posts/{post.pk}/edit/"
    log_in(page, live_server, "author")
    page.goto(edit)
    page.locator("textarea.markdownx-editor").fill(BODY + "\n\nThe author's unsaved words.")
    page.wait_for_timeout(900)  # past the pause after typing
    context = page.context
    page.close()
    context.clear_cookies()  # signed out; the browser's storage stays

    other = context.new_page()
    log_in(other, live_server, "editor")
    other.goto(edit)
    expect(other.locator(".autosave-notice")).to_be_hidden()
    assert "unsaved words" not in other.input_value("textarea.markdownx-editor")


def test_discard_puts_back_the_saved_text_and_forgets_the_draft(
    page, live_server, author, languages
) -> None:
    post = _post(author, languages)
    edit = f"{live_server.url}/studio/posts/{post.pk}/edit/"
    log_in(page, live_server, "author")
    page.goto(edit)
    page.fill("input[name=title]", "A title I did not mean")
    page.wait_for_timeout(900)
    page.goto(edit)
    expect(page.locator(".autosave-notice")).to_be_visible()
    assert page.input_value("input[name=title]") == "A title I did not mean"
    page.click(".autosave-discard")
    expect(page.locator(".autosave-notice")).to_be_hidden()
    assert page.input_value("input[name=title]") == post.latest_revision.title
    page.wait_for_timeout(700)
    assert page.evaluate(DRAFT_KEYS) == []


def test_a_conflict_pages_merge_wins_over_the_draft_and_a_stale_draft_is_merged_again(
    browser, page, live_server, author, editor, languages
) -> None:
    post = _post(author, languages)
    edit = f"{live_server.url}/studio/posts/{post.pk}/edit/"
    log_in(page, live_server, "author")
    page.goto(edit)
    mine = BODY.replace("alone.", "alone!")
    page.locator("textarea.markdownx-editor").fill(mine)
    page.wait_for_timeout(900)
    # Meanwhile the editor saves paragraph one.
    other = browser.new_context()
    try:
        first = other.new_page()
        log_in(first, live_server, "editor")
        first.goto(edit)
        first.fill("textarea.markdownx-editor", BODY.replace("start low.", "start LOW."))
        _save(first)
        first.wait_for_url(re.compile(rf"/studio/posts/{post.pk}/$"))
    finally:
        other.close()
    merged = BODY.replace("start low.", "start LOW.").replace("alone.", "alone!")

    # Reopened, the draft comes back on the revision it was written on...
    page.goto(edit)
    expect(page.locator(".autosave-notice")).to_be_visible()
    assert page.input_value("textarea.markdownx-editor") == mine
    # ...so saving it is a conflict, merged with the editor's change: the server's form wins.
    _save(page)
    expect(page.locator(".merge-outcome")).to_contain_text("Body: merged cleanly")
    expect(page.locator(".autosave-notice")).to_be_hidden()
    assert page.input_value("textarea.markdownx-editor") == merged
    _save(page)
    page.wait_for_url(re.compile(rf"/studio/posts/{post.pk}/$"))
    revision = Post.objects.get(pk=post.pk).latest_revision
    assert revision.number == 3 and revision.body.replace("\r\n", "\n") == merged
    page.goto(edit)
    expect(page.locator(".autosave-notice")).to_be_hidden()


def test_the_new_post_form_keeps_its_draft_until_the_post_is_created(
    page, live_server, author, languages
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "author")
    new = f"{live_server.url}/studio/posts/new/"
    page.goto(new)
    page.fill("input[name=title]", "Festival heat")
    page.locator("textarea.markdownx-editor").fill("Drink water, take breaks.")
    page.wait_for_timeout(900)
    page.goto(new)
    expect(page.locator(".autosave-notice")).to_be_visible()
    assert page.input_value("input[name=title]") == "Festival heat"
    _save(page)
    page.wait_for_url(re.compile(r"/studio/posts/\d+/$"))
    assert Post.objects.get().latest_revision.title == "Festival heat"
    page.goto(new)
    expect(page.locator(".autosave-notice")).to_be_hidden()
    assert page.input_value("input[name=title]") == ""
    assert errors == []
