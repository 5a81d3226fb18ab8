"""Which language the interface speaks (content/languages.py): the studio language each person
chooses, the browser's language before that, the public site's address, and the mail each
recipient gets in their own language."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from content import languages, notifications, roles
from content.models import Language, Notification, PostKind, StudioProfile
from content.revisions import create_post
from tests.support import content_of, publish_latest

LANGUAGE_PAGE = "/studio/language/"


def html_lang(response: Any) -> str:
    page = response.content.decode()
    start = page.index("<html lang=") + len('<html lang="')
    return page[start : page.index('"', start)]


def words(code: str, message: str) -> str:
    """`message` in `code`, from the catalogue; fails when it has no translation there."""
    with translation.override(code):
        translated = translation.gettext(message)
    assert translated != message, f"no {code} translation of {message!r}"
    return translated


# --- Choosing the studio language ---------------------------------------------------------


def test_only_the_interface_languages_can_be_chosen(author: Any) -> None:
    with pytest.raises(languages.LanguageError):
        languages.set_studio_language(user=author, language="de")
    assert not StudioProfile.objects.exists()
    languages.set_studio_language(user=author, language="fr")
    languages.set_studio_language(user=author, language="nl")
    assert StudioProfile.objects.get(user=author).language == "nl"
    assert languages.recipient_language(author) == "nl"


def test_nobody_chooses_a_language_without_signing_in(db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(languages.LanguageError):
        languages.set_studio_language(user=AnonymousUser(), language="nl")


def test_the_chooser_is_a_post_with_a_csrf_token(author: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    assert browser.post(LANGUAGE_PAGE, {"language": "nl"}).status_code == 403
    assert not StudioProfile.objects.exists()
    page = browser.get(LANGUAGE_PAGE)
    assert (
        page.status_code == 200
        and 'type="radio" name="language" value="fr"' in page.content.decode()
    )
    token = browser.cookies["csrftoken"].value
    answer = browser.post(LANGUAGE_PAGE, {"language": "nl", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and StudioProfile.objects.get(user=author).language == "nl"


def test_a_language_not_offered_is_refused_with_the_reason(author_client: Client) -> None:
    response = author_client.post(LANGUAGE_PAGE, {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert words("fr", "Choose one of the languages offered.") in html.unescape(
        response.content.decode()
    )
    assert not StudioProfile.objects.exists()


def test_the_chooser_goes_back_to_the_page_it_came_from_on_this_site_only(
    author_client: Client,
) -> None:
    back = author_client.post(LANGUAGE_PAGE, {"language": "fr", "next": "/studio/reviews/"})
    assert back["Location"] == "/studio/reviews/"
    away = author_client.post(LANGUAGE_PAGE, {"language": "fr", "next": "https://evil.example/"})
    assert away["Location"] == LANGUAGE_PAGE


def test_signed_out_pages_and_studio_pages_before_a_choice_follow_the_browser(
    client: Client, author: Any
) -> None:
    assert html_lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-BE,fr")) == "fr"
    assert html_lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de-DE,de")) == "en"
    assert html_lang(client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE="nl-BE")) == "nl"
    client.force_login(author)
    assert html_lang(client.get(reverse("content:dashboard"), HTTP_ACCEPT_LANGUAGE="nl")) == "nl"


def test_the_chosen_language_wins_over_the_browser_and_outlives_the_session(
    client: Client, author: Any, reviewer: Any
) -> None:
    client.force_login(author)
    client.post(LANGUAGE_PAGE, {"language": "fr"})
    home = client.get(reverse("content:dashboard"), HTTP_ACCEPT_LANGUAGE="nl-BE")
    assert html_lang(home) == "fr" and home["Content-Language"] == "fr"
    client.logout()
    client.force_login(author)  # a new session reads it from the account
    assert html_lang(client.get(reverse("content:dashboard"), HTTP_ACCEPT_LANGUAGE="nl")) == "fr"
    other = Client()
    other.force_login(reviewer)  # one person's choice is theirs only
    assert html_lang(other.get(reverse("content:dashboard"), HTTP_ACCEPT_LANGUAGE="nl")) == "nl"


def test_a_mistyped_studio_address_answers_in_the_studio_language(
    author_client: Client,
) -> None:
    author_client.post(LANGUAGE_PAGE, {"language": "nl"})
    missing = author_client.get("/studio/geen-pagina/", HTTP_ACCEPT_LANGUAGE="fr")
    assert missing.status_code == 404 and html_lang(missing) == "nl"
    assert "no-store" in missing["Cache-Control"]


# --- The public site ----------------------------------------------------------------------


@pytest.fixture
def dutch_post(author: Any, reviewer: Any, languages: dict[str, Language]) -> Any:
    post = create_post(
        author=author,
        language=languages["nl"],
        kind=PostKind.ARTICLE,
        content=content_of(title="Ketamine en je blaas", body="Vaak gebruik schaadt de blaas."),
    )
    return publish_latest(post, author=author, reviewer=reviewer)


def test_a_language_list_and_a_post_speak_the_language_of_their_address(
    client: Client, dutch_post: Any
) -> None:
    for url in ("/nl/", dutch_post.get_public_url(), "/nl/substances/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200 and html_lang(response) == "nl", url
        assert response["Content-Language"] == "nl"
    missing = client.get("/nl/geen-bericht/", HTTP_ACCEPT_LANGUAGE="fr")
    assert missing.status_code == 404 and html_lang(missing) == "nl"


def test_a_language_the_interface_does_not_speak_gets_english_words(
    client: Client, author: Any, reviewer: Any, db: Any
) -> None:
    german = Language.objects.create(code="de", name="Deutsch")
    post = create_post(
        author=author, language=german, kind=PostKind.ARTICLE, content=content_of(title="Ketamin")
    )
    publish_latest(post, author=author, reviewer=reviewer)
    page = client.get(post.get_public_url(), HTTP_ACCEPT_LANGUAGE="nl")
    assert html_lang(page) == "en"
    assert '<article lang="de">' in page.content.decode()


def test_the_home_page_follows_the_browser_and_is_cached_per_language(
    client: Client, dutch_post: Any
) -> None:
    for accept, code in (("fr-BE,fr", "fr"), ("nl-BE", "nl"), ("fr", "fr"), ("de", "en")):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
        assert html_lang(response) == code, accept
        assert "Accept-Language" in response["Vary"]


# --- Mail in the recipient's language -------------------------------------------------------


def test_notifications_are_written_in_each_recipients_language_with_its_dates(
    author: Any, reviewer: Any, editor: Any
) -> None:
    languages.set_studio_language(user=reviewer, language="nl")
    languages.set_studio_language(user=editor, language="fr")
    message = notifications.Message(
        gettext_lazy("“%(title)s” was re-reviewed; next review due %(due)s."),
        {"title": "Ketamine", "due": datetime.date(2026, 12, 6)},
    )
    with translation.override("en"):
        notifications.notify([author, reviewer, editor], post=None, message=message)
    written = dict(Notification.objects.values_list("recipient__username", "message"))
    assert written["author"] == "“Ketamine” was re-reviewed; next review due Dec. 6, 2026."
    assert "6 december 2026" in written["reviewer"]
    assert "6 décembre 2026" in written["editor"]
    assert written["reviewer"] != written["editor"] != written["author"]


def test_the_invitation_speaks_the_inviting_editors_language(
    client: Client, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(editor)
    client.post(LANGUAGE_PAGE, {"language": "nl"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("content:team_invite"),
            {"username": "rik", "email": "rik@example.org", "roles": [roles.REVIEWERS]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    (invitation,) = mail.outbox
    assert words("nl", "You are invited to the studio: choose your password") in invitation.subject
    assert invitation.subject.startswith(words("nl", "[Harm reduction] "))


def test_a_password_reset_mail_speaks_the_chosen_language_else_the_browsers(
    client: Client, make_user: Any
) -> None:
    chose = make_user("chose", email="chose@example.org")
    make_user("browser", email="browser@example.org")
    languages.set_studio_language(user=chose, language="fr")
    mail.outbox.clear()
    for address in ("chose@example.org", "browser@example.org"):
        client.post(reverse("password_reset"), {"email": address}, HTTP_ACCEPT_LANGUAGE="nl-BE")
    french, dutch = mail.outbox
    assert french.subject == words("fr", "Choose a new password for the studio")
    assert dutch.subject == words("nl", "Choose a new password for the studio")


def test_a_worker_mails_in_the_recipients_language_whatever_it_speaks(
    author: Any, reviewer: Any
) -> None:
    from content import tasks

    languages.set_studio_language(user=reviewer, language="fr")
    reviewer.email = "reviewer@example.org"
    reviewer.save()
    with translation.override("nl"):
        (row,) = notifications.notify(
            [reviewer],
            post=None,
            message=notifications.Message(
                gettext_lazy("“%(title)s” was withdrawn: %(reason)s"),
                {"title": "Ketamine", "reason": "dose"},
            ),
        )
        sent = tasks.notification_mail(row)
    assert sent is not None
    assert sent.subject.startswith(words("fr", "[Harm reduction] "))
    assert (
        words("fr", "“%(title)s” was withdrawn: %(reason)s")
        % {
            "title": "Ketamine",
            "reason": "dose",
        }
        in sent.body
    )
