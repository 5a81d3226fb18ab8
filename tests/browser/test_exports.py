"""The export page in a real browser: the copy button copies a part without reloading."""

from __future__ import annotations

import pytest

from content import workflow
from content.models import ExportProfile
from content.revisions import create_post
from tests.browser.helpers import log_in
from tests.support import content_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_copy_button_copies_the_part_without_reloading(
    page, live_server, author, reviewer, english
) -> None:
    # Transactional tests flush the seeded profiles, so this test makes its own.
    ExportProfile.objects.create(name="Forum", slug="forum", format="bbcode", dialect="phpbb3")
    post = create_post(author=author, language=english, kind="article", content=content_of())
    post = workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/{post.pk}/export/")
    page.select_option("select[name=profile]", "forum")
    page.click("button[name=show]")
    part = page.locator("#part-1")
    part.wait_for()
    page.evaluate("window.notReloaded = true")
    page.click("button[data-copy-target=part-1]")
    page.locator(".copy-status", has_text="Copied.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("navigator.clipboard.readText()") == part.input_value()
    assert "[b]" in part.input_value()
    # Without the Clipboard API (an onion site over plain HTTP is not a secure context).
    page.evaluate("navigator.clipboard.writeText('')")
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.evaluate("document.querySelector('.copy-status').textContent = ''")
    page.click("button[data-copy-target=part-1]")
    page.locator(".copy-status", has_text="Copied").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert errors == []
