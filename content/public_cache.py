"""Public pages served from Django's cache, with ETag and Last-Modified for 304 answers.

A published revision never changes and its HTML is stored, so a public page is a function of
the posts' pointers and states (`PublicVersion`, one number that every public change raises in
its own transaction), the day (review dates fall due), the language and this code (`RELEASE`).
Those make the key; nothing expires by time, and publishing or withdrawing anything changes the
key at once. A cached page costs one small query (the version) and no other: the key is known
before the post is looked up. A page is only ever stored after it rendered with 200, so an
error, a 404, a redirect or a 410 is never served from the cache, and a page is never cached
under a key that says more than it saw: the version is read before the page renders, so a
page rendered from newer data may sit under an older key, never the reverse.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from content.models import PublicVersion

# Readers must get a withdrawal at once: browsers and proxies may keep a page but must ask
# again (a 304 costs a few hundred bytes, which matters over Tor).
CACHE_CONTROL = "no-cache"


def _release() -> str:
    """A digest of this app's templates, static files and code: a deployment that changes what
    a page shows gets new keys, so a shared cache (Redis) never serves the old pages."""
    app = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for folder in (app / "templates", app / "static", app):
        pattern = "*.py" if folder == app else "*"
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "migrations" not in path.parts:
                digest.update(str(path.relative_to(app)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release()


def page_key(name: str, version: PublicVersion, *parts: object) -> str:
    """The cache key of one public page: what it is, the public version, and what else it
    depends on (a page number, the day, whether a review is overdue)."""
    fields = [name, str(version.number), RELEASE, get_language() or "", *map(str, parts)]
    return "public:" + ":".join(fields)


@dataclass(frozen=True)
class Rendered:
    """A page as rendered, and when what it shows last changed (its Last-Modified)."""

    response: HttpResponseBase
    changed_at: datetime.datetime


def serve(request: HttpRequest, *, key: str, render: Callable[[], Rendered]) -> HttpResponseBase:
    """The page under `key`: from the cache, else `render()` (stored only if it answered 200);
    304 when the reader already has it."""
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    stored = cache.get(key)
    if stored is None:
        rendered = render()
        response = rendered.response
        if response.status_code != 200 or not isinstance(response, HttpResponse):
            return response
        stored = (response.content, response["Content-Type"], int(rendered.changed_at.timestamp()))
        cache.set(key, stored, timeout=None)
    content, content_type, last_modified = stored
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answer is None:
        answer = HttpResponse(content, content_type=content_type)
    answer.headers["ETag"] = etag
    answer.headers["Last-Modified"] = http_date(last_modified)
    answer.headers["Cache-Control"] = CACHE_CONTROL
    return answer


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the site's time zone: when a page that depends on the
    day (alerts going out of force, reviews falling due) last changed."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def with_language(response: HttpResponseBase, codes: str) -> HttpResponseBase:
    """Content-Language on a page (and on its 304), never on an error."""
    if response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_MODIFIED) and codes:
        response["Content-Language"] = codes
    return response
