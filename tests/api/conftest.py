"""The partner API's tests: posts published through the real workflow, the throttle off unless
a test is about it, and the browser fixtures for the docs page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from content import roles
from content.models import Language, Post, PostKind
from content.revisions import create_post
from tests.browser.conftest import (
    launched_chromium,
    page,  # noqa: F401 - for test_docs_browser
)
from tests.support import content_of
from tests.workflow_helpers import publish


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """tests/browser's Chromium, for this directory's one browser test, closed when its module
    ends. Re-exporting tests/browser's session fixture would start a second Playwright beside
    the one tests/browser starts later, and Playwright's sync API refuses to run inside the
    first one's event loop."""
    yield from launched_chromium()


@pytest.fixture(autouse=True)
def _no_throttle(settings: Any) -> Any:
    """Most tests make many requests from one address; tests of the throttle set a rate."""
    settings.API_THROTTLE_RATE = ""
    return settings


@pytest.fixture
def second_reviewer(make_user: Callable[..., Any]) -> Any:
    return make_user("second_reviewer", roles.REVIEWERS)


@pytest.fixture
def publish_post(
    author: Any, reviewer: Any, second_reviewer: Any, english: Language
) -> Callable[..., Post]:
    """A post written by `author`, approved by both reviewers (drug alerts need two) and
    published, through the workflow."""

    def make(
        title: str = "Ketamine and your bladder",
        *,
        language: Language | None = None,
        kind: str = PostKind.ARTICLE,
        translation_of: Post | None = None,
        **changes: Any,
    ) -> Post:
        post = create_post(
            author=author,
            language=language or english,
            kind=kind,
            content=content_of(title=title, **changes),
            translation_of=translation_of,
        )
        publish(post, [reviewer, second_reviewer])
        return Post.objects.select_related("language", "published_revision").get(pk=post.pk)

    return make
