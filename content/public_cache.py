"""Public pages served from Django's cache, with ETag and Last-Modified for 304 answers.

A published revision never changes and its HTML is stored, so a public page is a function of
the posts' pointers and states (`PublicVersion`, one number that every public change raises in
its own transaction), the day (review dates fall due), the language and this code (`RELEASE`).
Those make the key; nothing expires by time, and publishing or withdrawing anything changes the
key at once. A page is only ever stored after it rendered with 200, so an error, a 404 or a 410
is never served from the cache, and a page is never cached under a key that says more than it
saw: the version is read before the page renders.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from content.models import PublicVersion

# Readers must get a withdrawal at once: browsers and proxies may keep a page but must ask
# again (a 304 costs a few hundred bytes, which matters over Tor).
CACHE_CONTROL = "no-cache"


def _release() -> str:
    """A digest of this app's templates and static files: a deployment that changes how a page
    looks gets new keys, so a shared cache (Redis) never serves the old look."""
    app = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for folder in (app / "templates", app / "static"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(app)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release()


def page_key(name: str, version: PublicVersion, *parts: object) -> str:
    """The cache key of one public page: what it is, the public version, and what else it
    depends on (a page number, the day, whether a review is overdue)."""
    fields = [name, str(version.number), RELEASE, get_language() or "", *map(str, parts)]
    return "public:" + ":".join(fields)


def serve(
    request: HttpRequest,
    *,
    key: str,
    changed_at: datetime.datetime,
    render: Callable[[], HttpResponseBase],
) -> HttpResponseBase:
    """The page under `key`: 304 when the reader has it, else from the cache, else `render()`
    (stored only if it answered 200)."""
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    last_modified = int(changed_at.timestamp())
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answer is None:
        stored = cache.get(key)
        if stored is None:
            rendered = render()
            if rendered.status_code != 200 or not isinstance(rendered, HttpResponse):
                return rendered
            stored = (rendered.content, rendered["Content-Type"])
            cache.set(key, stored, timeout=None)
        answer = HttpResponse(stored[0], content_type=stored[1])
    answer.headers["ETag"] = etag
    answer.headers["Last-Modified"] = http_date(last_modified)
    answer.headers["Cache-Control"] = CACHE_CONTROL
    return answer
