"""The Markdown editor in a real browser: live preview, image upload by drop, saving."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from content.models import Post
from tests.browser.helpers import log_in
from tests.support import jpeg_with_metadata

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DROP_FILE = """
([name, type, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type}));
  const editor = document.querySelector("textarea.markdownx-editor");
  editor.focus();
  editor.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
}
"""


def test_live_preview_renders_through_our_markdown_module(page, live_server, author) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/new/")
    page.fill("textarea.markdownx-editor", "## Dosage\n\n**Start low** [x](javascript:alert(1))")
    preview = page.locator(".markdownx-preview")
    preview.locator("strong").wait_for()
    assert preview.locator("h2").inner_text() == "Dosage"
    assert preview.locator("strong").inner_text() == "Start low"
    assert preview.locator("a").count() == 0, "a javascript: link must not become a link"
    assert errors == []


def test_preview_shows_a_clear_message_for_pathological_text(page, live_server, author) -> None:
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/new/")
    page.fill("textarea.markdownx-editor", ">" * 200)
    page.locator(".preview-error").wait_for()
    assert "levels deep" in page.locator(".preview-error").inner_text()


def test_dropping_a_photo_uploads_a_clean_copy_and_saving_creates_the_post(
    page, live_server, author, languages
) -> None:
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/new/")
    page.fill("input[name=title]", "Pill photo")
    page.fill("textarea.markdownx-editor", "Look at this pill:\n\n")
    photo = base64.b64encode(jpeg_with_metadata()).decode()
    page.evaluate(DROP_FILE, ["pill.jpg", "image/jpeg", photo])
    expect(page.locator("textarea.markdownx-editor")).to_have_value(re.compile("/media/uploads/"))
    page.locator(".markdownx-preview img").wait_for()
    page.fill("input[name=sources-0-title]", "Lab result")
    page.click("form.post-form button[type=submit]")
    page.wait_for_url(re.compile(r"/studio/posts/\d+/$"))
    revision = Post.objects.get().latest_revision
    assert "![](/media/uploads/" in revision.body
    assert revision.sources[0]["title"] == "Lab result"


def test_dropping_a_file_that_is_not_an_image_shows_why_and_keeps_the_text(
    page, live_server, author
) -> None:
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/new/")
    page.fill("textarea.markdownx-editor", "My text")
    fake = base64.b64encode(b"MZ this is not a picture").decode()
    page.evaluate(DROP_FILE, ["virus.jpg", "image/jpeg", fake])
    notice = page.locator(".upload-error")
    notice.wait_for(state="visible")
    assert "not an image" in notice.inner_text()
    page.wait_for_timeout(100)
    assert page.input_value("textarea.markdownx-editor") == "My text"
