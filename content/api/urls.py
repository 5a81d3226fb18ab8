"""/api/v1/: the partner API. Every address it hands out is a path, never an absolute URL: the
same answers serve the clear-net site and the onion service unchanged (join them to the
address you called).

A post is addressed as on the public site, by language code and slug
(`/api/v1/posts/nl/ketamine-en-je-blaas/` for `/nl/ketamine-en-je-blaas/`): the address partners
already know from our pages and forum posts, unique per language, and the one our old addresses
(content.addresses) redirect from. A database id would reveal how many posts, drafts included,
exist, and would mean nothing to a reader.
"""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from content.api import views
from content.api.docs import docs_view

app_name = "api"

urlpatterns = [
    path("v1/posts/", views.PostList.as_view(), name="posts"),
    path("v1/posts/<slug:lang>/<slug:slug>/", views.PostDetail.as_view(), name="post"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", docs_view(), name="docs"),
    # Last: any other address under /api/ answers a JSON 404 (not the public site's HTML page).
    re_path(r"^(?P<rest>[\s\S]*)$", views.no_such_path),
]
