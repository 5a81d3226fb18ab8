"""Image uploads: check that a file is a real image of an allowed type and size, then re-encode
it from its pixels alone, so no metadata (EXIF, GPS, XMP, ICC, comments) reaches a reader.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

UPLOAD_DIR = "uploads"

# Pillow format -> (file extension, save options). GIF is not accepted: its frames and comment
# blocks are hard to strip losslessly, and photos are what leak location.
ALLOWED_FORMATS: dict[str, tuple[str, dict[str, object]]] = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85}),
}

ERROR_NOT_AN_IMAGE = "This file is not an image we can read. Upload a JPEG, PNG or WebP picture."
ERROR_WRONG_TYPE = "{kind} images are not accepted. Upload a JPEG, PNG or WebP picture."
ERROR_TOO_LARGE = "The file is {size:.1f} MB; the limit is {limit:.1f} MB."
ERROR_TOO_MANY_PIXELS = "The image is {pixels:,} pixels; the limit is {limit:,} pixels."
ERROR_EMPTY = "The file is empty."


class ImageRejected(ValueError):
    pass


@dataclass(frozen=True)
class StoredImage:
    name: str
    url: str
    width: int
    height: int


def _open_checked(upload: UploadedFile[bytes]) -> Image.Image:
    size = upload.size or 0
    limit = settings.CONTENT_MAX_IMAGE_BYTES
    if size == 0:
        raise ImageRejected(ERROR_EMPTY)
    if size > limit:
        raise ImageRejected(ERROR_TOO_LARGE.format(size=size / 1e6, limit=limit / 1e6))
    data = upload.read()
    max_pixels = settings.CONTENT_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            probe.verify()  # structure check; the image must be reopened afterwards
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise ImageRejected(
                    ERROR_TOO_MANY_PIXELS.format(
                        pixels=image.width * image.height, limit=max_pixels
                    )
                )
            image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(ERROR_NOT_AN_IMAGE) from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected(ERROR_NOT_AN_IMAGE) from None
    if image.format not in ALLOWED_FORMATS:
        raise ImageRejected(ERROR_WRONG_TYPE.format(kind=image.format or "These"))
    return image


def strip_metadata(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels, turned upright as the camera meant it."""
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if upright.mode in {"RGBA", "LA", "P", "PA"} else "RGB"
    if image.format == "JPEG":
        mode = "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    edge = settings.CONTENT_IMAGE_MAX_EDGE
    clean.thumbnail((edge, edge))
    return clean


def store_image(upload: UploadedFile[bytes]) -> StoredImage:
    """Validate an upload, remove its metadata and save it under a random name."""
    image = _open_checked(upload)
    assert image.format is not None  # _open_checked() accepts only ALLOWED_FORMATS
    extension, options = ALLOWED_FORMATS[image.format]
    clean = strip_metadata(image)
    buffer = io.BytesIO()
    clean.save(buffer, format=image.format, **options)
    name = default_storage.save(
        f"{UPLOAD_DIR}/{uuid.uuid4().hex}.{extension}", ContentFile(buffer.getvalue())
    )
    return StoredImage(
        name=name, url=default_storage.url(name), width=clean.width, height=clean.height
    )
