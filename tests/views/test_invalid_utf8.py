"""Invalid UTF-8 in a post is refused with a message and the rest of the text is kept.

Django decodes form bodies with errors="replace": the bytes below reach the forms as U+FFFD.
These tests send raw bytes, as a broken client or a pasted binary would, in both encodings a
browser uses for a form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from content.forms import NewPostForm, PostEditForm, SourceForm
from content.forms.utf8 import ERROR_INVALID_UTF8
from content.models import Post
from tests.support import form_data

CREATE = reverse("content:post_create")
URLENCODED = "application/x-www-form-urlencoded"
BOUNDARY = "invalid-utf8-boundary"
MARK = "INVALID_BYTES_GO_HERE"  # replaced by raw bytes once the body is encoded

# A lone continuation byte, a byte that never occurs in UTF-8, and an encoded surrogate.
INVALID = b"\x80\xff\xed\xa0\x80"
ESCAPED = "".join(f"%{byte:02X}" for byte in INVALID).encode()


def urlencoded(data: dict[str, Any]) -> bytes:
    return urlencode(data).encode().replace(MARK.encode(), ESCAPED)


def multipart(data: dict[str, Any]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + str(value).encode().replace(MARK.encode(), INVALID)
        + b"\r\n"
        for name, value in data.items()
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def errors_on(page: Any) -> set[str]:
    """The names of the fields that carry the invalid-UTF-8 message."""
    form, sources = page.context["form"], page.context["sources"]
    named = {name for name, errors in form.errors.items() if ERROR_INVALID_UTF8 in errors}
    for number, source in enumerate(sources.forms):
        for name, errors in source.errors.items():
            if ERROR_INVALID_UTF8 in errors:
                named.add(f"sources-{number}-{name}")
    return named


def test_invalid_bytes_in_a_new_post_sent_urlencoded_are_refused_and_nothing_is_saved(
    author_client, languages
) -> None:
    data = form_data(body=f"Take breaks {MARK} and see a doctor.", summary="Why it hurts.")
    page = author_client.post(CREATE, data=urlencoded(data), content_type=URLENCODED)
    assert page.status_code == 200 and not Post.objects.exists()
    assert errors_on(page) == {"body"}
    text = page.content.decode()
    assert str(ERROR_INVALID_UTF8) in text and "Nothing was saved yet" in text
    # Everything else is still there, and the author sees where the bytes were.
    assert "Take breaks \N{REPLACEMENT CHARACTER}" in text and "Why it hurts." in text
    assert "Ketamine and your bladder" in text and "EUDA drug profile" in text


def test_invalid_bytes_in_a_new_post_sent_as_multipart_are_refused_in_every_field(
    author_client, languages
) -> None:
    data = form_data(
        title=f"Ketamine {MARK}",
        substances=f"ketamine, {MARK}",
        change_note=f"First {MARK}",
        **{"sources-0-title": f"EUDA {MARK}", "sources-0-url": f"https://example.org/{MARK}"},
    )
    page = author_client.post(
        CREATE, data=multipart(data), content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert page.status_code == 200 and not Post.objects.exists()
    assert errors_on(page) == {
        "title",
        "substances",
        "change_note",
        "sources-0-title",
        "sources-0-url",
    }
    assert "Give this source a title" not in page.content.decode()


def test_invalid_bytes_in_an_edit_are_refused_and_no_revision_is_written(
    author_client, post
) -> None:
    edit = reverse("content:post_edit", args=[post.pk])
    data = form_data(post, summary=f"Why {MARK} hurts.", topics=f"safer use, {MARK}")
    data["body"] = "My careful rewrite, **kept** when the form is refused."
    page = author_client.post(edit, data=urlencoded(data), content_type=URLENCODED)
    assert page.status_code == 200 and errors_on(page) == {"summary", "topics"}
    post.refresh_from_db()
    assert post.latest_revision.number == 1 and post.revisions.count() == 1
    assert "My careful rewrite, **kept** when the form is refused." in page.content.decode()


def test_a_typed_replacement_character_is_refused_too(author_client, post) -> None:
    """Valid UTF-8 (EF BF BD), but the same character: the form cannot tell them apart."""
    edit = reverse("content:post_edit", args=[post.pk])
    data = form_data(post, public_change_note="Dose \N{REPLACEMENT CHARACTER} corrected.")
    page = author_client.post(edit, data=urlencode(data).encode(), content_type=URLENCODED)
    assert page.status_code == 200 and errors_on(page) == {"public_change_note"}
    assert post.revisions.count() == 1


@pytest.mark.parametrize(
    "name", ["title", "slug", "summary", "body", "substances", "topics", "change_note"]
)
def test_every_text_field_of_a_new_post_refuses_the_replacement_character(
    languages, name: str
) -> None:
    data = form_data(**{name: "ket\N{REPLACEMENT CHARACTER}amine"})
    form = NewPostForm(data)
    assert not form.is_valid() and ERROR_INVALID_UTF8 in form.errors[name]


@pytest.mark.parametrize("name", ["title", "summary", "body", "public_change_note", "slug"])
def test_every_text_field_of_an_edit_refuses_the_replacement_character(
    post, author, name: str
) -> None:
    data = form_data(post, **{name: "ket\N{REPLACEMENT CHARACTER}amine"})
    form = PostEditForm(data, post=post, user=author)
    assert not form.is_valid() and ERROR_INVALID_UTF8 in form.errors[name]


@pytest.mark.parametrize("name", ["title", "url", "consulted"])
def test_every_field_of_a_source_refuses_the_replacement_character(name: str) -> None:
    data = {"title": "EUDA", "url": "https://example.org/", "consulted": "2026-01-01"}
    form = SourceForm(data | {name: "x\N{REPLACEMENT CHARACTER}"})
    assert not form.is_valid() and ERROR_INVALID_UTF8 in form.errors[name]


def test_text_without_the_replacement_character_is_untouched(languages) -> None:
    form = NewPostForm(form_data(body="Accents, emoji and CJK: é ü 🙂 中文 — all fine."))
    assert form.is_valid(), form.errors


def test_a_review_reason_in_invalid_utf8_is_refused_and_nothing_is_recorded(
    client: Any, post: Post, reviewer: Any
) -> None:
    from content import workflow
    from content.models import Review

    workflow.submit_for_review(post=post, actor=post.created_by)
    client.force_login(reviewer)
    body = (
        b"decision=request_changes&revision_id="
        + str(post.latest_revision_id).encode()
        + b"&reason=Dose+is+wrong+%FF%FE+here"
    )
    response = client.post(
        reverse("content:review_post", args=[post.pk]),
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert str(ERROR_INVALID_UTF8) in response.content.decode()
    assert "Dose is wrong" in response.content.decode()  # the text stays in the form
    assert not Review.objects.filter(revision=post.latest_revision).exists()
