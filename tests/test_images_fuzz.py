"""Damaged and hostile image files: each gives a clean copy or ImageRejected, never another error.

The files are made by tests/image_mutations.py from a fixed seed, so a failure here names a case
that fails the same way on every run.
"""

from __future__ import annotations

import io
import logging

import pytest
from PIL import Image, ImageChops, ImageFile, ImageStat, PngImagePlugin

from content import images
from content.images import ALLOWED_FORMATS, ImageRejected, clean_image
from tests.image_mutations import (
    ICC_PROFILE,
    all_cases,
    png_without_pixels,
    valid_images,
)

CASES = all_cases()

# Damaged files make Pillow warn ("Corrupt EXIF data", "Truncated File Read") while it copes.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def assert_clean_copy(copy: images.CleanImage) -> None:
    """A copy decodes as the format it claims and carries no EXIF, ICC profile or text."""
    reopened = Image.open(io.BytesIO(copy.data))
    reopened.load()
    assert reopened.format == copy.format and copy.format in ALLOWED_FORMATS
    assert reopened.size == (copy.width, copy.height)
    assert not reopened.getexif()
    assert "icc_profile" not in reopened.info and "exif" not in reopened.info
    assert ICC_PROFILE not in copy.data and b"PhoneMaker" not in copy.data
    assert not getattr(reopened, "is_animated", False)


def test_the_corpus_is_a_few_hundred_files_made_the_same_way_every_run() -> None:
    names = [name for name, _ in CASES]
    assert len(CASES) >= 300 and len(set(names)) == len(names)
    assert all_cases() == CASES


@pytest.mark.parametrize("name", sorted(valid_images()))
def test_every_starting_image_is_accepted_as_a_clean_copy(name: str) -> None:
    assert_clean_copy(clean_image(valid_images()[name]))


@pytest.mark.parametrize(("name", "data"), CASES, ids=[name for name, _ in CASES])
def test_a_damaged_file_gives_a_clean_copy_or_a_message_never_another_error(
    name: str, data: bytes
) -> None:
    try:
        copy = clean_image(data)
    except ImageRejected as refusal:
        message = str(refusal)
        assert message[:1].isupper() and message.endswith("."), message
        return
    assert_clean_copy(copy)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("png-ihdr-900x900-then-iend", "not a complete PNG image: it could not be decoded"),
        ("png-ihdr-7000x7000-then-iend", "The image is 49,000,000 pixels; the limit is"),
        ("png-ihdr-2^31", "far larger than the limit"),
        ("png-ihdr-900x900-small-idat", "not a complete PNG image"),
        ("png-signature-then-jpeg-body", "not a complete PNG image"),
        ("png-signature-only", "not a complete PNG image"),
        ("jpeg-sof-65535x65535", "far larger than the limit"),
        ("jpeg-start-and-end-only", "not a complete JPEG image"),
        ("webp-vp8-200x200", "not a complete WebP image"),
        ("webp-riff-header-only", "not a complete WebP image"),
        ("empty", "The file is empty."),
        ("one-byte", "not an image we can read"),
        ("text-named-png", "not an image we can read"),
        ("other-format-gif", "GIF images are not accepted"),
        ("other-format-tiff", "TIFF images are not accepted"),
    ],
)
def test_the_message_names_the_problem(name: str, message: str, settings) -> None:
    settings.CONTENT_MAX_IMAGE_PIXELS = 40_000_000
    with pytest.raises(ImageRejected, match=message):
        clean_image(dict(CASES)[name])


@pytest.mark.parametrize("name", ["apng", "webp-animated"])
def test_an_animation_is_stored_as_its_first_frame(name: str) -> None:
    animation = Image.open(io.BytesIO(valid_images()[name]))
    frames = []
    for number in range(animation.n_frames):
        animation.seek(number)
        frames.append(animation.convert("RGBA"))
    copy = clean_image(valid_images()[name])
    assert_clean_copy(copy)
    stored = Image.open(io.BytesIO(copy.data)).convert("RGBA")
    # WebP is saved lossy: the copy is nearest the first frame, not equal to it.
    distances = [sum(ImageStat.Stat(ImageChops.difference(stored, frame)).sum) for frame in frames]
    assert distances[0] == min(distances) and distances[0] < distances[1] / 10


def test_an_unforeseen_error_in_pillow_is_refused_and_logged(monkeypatch, caplog) -> None:
    def broken_decoder(self: Image.Image) -> None:
        raise RuntimeError("a decoder bug nobody has met yet")

    monkeypatch.setattr(ImageFile.ImageFile, "load", broken_decoder)
    with (
        caplog.at_level(logging.WARNING, logger="content.images"),
        pytest.raises(ImageRejected, match="not a complete PNG image"),
    ):
        clean_image(valid_images()["png-rgba"])
    assert "Pillow raised RuntimeError" in caplog.text


def test_the_pixel_limit_is_checked_before_the_file_is_checked_or_decoded(
    monkeypatch, settings
) -> None:
    settings.CONTENT_MAX_IMAGE_PIXELS = 40_000_000

    def must_not_run(self: Image.Image) -> None:
        raise AssertionError("verify() ran on an image over the pixel limit")

    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify", must_not_run)
    with pytest.raises(ImageRejected, match="the limit is 40,000,000 pixels"):
        clean_image(png_without_pixels(7000, 7000))
