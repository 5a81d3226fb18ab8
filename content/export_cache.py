"""Rendered exports in Django's cache: an export is rendered once for each set of inputs.

An export is a pure function of what `content.exporters.export()` is given and of the code that
renders it: the document (the whitelisted revision text, version, content hash, dates shown,
number of approvals, public addresses, final or preview, status, the paths a signed part
names), the profile as `ExportSettings` (format, dialect, length, link and image policies, Tor,
header and footer, signing) and the signing key's fingerprint. The key is a digest of all of
them and of the exporters' code, so nothing is ever invalidated: a new revision, an edited
profile, another key, a changed PUBLIC_SITE_URL, a re-approval (a new review date, another
count), final instead of preview, or a deployment with other exporter code or other
translations is another key. The post's language is a field of the document; the compiled
catalogues (content/locale) are hashed with the code, since our own words in an export (banner,
"Sources", "reviewed by N professionals", notices) are read from them in that language.

One input is not a value: the document's `public_path`, which asks the database whether a link
to our own site leads to a page readers can open (a published post, say). Its answers are
stored with the entry and asked again on a hit; if any differs, the export is rendered anew.

Signed parts are cached as well. A signature carries the time it was made, so repeated exports
of the same inputs are now the same bytes, which readers and the audit log are better off with.
Callers check before asking here that the profile's key may sign today (switched on, current,
unexpired), and write the `exported` audit event of a final export on every export, hit or not:
the audit log records what was handed out, not what was rendered.

An export that raises is never stored, so it raises again next time. An entry stored inside a
transaction that then rolls back is still a true rendering of its inputs, so it may stay.

`RedisCache` at the end is the cache backend settings.py chooses when REDIS_URL is set.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import django_redis.cache
from django.core.cache import cache

from content.exporters import ExportDocument, ExportResult, ExportSettings, Signer, export

# An entry goes this long after it was rendered, and is then simply rendered again: without a
# time limit a shared Redis would keep every export of every old revision forever.
TIMEOUT_SECONDS = 30 * 24 * 3600

# The document's one field that is a question to the database, not a value (see above).
PUBLIC_PATH = "public_path"

_APP = Path(__file__).resolve().parent
# What renders an export besides its inputs: the exporters, the Markdown parser and sanitizer
# they share with the site, this module (the stored format), the compiled catalogues our own
# words are read from, and the parser and sanitizer packages. Editing any of them gives every
# export a new key after the deployment.
_CODE_FILES = (
    *sorted((_APP / "exporters").glob("*.py")),
    _APP / "markdown.py",
    Path(__file__),
    *sorted((_APP / "locale").glob("*/LC_MESSAGES/*.mo")),
)
_PACKAGES = ("markdown-it-py", "bleach")


def _code_version() -> str:
    digest = hashlib.sha256()
    for path in _CODE_FILES:
        digest.update(path.resolve().relative_to(_APP).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for package in _PACKAGES:
        digest.update(f"{package}=={metadata.version(package)}\0".encode())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def _plain(value: object) -> Any:
    """`value` as JSON, field by field. A type not listed here is refused rather than guessed
    at, so a new kind of input cannot slip out of the key unnoticed."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):  # datetime too: isoformat keeps the time
        return value.isoformat()
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    raise TypeError(f"{type(value).__name__} cannot be part of an export's cache key")


def key_for(document: ExportDocument, settings: ExportSettings, signer: Signer | None) -> str:
    """The cache key of one export: a digest of every value the rendering reads."""
    inputs = {
        # Every field but the database question, which is checked on each hit instead.
        "document": _plain(replace(document, public_path=None)),
        # Without the question every path of ours counts as public, so the output can differ.
        "asks_public_path": document.public_path is not None,
        "settings": _plain(settings),
        # The key that signs (its fingerprint names the key material); none when unsigned.
        "signer": signer.fingerprint if settings.sign and signer is not None else "",
    }
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"export:{CODE_VERSION}:{hashlib.sha256(text.encode()).hexdigest()}"


@dataclass
class _Recorder:
    """Stands in for the document's `public_path` while rendering, noting each answer."""

    ask: Callable[[str], bool]
    answers: dict[str, bool] = field(default_factory=dict)

    def __call__(self, path: str) -> bool:
        if path not in self.answers:
            self.answers[path] = bool(self.ask(path))
        return self.answers[path]


def _dump(result: ExportResult, answers: dict[str, bool]) -> bytes:
    # Compressed: an in-memory cache counts entries, not bytes, and a long signed export
    # holds its text twice (formatted and the signed copy).
    entry = {
        "parts": result.parts,
        "content_type": result.content_type,
        "extension": result.extension,
        "signed": result.signed,
        "bodies": result.bodies,
        "answers": answers,
    }
    return zlib.compress(json.dumps(entry, ensure_ascii=False).encode())


def _load(stored: object) -> tuple[ExportResult, dict[str, bool]] | None:
    """The entry, or None for anything that is not one (then it is rendered again)."""
    if not isinstance(stored, bytes):
        return None
    try:
        entry = json.loads(zlib.decompress(stored))
        result = ExportResult(
            parts=[str(part) for part in entry["parts"]],
            content_type=str(entry["content_type"]),
            extension=str(entry["extension"]),
            signed=bool(entry["signed"]),
            bodies=[str(body) for body in entry["bodies"]],
        )
        answers = {str(path): bool(answer) for path, answer in entry["answers"].items()}
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError):
        return None
    return result, answers


def rendered(
    document: ExportDocument, settings: ExportSettings, *, signer: Signer | None = None
) -> ExportResult:
    """`export(document, settings, signer=signer)`, from the cache when it was rendered before
    with the same inputs and our site still answers the same about the links it checked."""
    key = key_for(document, settings, signer)
    found = _load(cache.get(key))
    if found is not None:
        result, answers = found
        ask = document.public_path
        if ask is None or all(bool(ask(path)) == answer for path, answer in answers.items()):
            return result
    recorder = _Recorder(document.public_path) if document.public_path is not None else None
    result = export(
        replace(document, public_path=recorder) if recorder else document, settings, signer=signer
    )
    cache.set(key, _dump(result, recorder.answers if recorder else {}), timeout=TIMEOUT_SECONDS)
    return result


# --- The Redis backend (settings.CACHES with REDIS_URL) ----------------------------------------


class RedisCache(django_redis.cache.RedisCache):  # type: ignore[misc]  # django-redis has no hints
    """django-redis with IGNORE_EXCEPTIONS, where a lost connection reads as a missing entry.

    django-redis then answers None for every call. For get() that is a miss and set() is
    skipped, which is what pages and exports want; but incr() and decr() must return a number
    or, for a key that is not there, raise ValueError (Django's contract), and callers such as
    the /verify/ rate counter handle only that. Without this a Redis outage would turn /verify/
    into an error page instead of a page without its rate limit.
    """

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        value = super().incr(key, delta=delta, version=version)
        if value is None:  # the server did not answer
            raise ValueError(f"Key {key!r} could not be read: the cache server did not answer.")
        return int(value)

    def decr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        value = super().decr(key, delta=delta, version=version)
        if value is None:
            raise ValueError(f"Key {key!r} could not be read: the cache server did not answer.")
        return int(value)
