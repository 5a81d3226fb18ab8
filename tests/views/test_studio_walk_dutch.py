"""Every studio page a Dutch-speaking reviewer, author and editor opens on the demo data speaks
Dutch: no message the catalogue translates is left in English, and none of the English words
that used to slip through (Django's own empty choice, an opsec finding's place) is there.

What was stored in the words of its day is not the page's: a notification is written in its
recipient's language when it is sent, a change note in its author's. The posts walked are the
Dutch and French ones: an English post's facts are shown in English, as its readers see them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from content import roles
from content.languages import set_studio_language
from content.models import Notification, Post, Revision
from tests.untranslated import english_left

LISTS = (
    "content:dashboard",
    "content:review_queue",
    "content:audit_log",
    "content:outdated_reposts",
    "content:key_list",
    "content:interactions",
    "content:team",
)
POST_PAGES = (
    "content:post_detail",
    "content:post_edit",
    "content:post_history",
    "content:review_post",
    "content:post_timeline",
    "content:post_export",
    "content:post_reposts",
)
SLIPPED = ("- Select an option -", "body, line ", "summary, line ", "source 1, URL")


@pytest.fixture
def demo(db: Any) -> None:
    call_command("seed_demo", stdout=io.StringIO())


def pages_of() -> list[str]:
    urls = [reverse(name) for name in LISTS]
    urls += [f"{reverse('content:dashboard')}?show={show}" for show in ("all", "mine")]
    for post in Post.objects.exclude(language__code="en").order_by("pk"):
        urls += [reverse(name, args=[post.pk]) for name in POST_PAGES]
    return urls


@pytest.mark.parametrize("role", [roles.REVIEWERS, roles.AUTHORS, roles.EDITORS])
def test_the_studio_pages_of_each_role_speak_dutch(demo: Any, role: str) -> None:
    user = get_user_model().objects.filter(groups__name=role, is_active=True).first()
    assert user is not None
    set_studio_language(user=user, language="nl")
    browser = Client()
    browser.force_login(user)
    stored = set(Revision.objects.values_list("change_note", flat=True))
    stored |= set(Notification.objects.values_list("message", flat=True))
    left: dict[str, list[str]] = {}
    opened = 0
    for url in pages_of():
        response = browser.get(url)
        if response.status_code != 200:
            continue  # a page this role may not open
        opened += 1
        page = response.content.decode()
        found = [text for text in english_left(page, "nl") if text not in stored]
        found += [words for words in SLIPPED if words in page]
        if found:
            left[url] = found
    assert opened > 15
    assert left == {}
