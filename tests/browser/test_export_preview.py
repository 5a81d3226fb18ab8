"""The export page's forum preview in a real browser: shown beside the markup, within the
Content-Security-Policy, and passing axe-core on a desktop and a phone."""

from __future__ import annotations

import pytest

from content import workflow
from content.models import ExportProfile
from content.revisions import create_post
from tests.browser.helpers import log_in
from tests.browser.public_audit import (
    CSP_LISTENER,
    DESKTOP,
    PHONE,
    READ_CSP_VIOLATIONS,
    Axe,
    _axe_lines,
)
from tests.support import content_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "## Before you go\n\nAnd then:\n\n- Test your pills\n- Start low\n\n"
    "Read [the EUDA profile](https://www.euda.europa.eu/) first.\n\n"
    "| Dose | Effect |\n|---|---|\n| 10 mg | mild |\n\n<script>alert(1)</script>\n"
)


@pytest.mark.parametrize(("fmt", "dialect"), [("bbcode", "smf21"), ("forum_markdown", "reddit")])
def test_the_preview_shows_the_part_as_html_within_the_csp_and_passes_axe(
    page, live_server, author, reviewer, english, fmt, dialect
) -> None:
    # Transactional tests flush the seeded profiles, so this test makes its own.
    ExportProfile.objects.create(name="Forum", slug="forum", format=fmt, dialect=dialect)
    post = create_post(
        author=author, language=english, kind="article", content=content_of(body=BODY)
    )
    post = workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(CSP_LISTENER)
    log_in(page, live_server, "author")
    page.goto(f"{live_server.url}/studio/posts/{post.pk}/export/")
    page.select_option("select[name=profile]", "forum")
    page.click("button[name=show]")
    preview = page.locator(".forum-preview-body")
    preview.wait_for()
    assert preview.locator("li").count() >= 2 and preview.locator("table td").count() >= 2
    link = preview.locator("a[href='https://www.euda.europa.eu/']", has_text="the EUDA profile")
    assert link.count() == 1
    assert "<script>alert(1)</script>" in preview.inner_text()  # shown as text, never run
    assert page.evaluate(READ_CSP_VIOLATIONS) == [] and dialogs == []
    axe = Axe()
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        found = _axe_lines(axe.run(page, context=".export-result").response["violations"])
        assert found == [], (size, found)
