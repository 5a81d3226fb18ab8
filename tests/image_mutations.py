"""Malformed images for the upload fuzz test (tests/test_images_fuzz.py), made deterministically.

Small valid JPEG, PNG and WebP files are made with Pillow, then damaged the ways real files and
attackers damage them: cut short, bytes overwritten, pieces removed or repeated, PNG chunks
dropped, repeated or reordered, and header dimensions that do not match the data. A few hand-made
files are added: the PNG that only has IHDR and IEND (the reviewer's HTTP 500), empty and one-byte
files, text with an image's name, a PNG signature before a JPEG body, animations and other
formats.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable, Iterator

from PIL import Image

from tests.support import jpeg_with_metadata

# Any bytes do as a profile: the point is that a copy must not carry it on.
ICC_PROFILE = b"\x00\x00\x00\x30fake-icc-profile-that-must-not-survive" + bytes(8)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SEED = 20260501

type Case = tuple[str, bytes]


def _picture(mode: str, size: tuple[int, int] = (24, 16)) -> Image.Image:
    """A gradient, so that encoders write real compressed data rather than one flat colour."""
    width, height = size
    image = Image.new("RGB", size)
    image.putdata(
        [(x * 10 % 256, y * 15 % 256, (x * y) % 256) for y in range(height) for x in range(width)]
    )
    return image.convert(mode)


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 3  # upside down: the copy must be turned
    return exif


def valid_images() -> dict[str, bytes]:
    """The starting points: each format, with metadata that the re-encoded copy must lose."""
    meta = {"exif": _exif(), "icc_profile": ICC_PROFILE}
    frames = [_picture("RGBA").rotate(angle) for angle in (0, 90, 180)]
    return {
        "jpeg-photo": jpeg_with_metadata(),
        "jpeg-icc": _encode(_picture("RGB"), "JPEG", quality=80, **meta),
        "jpeg-progressive-gray": _encode(_picture("L"), "JPEG", progressive=True),
        "jpeg-cmyk": _encode(_picture("CMYK"), "JPEG"),
        "jpeg-mpo": _encode(
            _picture("RGB"), "MPO", save_all=True, append_images=[_picture("RGB", (12, 8))]
        ),
        "png-rgba": _encode(_picture("RGBA"), "PNG", **meta),
        "png-palette": _encode(_picture("P"), "PNG", transparency=0),
        "png-gray16": _encode(_picture("I;16"), "PNG"),
        "png-1bit": _encode(_picture("1"), "PNG"),
        "webp-lossy": _encode(_picture("RGB"), "WEBP", quality=80, **meta),
        "webp-lossless": _encode(_picture("RGBA"), "WEBP", lossless=True),
        "apng": _encode(frames[0], "PNG", save_all=True, append_images=frames[1:]),
        "webp-animated": _encode(frames[0], "WEBP", save_all=True, append_images=frames[1:]),
    }


# --- PNG chunks ----------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """A chunk with a correct CRC, so that Pillow reads it instead of refusing it early."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunks.append((kind, data[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return chunks


def png_from(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return PNG_SIGNATURE + b"".join(png_chunk(kind, data) for kind, data in chunks)


def ihdr(width: int, height: int, depth: int = 8, colour: int = 2) -> bytes:
    """The data of a PNG header chunk: size, bit depth, colour type, and the only methods."""
    return struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)


def png_header(width: int, height: int, depth: int = 8, colour: int = 2) -> bytes:
    return png_chunk(b"IHDR", ihdr(width, height, depth, colour))


def png_without_pixels(width: int, height: int) -> bytes:
    """IHDR and IEND only: the file the reviewer found gives an IndexError in verify()."""
    return PNG_SIGNATURE + png_header(width, height) + png_chunk(b"IEND", b"")


# --- Headers that lie about the size -------------------------------------------------------


def jpeg_with_size(data: bytes, width: int, height: int) -> bytes:
    """The start-of-frame segment (baseline or progressive) rewritten to claim another size."""
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = data.find(marker)
        if at >= 0:
            return data[: at + 5] + struct.pack(">HH", height, width) + data[at + 9 :]
    raise ValueError("no start-of-frame segment")


def webp_with_size(data: bytes, width: int, height: int) -> bytes:
    """The VP8 frame header (lossy) or the VP8X canvas (extended) rewritten to another size."""
    out = bytearray(data)
    vp8x = data.find(b"VP8X")
    if vp8x >= 0:
        at = vp8x + 12  # chunk header (8) and flags (4); then width-1 and height-1, 24 bits each
        out[at : at + 6] = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        return bytes(out)
    vp8 = data.find(b"VP8 ")
    if vp8 < 0:
        raise ValueError("not a lossy WebP")
    at = vp8 + 8 + 6  # chunk header, frame tag (3) and start code (3)
    out[at : at + 4] = struct.pack("<HH", width & 0x3FFF, height & 0x3FFF)
    return bytes(out)


# --- Random damage -------------------------------------------------------------------------


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _overwrite_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _flip_bits(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _remove_slice(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 64) :]


def _repeat_slice(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 64)]
    return data[:start] + piece * rng.randint(2, 4) + data[start + len(piece) :]


def _splice_interesting_number(rng: random.Random, data: bytes) -> bytes:
    """Boundary values in a random place: where lengths and sizes hide, they find bugs."""
    value = rng.choice([0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF])
    at = rng.randrange(max(1, len(data) - 4))
    return data[:at] + struct.pack(">I", value) + data[at + 4 :]


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "truncated": _truncate,
    "bytes-overwritten": _overwrite_bytes,
    "bits-flipped": _flip_bits,
    "slice-removed": _remove_slice,
    "slice-repeated": _repeat_slice,
    "boundary-number": _splice_interesting_number,
}


def _png_chunk_damage(rng: random.Random, name: str, data: bytes) -> Iterator[Case]:
    chunks = png_chunks(data)
    for i in range(4):
        pick = rng.randrange(len(chunks))
        dropped = chunks[:pick] + chunks[pick + 1 :]
        yield f"{name}-chunk-{chunks[pick][0].decode()}-dropped-{i}", png_from(dropped)
        repeated = chunks[:pick] + [chunks[pick]] * 2 + chunks[pick:]
        yield f"{name}-chunk-{chunks[pick][0].decode()}-repeated-{i}", png_from(repeated)
        shuffled = chunks[:]
        rng.shuffle(shuffled)
        yield f"{name}-chunks-shuffled-{i}", png_from(shuffled)


def random_cases(rounds: int = 4) -> Iterator[Case]:
    rng = random.Random(SEED)
    for name, data in valid_images().items():
        for kind, mutate in MUTATIONS.items():
            for i in range(rounds):
                yield f"{name}-{kind}-{i}", mutate(rng, data)
        if name.startswith(("png", "apng")):
            yield from _png_chunk_damage(rng, name, data)


def crafted_cases() -> Iterator[Case]:
    images = valid_images()
    png, jpeg = images["png-rgba"], images["jpeg-icc"]
    idat = [data for kind, data in png_chunks(png) if kind == b"IDAT"]
    yield "png-ihdr-7000x7000-then-iend", png_without_pixels(7000, 7000)
    yield "png-ihdr-900x900-then-iend", png_without_pixels(900, 900)
    yield "png-ihdr-1x1-then-iend", png_without_pixels(1, 1)
    yield "png-ihdr-0x0", png_without_pixels(0, 0)
    yield "png-ihdr-2^31", png_without_pixels(2**31 - 1, 2**31 - 1)
    yield (
        "png-ihdr-900x900-small-idat",
        png_from([(b"IHDR", ihdr(900, 900)), (b"IDAT", idat[0]), (b"IEND", b"")]),
    )
    yield "png-ihdr-1x50000000", png_without_pixels(1, 50_000_000)
    after_header = png_from(png_chunks(png)[1:])[len(PNG_SIGNATURE) :]
    for depth, colour in ((3, 2), (8, 5), (16, 3), (1, 6)):
        yield (
            f"png-bad-depth-{depth}-colour-{colour}",
            PNG_SIGNATURE + png_header(24, 16, depth, colour) + after_header,
        )
    yield "png-signature-then-jpeg-body", PNG_SIGNATURE + jpeg[2:]
    yield "png-signature-only", PNG_SIGNATURE
    yield (
        "png-idat-not-zlib",
        png_from([png_chunks(png)[0], (b"IDAT", b"not zlib at all" * 4), (b"IEND", b"")]),
    )
    yield (
        "png-idat-zlib-of-nothing",
        png_from([png_chunks(png)[0], (b"IDAT", zlib.compress(b"")), (b"IEND", b"")]),
    )
    for width, height in ((65535, 65535), (7000, 7000), (1200, 800), (1, 1)):
        yield f"jpeg-sof-{width}x{height}", jpeg_with_size(jpeg, width, height)
    yield "jpeg-sof-0x0", jpeg_with_size(jpeg, 0, 0)
    yield "jpeg-start-marker-only", b"\xff\xd8"
    yield "jpeg-start-and-end-only", b"\xff\xd8\xff\xd9"
    lossy = _encode(_picture("RGB"), "WEBP", quality=80)
    for width, height in ((16383, 16383), (7000, 7000), (200, 200), (1, 1)):
        yield f"webp-vp8-{width}x{height}", webp_with_size(lossy, width, height)
        yield f"webp-vp8x-{width}x{height}", webp_with_size(images["webp-lossy"], width, height)
    yield "webp-riff-size-wrong", lossy[:4] + struct.pack("<I", 0xFFFFFFF0) + lossy[8:]
    yield "webp-riff-header-only", b"RIFF\x04\x00\x00\x00WEBP"
    yield "empty", b""
    yield "one-byte", b"\x89"
    yield "text-named-png", b"#!/bin/sh\necho this is not a picture\n"
    yield "svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    yield "html", b"<!doctype html><script>alert(1)</script>"
    yield "zip", b"PK\x03\x04" + bytes(60)
    yield "jpeg-twice", jpeg + jpeg
    yield "png-then-trailing-zip", png + b"PK\x03\x04" + bytes(60)
    for fmt in ("GIF", "BMP", "TIFF", "ICO", "PPM"):
        yield f"other-format-{fmt.lower()}", _encode(_picture("RGB"), fmt)


def all_cases() -> list[Case]:
    return [*crafted_cases(), *random_cases()]
