from __future__ import annotations

from django.urls import path

from content.views import health, public, trust, verify

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    # Reader trust: our public key, signed canary and mirror list, and the verify page.
    path("pgp.txt", trust.pgp_txt, name="pgp_txt"),
    path("pgp/", trust.pgp_page, name="pgp"),
    path("canary.txt", trust.canary_txt, name="canary_txt"),
    path("mirrors.txt", trust.mirrors_txt, name="mirrors_txt"),
    path("verify/", verify.verify_page, name="verify"),
    # For monitors and the reverse proxy: the database and the key store answer.
    path("healthz", health.healthz, name="healthz"),
    path("<slug:lang>/feed/", public.feed, name="feed"),
    path("<slug:lang>/<slug:slug>/", public.post_page, name="post"),
]
