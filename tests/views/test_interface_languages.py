"""The studio in Dutch and in French (issue 13's first must-hold): the login page follows the
browser; after a person chooses their language, the home page, the review page, the export
page, error messages and the mail they get speak it, and no English message of the catalogue
is left on them (tests/untranslated.py reads each page as a browser would)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from content import roles, workflow
from content.models import Language, Post, PostKind
from content.revisions import create_post
from tests.support import PASSWORD, content_of
from tests.untranslated import english_left, english_left_in_text

ACCEPT = {"nl": "nl-BE,nl;q=0.9,en;q=0.5", "fr": "fr-BE,fr;q=0.9,en;q=0.5"}
# User content in the page's own language: the check is about the interface's words.
TEXTS = {
    "nl": content_of(
        title="Ketamine en je blaas",
        summary="Waarom vaak gebruik pijn doet.",
        body="Vaak gebruik kan de blaas **beschadigen**.\n\n- Neem pauzes\n- Ga naar een arts",
        topics=("veiliger gebruik",),
    ),
    "fr": content_of(
        title="La kétamine et ta vessie",
        summary="Pourquoi un usage fréquent fait mal.",
        body="Un usage fréquent peut **abîmer** la vessie.\n\n- Faites des pauses\n- Un médecin",
        topics=("usage à moindre risque",),
    ),
}
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français"}

pytestmark = pytest.mark.parametrize("code", ["nl", "fr"])


def person(username: str, *role_names: str, **extra: Any) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    user.groups.add(*Group.objects.filter(name__in=role_names))
    return user


def signed_in(user: Any, code: str) -> Client:
    """A browser that says it prefers English, signed in through the login form, that chose
    `code` as its studio language with the form in the navigation (CSRF checked)."""
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    login = browser.get(reverse("login"))
    token = login.cookies["csrftoken"].value
    answer = browser.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302, answer.content.decode()
    home = browser.get(reverse("content:dashboard"))
    token = browser.cookies["csrftoken"].value
    chosen = browser.post(
        reverse("studio_language"),
        {"language": code, "next": reverse("content:dashboard"), "csrfmiddlewaretoken": token},
    )
    assert home.status_code == 200 and chosen.status_code == 302
    assert chosen["Location"] == reverse("content:dashboard")
    return browser


def assert_speaks(response: Any, code: str) -> str:
    page = response.content.decode()
    assert f'<html lang="{code}">' in page
    assert response["Content-Language"] == code
    assert english_left(page, code) == [], english_left(page, code)
    return page


@pytest.fixture
def scene(db: Any, code: str) -> dict[str, Any]:
    language, _ = Language.objects.get_or_create(code=code, defaults={"name": LANGUAGE_NAMES[code]})
    author = person("an_peeters", roles.AUTHORS)
    reviewer = person("marie_dubois", roles.REVIEWERS)
    post = create_post(author=author, language=language, kind=PostKind.ARTICLE, content=TEXTS[code])
    return {"author": author, "reviewer": reviewer, "post": post, "language": language}


def test_the_login_page_speaks_the_browsers_language(client: Client, code: str) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=ACCEPT[code])
    page = assert_speaks(response, code)
    with translation.override(code):
        heading = translation.gettext("Log in")
    assert heading != "Log in"  # not the English words the catalogue gives back untranslated
    assert f"<h1>{heading}</h1>" in page
    assert "Accept-Language" in response["Vary"]


def test_the_home_and_the_review_page_speak_the_chosen_language(
    scene: dict[str, Any], code: str
) -> None:
    post: Post = scene["post"]
    workflow.submit_for_review(post=post, actor=scene["author"])
    browser = signed_in(scene["reviewer"], code)
    assert_speaks(browser.get(reverse("content:dashboard")), code)
    assert_speaks(browser.get(reverse("content:review_queue")), code)
    assert_speaks(browser.get(reverse("content:review_post", args=[post.pk])), code)
    assert_speaks(browser.get(reverse("studio_language")), code)


def test_an_error_message_speaks_the_chosen_language(scene: dict[str, Any], code: str) -> None:
    post: Post = scene["post"]
    workflow.submit_for_review(post=post, actor=scene["author"])
    browser = signed_in(scene["reviewer"], code)
    response = browser.post(
        reverse("content:review_post", args=[post.pk]),
        {
            "decision": "request_changes",
            "revision_id": post.latest_revision_id,
            "reason": "",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
    )
    page = assert_speaks(response, code)
    with translation.override(code):
        explained = str(workflow.ERROR_REASON)
    assert explained != "Say what must change and why; the author needs the reason."
    assert explained in page.replace("&#x27;", "'")


def test_a_refused_action_is_explained_in_the_chosen_language(
    scene: dict[str, Any], code: str
) -> None:
    post: Post = scene["post"]
    workflow.submit_for_review(post=post, actor=scene["author"])
    browser = signed_in(scene["author"], code)
    response = browser.post(
        reverse("content:post_action", args=[post.pk, "publish"]),
        {
            "revision_id": post.latest_revision_id,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
        },
        follow=True,
    )
    assert_speaks(response, code)


@pytest.mark.usefixtures("export_settings")
def test_the_export_page_speaks_the_chosen_language(scene: dict[str, Any], code: str) -> None:
    from tests.support import publish_latest

    post = publish_latest(scene["post"], author=scene["author"], reviewer=scene["reviewer"])
    browser = signed_in(scene["author"], code)
    assert_speaks(browser.get(reverse("content:post_export", args=[post.pk])), code)
    assert_speaks(browser.get(reverse("content:post_detail", args=[post.pk])), code)


def test_the_mail_about_a_post_waiting_for_review_speaks_the_reviewers_language(
    scene: dict[str, Any], code: str, django_capture_on_commit_callbacks: Any
) -> None:
    signed_in(scene["reviewer"], code)  # chooses the language; the author speaks English
    mail.outbox.clear()
    # Whatever the acting person's language; the mail is sent after the commit.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(post=scene["post"], actor=scene["author"])
    (message,) = mail.outbox
    assert message.to == [scene["reviewer"].email]
    with translation.override(code):
        expected = translation.gettext(
            "“%(title)s” (revision %(number)s) is waiting for your review."
        ) % {"title": TEXTS[code].title, "number": 1}
        prefix = translation.gettext("[Harm reduction] ")
    assert expected != f"“{TEXTS[code].title}” (revision 1) is waiting for your review."
    assert prefix != "[Harm reduction] "
    assert message.subject.startswith(prefix) and expected in message.body
    assert english_left_in_text(message.subject + "\n" + message.body, code) == []


def test_the_public_pages_of_a_language_speak_it(
    client: Client, scene: dict[str, Any], code: str
) -> None:
    from tests.support import publish_latest

    post = publish_latest(scene["post"], author=scene["author"], reviewer=scene["reviewer"])
    for url in (f"/{code}/", post.get_public_url(), f"/{code}/substances/", f"/{code}/nergens/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        page = response.content.decode()
        assert f'<html lang="{code}">' in page, url
        assert english_left(page, code) == [], (url, english_left(page, code))
    home = client.get("/", HTTP_ACCEPT_LANGUAGE=ACCEPT[code])
    assert english_left(home.content.decode(), code) == []
