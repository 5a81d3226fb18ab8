"""Image uploads: check that a file is a real image of an allowed type and size, then re-encode
it from its pixels alone, so no metadata (EXIF, GPS, XMP, ICC, comments) reaches a reader.

Every file that cannot be used is refused with ImageRejected and a message for the author, never
with another exception (tests/test_images_fuzz.py feeds hundreds of damaged files through it).
Pillow's decoders raise many exception types on malformed input, so every call that reads the
upload's bytes runs inside one guard, `_refusing()`. The size and the pixel count are checked
from the header before anything is decoded. An animated PNG or WebP is stored as its first frame.
"""

from __future__ import annotations

import io
import logging
import struct
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy
from PIL import Image

logger = logging.getLogger(__name__)

UPLOAD_DIR = "uploads"

# Pillow format -> (file extension, save options). GIF is not accepted: its frames and comment
# blocks are hard to strip losslessly, and photos are what leak location.
ALLOWED_FORMATS: dict[str, tuple[str, dict[str, object]]] = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85}),
}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Phones save photos with a depth map or a second lens's picture appended (MPO): still a JPEG,
# whose first picture is the photo.
SAME_AS = {"MPO": "JPEG"}

# EXIF Orientation (tag 0x0112) -> the transposition that shows the picture as the camera meant.
ORIENTATION_TAG = 0x0112
UPRIGHT: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

ERROR_NOT_AN_IMAGE = gettext_lazy(
    "This file is not an image we can read. Upload a JPEG, PNG or WebP picture."
)
ERROR_WRONG_TYPE = gettext_lazy(
    "{kind} images are not accepted. Upload a JPEG, PNG or WebP picture."
)
ERROR_TOO_LARGE = gettext_lazy("The file is {size:.1f} MB; the limit is {limit:.1f} MB.")
ERROR_TOO_MANY_PIXELS = gettext_lazy(
    "The image is {pixels:,} pixels; the limit is {limit:,} pixels."
)
ERROR_FAR_TOO_MANY_PIXELS = gettext_lazy(
    "The image says it is far larger than the limit of {limit:,} pixels: it is damaged, or made "
    "to exhaust the server's memory."
)
ERROR_DAMAGED = gettext_lazy(
    "This file is not a complete {kind} image: it could not be decoded. Save it again with an "
    "image editor and upload that copy."
)
ERROR_DAMAGED_METADATA = gettext_lazy(
    "This {kind} image's EXIF metadata is damaged, so we cannot tell which way up it goes. Save "
    "it again with an image editor, or upload a screenshot of it."
)
ERROR_EMPTY = gettext_lazy("The file is empty.")

# What Pillow raises on damaged input. Fuzzing (tests/test_images_fuzz.py) found IndexError from
# verify() of a PNG without image data, SyntaxError from EXIF that is not TIFF, OSError for
# truncated data ("image file is truncated"), and struct.error, TypeError and AttributeError
# from ImageOps.exif_transpose() writing damaged EXIF back (no longer called: see _orientation).
# The rest are what Pillow's plugins raise on bad lengths, offsets and tables. MemoryError: a
# header can ask for an allocation the pixel limit did not foresee.
DECODER_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    SyntaxError,
    ValueError,
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    struct.error,
    EOFError,
    ArithmeticError,
    MemoryError,
)


class ImageRejected(ValueError):
    """A file that cannot be used as an image; str() is the message for the author."""


@dataclass(frozen=True)
class CleanImage:
    """An image re-encoded from its pixels alone, ready to be stored."""

    data: bytes
    format: str
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class StoredImage:
    name: str
    url: str
    width: int
    height: int


@contextmanager
def _refusing(message: str) -> Iterator[None]:
    """Run Pillow on the upload's bytes: whatever fails in there refuses the file with message.

    "Never a 500" cannot rest on a list of exception types: one not in DECODER_ERRORS refuses
    the file too, and is logged so that the list (and the fuzz test) can learn about it.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        limit = settings.CONTENT_MAX_IMAGE_PIXELS
        raise ImageRejected(ERROR_FAR_TOO_MANY_PIXELS.format(limit=limit)) from error
    except DECODER_ERRORS as error:
        raise ImageRejected(message) from error
    except Exception as error:
        logger.warning("Image refused: Pillow raised %s", type(error).__name__, exc_info=True)
        raise ImageRejected(message) from error


def _check_size(size: int) -> None:
    limit = settings.CONTENT_MAX_IMAGE_BYTES
    if size == 0:
        raise ImageRejected(ERROR_EMPTY)
    if size > limit:
        raise ImageRejected(ERROR_TOO_LARGE.format(size=size / 1e6, limit=limit / 1e6))


def _looks_like(data: bytes) -> str | None:
    """The accepted format a file's first bytes announce: a file that starts like one but cannot
    be opened is a damaged image of that kind, and the author is told so."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _open_header(data: bytes) -> tuple[Image.Image, str]:
    """The image's header and the format to save it in. Only the header has been read: type and
    dimensions are checked before anything is decoded."""
    claimed = _looks_like(data)
    message = (
        ERROR_DAMAGED.format(kind=FORMAT_NAMES[claimed]) if claimed else str(ERROR_NOT_AN_IMAGE)
    )
    with _refusing(message):
        header = Image.open(io.BytesIO(data))
    image_format = SAME_AS.get(header.format or "", header.format or "")
    if image_format not in ALLOWED_FORMATS:
        raise ImageRejected(ERROR_WRONG_TYPE.format(kind=header.format or "These"))
    pixels, limit = header.width * header.height, settings.CONTENT_MAX_IMAGE_PIXELS
    if pixels > limit:
        raise ImageRejected(ERROR_TOO_MANY_PIXELS.format(pixels=pixels, limit=limit))
    return header, image_format


def _orientation(image: Image.Image) -> Image.Transpose | None:
    # Read here rather than with ImageOps.exif_transpose(), which also writes the damaged EXIF
    # back into the image (and fails on it) although the copy keeps none of it.
    value = image.getexif().get(ORIENTATION_TAG)
    return UPRIGHT.get(value) if isinstance(value, int) else None


def strip_metadata(
    image: Image.Image, *, turn: Image.Transpose | None, image_format: str
) -> Image.Image:
    """A new image holding only the pixels, turned upright as the camera meant it."""
    upright = image.transpose(turn) if turn is not None else image
    mode = "RGBA" if upright.mode in {"RGBA", "LA", "P", "PA"} else "RGB"
    if image_format == "JPEG":
        mode = "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    edge = settings.CONTENT_IMAGE_MAX_EDGE
    clean.thumbnail((edge, edge))
    return clean


def clean_image(data: bytes) -> CleanImage:
    """The image in data, checked and re-encoded from its pixels alone.

    Raises ImageRejected, and nothing else, for anything that is not a complete JPEG, PNG or
    WebP image within the size and pixel limits.
    """
    _check_size(len(data))
    header, image_format = _open_header(data)
    kind = FORMAT_NAMES[image_format]
    extension, options = ALLOWED_FORMATS[image_format]
    with _refusing(ERROR_DAMAGED.format(kind=kind)):
        header.verify()  # chunk structure and checksums; a verified image must be reopened
        image = Image.open(io.BytesIO(data))
        image.load()
    with _refusing(ERROR_DAMAGED_METADATA.format(kind=kind)):
        turn = _orientation(image)
    with _refusing(ERROR_DAMAGED.format(kind=kind)):
        clean = strip_metadata(image, turn=turn, image_format=image_format)
        buffer = io.BytesIO()
        clean.save(buffer, format=image_format, **options)
    return CleanImage(
        data=buffer.getvalue(),
        format=image_format,
        extension=extension,
        width=clean.width,
        height=clean.height,
    )


def store_image(upload: UploadedFile[bytes]) -> StoredImage:
    """Validate an upload, remove its metadata and save it under a random name."""
    _check_size(upload.size or 0)  # before the file is read into memory
    clean = clean_image(upload.read())
    name = default_storage.save(
        f"{UPLOAD_DIR}/{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.data)
    )
    return StoredImage(
        name=name, url=default_storage.url(name), width=clean.width, height=clean.height
    )
