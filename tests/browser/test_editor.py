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


def test_fast_typing_sends_few_previews_one_at_a_time_and_ends_on_the_final_text(
    page, live_server, author
) -> None:
    # markdownx waits for a pause in typing; editor.js keeps one preview request in flight.
    log_in(page, live_server, "author")
    sent: list[str] = []
    in_flight = {"now": 0, "most": 0}

    def started(request) -> None:
        if request.url.endswith("/studio/markdown/preview/"):
            sent.append(request.post_data or "")
            in_flight["now"] += 1
            in_flight["most"] = max(in_flight["most"], in_flight["now"])

    def ended(request) -> None:
        if request.url.endswith("/studio/markdown/preview/"):
            in_flight["now"] -= 1

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    page.goto(f"{live_server.url}/studio/posts/new/")
    editor = page.locator("textarea.markdownx-editor")
    editor.click()
    text = "Start **low** and go slow: wait two hours before any redose."
    editor.press_sequentially(text, delay=15)
    preview = page.locator(".markdownx-preview")
    expect(preview).to_contain_text("wait two hours before any redose.")
    assert preview.locator("strong").inner_text() == "low"
    page.wait_for_timeout(800)  # any preview still to come would be sent by now
    # The empty text on load, maybe one on focus, and the text once typing stops: not one per key.
    assert len(sent) <= 4, len(sent)
    assert in_flight["most"] == 1


def test_a_refused_text_is_answered_in_the_preview_pane(page, live_server, author) -> None:
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/new/")
    page.fill("textarea.markdownx-editor", "Intro\n\n" + "![" * 49_000)
    expect(page.locator(".preview-error")).to_contain_text("Line 3 has 49,000 '![' in a row")


SEND_THREE_PREVIEWS = """
async () => {
  const editor = document.querySelector("textarea.markdownx-editor");
  const url = editor.getAttribute("data-markdownx-urls-path");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const answers = [];
  const done = ["one", "two", "three"].map((text) => new Promise((resolve) => {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("content", text);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url, true);
    xhr.onload = () => { answers.push(xhr.responseText.trim()); resolve(); };
    xhr.send(body);
    if (text === "two") { setTimeout(resolve, 1500); }  // dropped unsent: never answered
  }));
  await Promise.all(done);
  return answers;
}
"""


def test_preview_requests_wait_for_the_one_in_flight_and_only_the_newest_waits(
    page, live_server, author
) -> None:
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/new/")
    expect(page.locator(".markdownx-preview")).to_be_empty()
    page.wait_for_timeout(700)  # the preview of the empty text on load has come back
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.post_data or "")
            if request.url.endswith("/studio/markdown/preview/")
            else None
        ),
    )
    answers = page.evaluate(SEND_THREE_PREVIEWS)
    assert answers == ["<p>one</p>", "<p>three</p>"]
    assert len(sent) == 2 and "three" in sent[1]
