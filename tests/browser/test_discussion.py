"""The review discussion in a real browser: a passage selected in the text becomes the quote."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from content.models import Comment
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_selected_text_fills_the_quote_and_the_comment_shows_it(page, live_server, post) -> None:
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/{post.pk}/")
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    # Select "damage the bladder" as a reader would, in the rendered text.
    page.evaluate(
        """() => {
        const strong = document.querySelector("article.rendered strong");
        const range = document.createRange();
        range.setStart(strong.firstChild, 0);
        range.setEnd(strong.nextSibling, " the bladder".length);
        const selection = document.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }"""
    )
    button = page.locator(".quote-selection")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("textarea[name=quote]")).to_have_value("damage the bladder")
    page.fill("textarea[name=body]", "How much damage, how soon?")
    page.click(".comment-form button[type=submit]")
    written = Comment.objects.get()
    page.wait_for_url(re.compile(rf"/studio/posts/{post.pk}/#comment-{written.pk}$"))
    expect(page.locator(f"#comment-{written.pk} blockquote")).to_have_text("damage the bladder")
    assert written.quote == "damage the bladder"
    assert not [m for m in messages if "Content Security Policy" in m]
