"""The public key, the signed canary and the signed mirror list (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def pgp_txt(request: HttpRequest) -> HttpResponse:
    raise Http404


def pgp_page(request: HttpRequest) -> HttpResponse:
    raise Http404


def canary_txt(request: HttpRequest) -> HttpResponse:
    raise Http404


def mirrors_txt(request: HttpRequest) -> HttpResponse:
    raise Http404
