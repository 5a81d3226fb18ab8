"""Pages of the post list: a bounded page size, links as paths (see content.api.urls)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
ERROR_PAGE_SIZE = f"page_size is a whole number from 1 to {MAX_PAGE_SIZE}."


class PostPages(PageNumberPagination):
    """`?page=` and `?page_size=` (at most MAX_PAGE_SIZE). DRF quietly clamps or ignores a
    page size out of range; here it is refused (400), so the answer is what was asked for.
    A page past the last answers 404, as DRF does."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isdecimal() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise ValidationError({self.page_size_query_param: [ERROR_PAGE_SIZE]})
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = MAX_PAGE_SIZE
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            answer["properties"][link] = {
                "type": "string",
                "nullable": True,
                "description": f"Path of the {link} page (null: none).",
                "example": f"/api/v1/posts/?page={4 if link == 'next' else 2}",
            }
        return answer

    def get_next_link(self) -> str | None:
        return _as_path(super().get_next_link())

    def get_previous_link(self) -> str | None:
        return _as_path(super().get_previous_link())


def _as_path(url: str | None) -> str | None:
    """DRF builds absolute links from the request; we hand out paths, as for every address in
    the API: the same answer serves the clear-net and the onion address."""
    if url is None:
        return None
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))
