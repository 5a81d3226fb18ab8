"""The worst files of the fuzz corpus, uploaded through the editor's endpoint: each answers 400
with a message for the author, never a server error, and nothing reaches MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from content.models import AuditEvent
from tests.image_mutations import all_cases

UPLOAD = reverse("content:image_upload")
CASES = dict(all_cases())

WORST = {
    "png-ihdr-7000x7000-then-iend": "49,000,000 pixels; the limit is 40,000,000",
    "png-ihdr-900x900-then-iend": "not a complete PNG image: it could not be decoded",
    "png-ihdr-2^31": "far larger than the limit",
    "png-signature-then-jpeg-body": "not a complete PNG image",
    "jpeg-sof-65535x65535": "far larger than the limit",
    "webp-vp8-200x200": "not a complete WebP image",
    "one-byte": "not an image we can read",
    "text-named-png": "not an image we can read",
    "other-format-tiff": "TIFF images are not accepted",
}


def media_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


@override_settings(CONTENT_MAX_IMAGE_PIXELS=40_000_000)
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(("name", "message"), WORST.items(), ids=list(WORST))
def test_a_malformed_upload_is_refused_with_a_message_and_nothing_is_stored(
    author_client, name: str, message: str
) -> None:
    before = media_files()
    upload = SimpleUploadedFile(f"{name}.png", CASES[name], content_type="image/png")
    response = author_client.post(
        UPLOAD, {"image": upload}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 400
    assert message in response.json()["image"][0]
    assert media_files() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMAGE_UPLOADED).exists()
