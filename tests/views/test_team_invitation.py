"""The invitation as the newcomer lives it: the editor invites, the mail arrives (the immediate
tasks backend of tests/settings.py runs the task when the invitation commits), the link sets a
password, the newcomer signs in and works; and a deactivated colleague is locked out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from content import roles, team, workflow
from content.audit_chain import verify_chain
from content.models import AuditEvent, PostKind, Review
from content.revisions import create_post
from tests.support import content_of

LOGIN = "/accounts/login/"
NEW_PASSWORD = "a long and unusual passphrase 42"
LINK = re.compile(r"(https?://\S+/studio/welcome/\S+/)")


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """The test's transaction never commits: `with committed():` runs the on-commit callbacks
    (the mail task) at the end of the block, as the request's commit would have."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def invite_through_the_page(client: Any, editor: Any, committed: Any, **fields: Any) -> Any:
    client.force_login(editor)
    data = {"username": "rik", "email": "rik@example.org", "roles": [roles.REVIEWERS]} | fields
    with committed():
        response = client.post(reverse("content:team_invite"), data)
    client.logout()
    return response


def link_from_the_mail(settings: Any) -> str:
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    match = LINK.search(message.body)
    assert match, message.body
    link = match.group(1)
    assert link.startswith(settings.STUDIO_BASE_URL + "/")
    return link.removeprefix(settings.STUDIO_BASE_URL)


def set_password(client: Any, path: str, password: str = NEW_PASSWORD) -> Any:
    page = client.get(path, follow=True)  # Django swaps the token for one kept in the session
    assert b"choose your password" in page.content
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else path
    return client.post(
        form_path, {"new_password1": password, "new_password2": password}, follow=True
    )


def sign_in(client: Any, username: str, password: str = NEW_PASSWORD) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def test_an_invited_reviewer_sets_a_password_signs_in_and_reviews_but_not_their_own_text(
    client: Any, settings: Any, editor: Any, author: Any, english: Any, committed: Any
) -> None:
    settings.STUDIO_BASE_URL = "https://studio.example.org"
    response = invite_through_the_page(
        client, editor, committed, roles=[roles.REVIEWERS, roles.AUTHORS], first_name="Rik"
    )
    assert response.status_code == 302
    rik = User.objects.get(username="rik")
    assert not rik.has_usable_password()
    assert sign_in(client, "rik", "").status_code == 200  # no password yet: no way in
    message = mail.outbox[0]
    assert message.to == ["rik@example.org"] and "invited" in message.subject
    assert "editor invited you" in message.body and "Your user name: rik" in message.body

    done = set_password(client, link_from_the_mail(settings))
    assert b"Your password is set" in done.content
    assert sign_in(client, "rik").status_code == 302  # to the dashboard
    assert client.get(reverse("content:dashboard")).status_code == 200

    # Another author's post: rik approves it through the review page.
    theirs = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of()
    )
    workflow.submit_for_review(post=theirs, actor=author)
    review = reverse("content:review_post", args=[theirs.pk])
    approval = {"decision": "approve", "revision_id": theirs.latest_revision_id, "reason": ""}
    assert b"Your approval is recorded" in client.post(review, approval, follow=True).content
    assert Review.objects.get(revision=theirs.latest_revision).reviewer == rik

    # Rik's own text: the four-eyes rule refuses rik's approval.
    own = create_post(
        author=User.objects.get(pk=rik.pk),
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(title="Rik's own"),
    )
    workflow.submit_for_review(post=own, actor=own.created_by)
    review = reverse("content:review_post", args=[own.pk])
    approval = {"decision": "approve", "revision_id": own.latest_revision_id, "reason": ""}
    assert "You wrote part of this text" in client.post(review, approval, follow=True).text
    assert not Review.objects.filter(revision__post=own).exists()
    assert verify_chain().intact


def test_the_link_works_once(client: Any, settings: Any, editor: Any, committed: Any) -> None:
    invite_through_the_page(client, editor, committed)
    path = link_from_the_mail(settings)
    set_password(client, path)
    again = client.get(path, follow=True)
    assert b"This link does not work" in again.content


def test_a_deactivated_invitees_link_no_longer_works(
    client: Any, settings: Any, editor: Any, committed: Any
) -> None:
    invite_through_the_page(client, editor, committed)
    path = link_from_the_mail(settings)
    team.deactivate(actor=editor, user=User.objects.get(username="rik"))
    assert b"This link does not work" in client.get(path, follow=True).content


def test_no_mail_goes_out_when_the_invitation_is_refused(
    client: Any, editor: Any, committed: Any
) -> None:
    response = invite_through_the_page(client, editor, committed, email="not an address")
    assert response.status_code == 400
    assert not mail.outbox and not User.objects.filter(username="rik").exists()


def test_the_invitation_can_be_sent_again_until_a_password_is_set(
    client: Any, settings: Any, editor: Any, committed: Any
) -> None:
    invite_through_the_page(client, editor, committed)
    rik = User.objects.get(username="rik")
    mail.outbox.clear()
    client.force_login(editor)
    with committed():
        page = client.post(reverse("content:team_resend", args=[rik.pk]), follow=True)
    assert b"sent to rik again" in page.content
    set_password(client, link_from_the_mail(settings))
    client.force_login(editor)
    page = client.post(reverse("content:team_resend", args=[rik.pk]), follow=True)
    assert b"has set a password already" in page.content
    assert len(mail.outbox) == 1


def test_a_deactivated_user_cannot_sign_in_loses_their_session_and_keeps_their_audit_rows(
    client: Any, editor: Any, author: Any, post: Any
) -> None:
    written = AuditEvent.objects.filter(actor=author)
    assert written.exists()
    before = set(written.values_list("pk", flat=True))
    assert sign_in(client, "author", "correct horse battery staple").status_code == 302
    assert client.get(reverse("content:dashboard")).status_code == 200

    team.deactivate(actor=editor, user=author)

    # The session they hold is anonymous from its next request on.
    response = client.get(reverse("content:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    # And the right password no longer signs in.
    refused = sign_in(client, "author", "correct horse battery staple")
    assert refused.status_code == 200  # the form again, with its error
    assert client.get(reverse("content:dashboard")).status_code == 302
    # What they did still names them, and the log is intact.
    assert set(AuditEvent.objects.filter(actor=author).values_list("pk", flat=True)) == before
    audit_log = reverse("content:audit_log") + "?person=author"
    client.force_login(editor)
    assert "Post created" in client.get(audit_log).text
    assert verify_chain().intact
    call_command("verify_audit")
