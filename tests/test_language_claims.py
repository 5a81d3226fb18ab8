"""What the README's Languages section says and no other test covered: an overdue reminder
speaks each reviewer's studio language, and dates in tables and on the public pages are written
as the language writes them: 2026-12-06 in English, 06/12/2026 in Dutch and French."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import reminders, roles
from content.languages import set_studio_language
from content.models import Language, Notification, Post, PostKind
from content.revisions import create_post
from tests.support import content_of, publish_latest

ENGLISH = "The review of “Ketamine en je blaas” was due on"


def dutch_post(author: Any, reviewer: Any, dutch: Language) -> Post:
    post = create_post(
        author=author,
        language=dutch,
        kind=PostKind.ARTICLE,
        content=content_of(title="Ketamine en je blaas", body="Vaak gebruik schaadt de blaas."),
    )
    return publish_latest(post, author=author, reviewer=reviewer)


def test_an_overdue_reminder_speaks_each_reviewers_language(
    author: Any, reviewer: Any, make_user: Any, languages: dict[str, Language]
) -> None:
    second = make_user("second_reviewer", roles.REVIEWERS)
    post = dutch_post(author, reviewer, languages["nl"])
    Post.objects.filter(pk=post.pk).update(review_due=datetime.date(2026, 1, 5))
    languages_chosen = {reviewer: "nl", second: "fr"}
    for person, code in languages_chosen.items():
        set_studio_language(user=person, language=code)
    before = Notification.objects.count()
    assert [p.pk for p in reminders.notify_overdue()] == [post.pk]
    told = Notification.objects.order_by("pk")[before:]
    said = {note.recipient: note.message for note in told}
    assert set(said) == {reviewer, second}
    for message in said.values():
        assert "Ketamine en je blaas" in message and ENGLISH not in message
    assert said[reviewer] != said[second]


def test_dates_are_written_as_each_language_writes_them(
    author: Any, reviewer: Any, languages: dict[str, Language]
) -> None:
    post = dutch_post(author, reviewer, languages["nl"])
    written = timezone.localtime(post.expect_latest_revision().created_at)
    iso, belgian = written.strftime("%Y-%m-%d"), written.strftime("%d/%m/%Y")
    for code, saved, other in (("nl", belgian, iso), ("fr", belgian, iso), ("en", iso, belgian)):
        set_studio_language(user=author, language=code)
        studio = Client()
        studio.force_login(author)  # the language rides in the session from login on
        page = studio.get(reverse("content:dashboard"), {"show": "mine"}).content.decode()
        assert f'<html lang="{code}">' in page and saved in page and other not in page, code
    public = Client().get(post.get_public_url()).content.decode()  # a Dutch post's page
    assert belgian in public
