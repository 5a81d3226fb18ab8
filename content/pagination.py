"""One way to cut a list into pages, for the studio and the public site.

Every list is paginated (a list that grows with the content must never be rendered whole); the
page sizes are settings (`STUDIO_PAGE_SIZE`, `PUBLIC_PAGE_SIZE`). A page number that is not a
number or is past the end gives the nearest real page, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass(frozen=True)
class Pages:
    """One page of a list, and the query string (without `page`) its links keep."""

    page: Page[Any]
    query: str


def paginate(request: HttpRequest, rows: QuerySet[Any], *, per_page: int) -> Pages:
    """The page `?page=` asks for; the query's other parameters stay in the page links."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return Pages(page=page, query=query.urlencode())
