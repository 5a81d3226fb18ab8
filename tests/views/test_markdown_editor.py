"""The markdownx endpoints: live preview through the one Markdown module, and image upload."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from content import markdown
from content.models import AuditEvent
from tests.support import jpeg_with_metadata

PREVIEW = reverse("content:markdown_preview")
UPLOAD = reverse("content:image_upload")


def test_markdownx_is_pointed_at_our_endpoints(settings) -> None:
    assert settings.MARKDOWNX_URLS_PATH == PREVIEW
    assert settings.MARKDOWNX_UPLOAD_URLS_PATH == UPLOAD
    assert settings.MARKDOWNX_MARKDOWNIFY_FUNCTION == "content.markdown.render_html"


def test_preview_is_the_same_html_as_the_stored_revision(author_client, post) -> None:
    response = author_client.post(PREVIEW, {"content": post.latest_revision.body})
    assert response.status_code == 200
    assert response.content.decode() == post.latest_revision.rendered_html


def test_preview_sanitizes_script_injection(author_client) -> None:
    response = author_client.post(
        PREVIEW, {"content": "[x](javascript:alert(1)) <script>x</script>"}
    )
    assert b"<script>" not in response.content and b'href="javascript' not in response.content


@override_settings(CONTENT_MAX_BODY_CHARS=100)
def test_preview_of_a_too_long_text_explains_the_limit_as_safe_html(author_client) -> None:
    response = author_client.post(PREVIEW, {"content": "<b>" * 50})
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith('<p class="preview-error"') and "the limit is 100 characters" in text


def test_preview_of_deeply_nested_text_is_refused_clearly(author_client) -> None:
    response = author_client.post(PREVIEW, {"content": ">" * 200})
    assert (
        response.status_code == 400 and f"at most {markdown.MAX_DEPTH}" in response.content.decode()
    )


def test_preview_needs_a_signed_in_writer_and_a_csrf_token(client, reviewer, author) -> None:
    assert client.post(PREVIEW, {"content": "x"}).status_code == 302
    client.force_login(reviewer)
    assert client.post(PREVIEW, {"content": "x"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    assert strict.post(PREVIEW, {"content": "x"}).status_code == 403
    assert client.get(PREVIEW).status_code == 405


def test_upload_returns_markdown_for_a_clean_copy_and_records_it(author_client, author) -> None:
    photo = SimpleUploadedFile("holiday.jpg", jpeg_with_metadata(), content_type="image/jpeg")
    response = author_client.post(
        UPLOAD, {"image": photo}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(".jpg)")
    assert "holiday" not in code
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMAGE_UPLOADED)
    assert event.actor == author and event.details["original_name"] == "holiday.jpg"
    with default_storage.open(event.details["file"], "rb") as saved:
        raw = saved.read()
    assert code == f"![]({default_storage.url(event.details['file'])})"
    assert b"Exif" not in raw and Image.open(io.BytesIO(raw)).format == "JPEG"


def test_upload_of_a_non_image_is_refused_with_a_message(author_client) -> None:
    fake = SimpleUploadedFile("x.png", b"#!/bin/sh\nrm -rf /", content_type="image/png")
    response = author_client.post(UPLOAD, {"image": fake})
    assert response.status_code == 400
    assert "not an image" in response.json()["image"][0]


def test_upload_without_a_file_is_refused_with_a_message(author_client) -> None:
    response = author_client.post(UPLOAD, {})
    assert response.status_code == 400 and "No file" in response.json()["image"][0]


def test_upload_is_refused_to_visitors_and_reviewers(client, reviewer) -> None:
    photo = SimpleUploadedFile("a.jpg", jpeg_with_metadata(), content_type="image/jpeg")
    assert client.post(UPLOAD, {"image": photo}).status_code == 302
    client.force_login(reviewer)
    photo.seek(0)
    assert client.post(UPLOAD, {"image": photo}).status_code == 403
