"""The project's own URLs, and the bare baseline view of the load benchmark under /_bench/."""

from __future__ import annotations

from django.urls import path

from benchmarks.loadsite.views import bare_post
from harmreduction.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("_bench/bare/<int:pk>/", bare_post, name="bench_bare"),
    *project_urlpatterns,
]
