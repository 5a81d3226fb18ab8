"""The bare baseline of the load benchmark: one query, the stored HTML, a minimal page.

`bare_post` is what serving a published post costs at the least in this Django project (the
same settings, middleware and database): one query for the stored title and HTML of the post's
published revision, and a page padded to `?size=` bytes so it is as large as the real one.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.html import escape

from content.models import Post

PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><article><h1>{title}</h1>{html}</article>{padding}</body></html>"
)


def bare_post(request: HttpRequest, pk: int) -> HttpResponse:
    row = (
        Post.objects.filter(pk=pk, published_revision__isnull=False)
        .values_list("published_revision__title", "published_revision__rendered_html")
        .first()
    )
    if row is None:
        raise Http404("No published post with this id.")
    title, html = row
    page = PAGE.format(title=escape(title), html=html, padding="")
    try:
        size = int(request.GET.get("size", "0"))
    except ValueError:
        size = 0
    missing = size - len(page.encode()) - len("<!---->")
    if missing > 0:
        page = PAGE.format(title=escape(title), html=html, padding="<!--" + " " * missing + "-->")
    return HttpResponse(page)
