"""Uploaded images: real images only, bounded size, and no metadata left in the saved file."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image, PngImagePlugin

from content.images import ImageRejected, store_image
from tests.image_mutations import png_without_pixels, valid_images
from tests.support import GPS_IFD, jpeg_with_metadata


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Anna Janssens")
    info.add_text("Location", "50.85, 4.35")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopen(name: str) -> tuple[Image.Image, bytes]:
    with default_storage.open(name, "rb") as handle:
        raw = handle.read()
    return Image.open(io.BytesIO(raw)), raw


def test_the_source_image_really_carries_the_metadata_we_remove() -> None:
    original = Image.open(io.BytesIO(jpeg_with_metadata()))
    assert original.getexif().get_ifd(GPS_IFD)
    assert b"Brussels flat" in jpeg_with_metadata() and b"taken at home" in jpeg_with_metadata()


def test_a_saved_jpeg_has_no_exif_gps_xmp_or_comment() -> None:
    stored = store_image(upload(jpeg_with_metadata()))
    image, raw = reopen(stored.name)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(GPS_IFD)
    for leak in (b"Exif", b"PhoneMaker", b"Brussels flat", b"taken at home", b"xmpmeta"):
        assert leak not in raw
    assert "comment" not in image.info and "xmp" not in image.info


def test_a_saved_jpeg_is_turned_upright_before_its_orientation_tag_is_dropped() -> None:
    stored = store_image(upload(jpeg_with_metadata()))
    assert (stored.width, stored.height) == (48, 64)


def test_a_saved_png_keeps_transparency_but_loses_its_text_chunks() -> None:
    stored = store_image(upload(png_with_metadata(), "pic.png", "image/png"))
    image, raw = reopen(stored.name)
    assert image.mode == "RGBA"
    assert b"Anna Janssens" not in raw and b"Location" not in raw
    assert stored.name.endswith(".png") and stored.url.startswith("/media/uploads/")


def test_a_file_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(ImageRejected, match="not an image"):
        store_image(upload(b"<svg onload=alert(1)></svg>", "x.jpg"))


def test_a_truncated_image_is_refused() -> None:
    with pytest.raises(ImageRejected, match="not a complete JPEG image"):
        store_image(upload(jpeg_with_metadata()[:200]))


def test_a_png_with_a_header_and_no_image_data_is_refused_not_a_server_error() -> None:
    """The reviewer's file: IHDR then IEND. Pillow's verify() raised IndexError (HTTP 500)."""
    with pytest.raises(ImageRejected, match="not a complete PNG image: it could not be decoded"):
        store_image(upload(png_without_pixels(900, 900), "empty.png", "image/png"))


@override_settings(CONTENT_MAX_IMAGE_PIXELS=40_000_000)
def test_a_png_header_claiming_7000_by_7000_is_refused_on_its_pixels() -> None:
    with pytest.raises(ImageRejected, match="49,000,000 pixels; the limit is 40,000,000"):
        store_image(upload(png_without_pixels(7000, 7000), "huge.png", "image/png"))


def test_an_image_with_damaged_exif_is_refused_because_its_orientation_is_unknown() -> None:
    webp = valid_images()["webp-lossy"]
    assert webp.count(b"MM\x00*") == 1  # the start of its EXIF block
    with pytest.raises(ImageRejected, match="WebP image's EXIF metadata is damaged"):
        store_image(upload(webp.replace(b"MM\x00*", b"XX\x00*"), "a.webp", "image/webp"))


def test_a_phone_photo_with_a_depth_map_is_stored_as_a_jpeg_of_the_photo() -> None:
    """Phones append a second picture (MPO); Pillow calls that format MPO, but it is a JPEG."""
    stored = store_image(upload(valid_images()["jpeg-mpo"]))
    image, _ = reopen(stored.name)
    assert image.format == "JPEG" and (stored.width, stored.height) == (24, 16)
    assert stored.name.endswith(".jpg") and not getattr(image, "is_animated", False)


def test_a_gif_is_refused_with_the_accepted_types_named() -> None:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF")
    with pytest.raises(ImageRejected, match="JPEG, PNG or WebP"):
        store_image(upload(out.getvalue(), "a.gif", "image/gif"))


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ImageRejected, match="empty"):
        store_image(upload(b""))


@override_settings(CONTENT_MAX_IMAGE_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(ImageRejected, match="limit is"):
        store_image(upload(b"x" * 1001))


@override_settings(CONTENT_MAX_IMAGE_PIXELS=100)
def test_an_image_with_too_many_pixels_is_refused() -> None:
    with pytest.raises(ImageRejected, match="pixels"):
        store_image(upload(jpeg_with_metadata()))


@override_settings(CONTENT_IMAGE_MAX_EDGE=16)
def test_large_images_are_scaled_down_to_the_configured_edge() -> None:
    stored = store_image(upload(jpeg_with_metadata()))
    assert max(stored.width, stored.height) == 16
