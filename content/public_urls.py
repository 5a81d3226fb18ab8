from __future__ import annotations

from django.urls import path

from content.views import health, public, public_documents, public_post, trust, verify

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    path("robots.txt", public_documents.robots_txt, name="robots"),
    path("sitemap.xml", public_documents.sitemap_xml, name="sitemap"),
    # Reader trust: our public key, signed canary and mirror list, and the verify page.
    path("pgp.txt", trust.pgp_txt, name="pgp_txt"),
    path("pgp/", trust.pgp_page, name="pgp"),
    path("canary.txt", trust.canary_txt, name="canary_txt"),
    path("mirrors.txt", trust.mirrors_txt, name="mirrors_txt"),
    path("verify/", verify.verify_page, name="verify"),
    # For monitors and the reverse proxy: the database and the key store answer.
    path("healthz", health.healthz, name="healthz"),
    path("<slug:lang>/", public.language_page, name="language"),
    # Before the post pattern: "feed" and "substances" are reserved slugs (content.addresses).
    path("<slug:lang>/feed/", public_documents.feed, name="feed"),
    path("<slug:lang>/feed/<slug:kind>/", public_documents.feed, name="kind_feed"),
    path("<slug:lang>/feed.json", public_documents.json_feed_page, name="json_feed"),
    path(
        "<slug:lang>/feed/<slug:kind>.json",
        public_documents.json_feed_page,
        name="kind_json_feed",
    ),
    path("<slug:lang>/substances/", public.substances, name="substances"),
    path("<slug:lang>/substances/<slug:slug>/", public.substance, name="substance"),
    path("<slug:lang>/<slug:slug>/", public_post.post_page, name="post"),
    path("<slug:lang>/<slug:slug>/signed/<slug:profile>/", public_post.signed_copy, name="signed"),
]
