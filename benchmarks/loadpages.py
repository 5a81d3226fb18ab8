"""The pages bench_load.py measures, found in the seeded database, and their SQL queries.

Import it only after `django.setup()` with the benchmark's settings. `pages()` lists every public
and studio list page, the post page, the feed, the compare of two ~95 KB revisions, the editor's
preview of a 20 KB body, /healthz, and the public verify page: its form, and two pastes POSTed
to it (a paragraph of a published post, unsigned; with `signed_part`, a clear-signed part of its
export, which gpg checks on every request). `count_queries()` requests each page twice
in-process with Django's test client and counts the SQL queries of both requests (the first
fills any cache).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import loadkeys
from benchmarks.loadsite import texts
from benchmarks.loadsite.history import LONG_HISTORY_SLUG, TYPICAL_SLUG
from benchmarks.loadsite.services_path import EDITOR_USERNAME, LARGE_COMPARE_SLUG
from content.models import Post, Revision, Tag
from content.views.verify import form_token

PREVIEW_CHARS = 20_000
VERIFY_PATH = "/verify/"


class NotSeeded(RuntimeError):
    pass


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    studio: bool = False  # needs the signed-in editor
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()  # a POST's fields
    goal: str = ""  # "post", "list" or "" (see bench_load.GOALS)

    @property
    def body(self) -> bytes:
        return urlencode(self.form).encode() if self.form else b""

    def with_field(self, name: str, value: str) -> Page:
        """This page with the form field `name` set to `value` (e.g. a token read from the
        server's own page)."""
        form = tuple((key, value if key == name else old) for key, old in self.form)
        return replace(self, form=form)


@dataclass(frozen=True)
class Queries:
    cold: int
    warm: int
    status: int
    size: int


def _post(slug: str) -> Post:
    post = Post.objects.filter(slug=slug).select_related("language").first()
    if post is None:
        raise NotSeeded(f"No post {slug!r}: the database was not seeded by seed_load.")
    return post


def typical_post() -> Post:
    return _post(TYPICAL_SLUG)


def pages(signed_part: str = "") -> list[Page]:
    """Every page measured; the signed verify paste only when `signed_part` is given."""
    typical, history = typical_post(), _post(LONG_HISTORY_SLUG)
    compare = _post(LARGE_COMPARE_SLUG)
    reposted = (
        Post.objects.filter(reposts__isnull=False, published_revision__isnull=False)
        .order_by("pk")
        .first()
    )
    history_count = Revision.objects.filter(post=history).count()
    compare_kb = sum(len(b) for b in compare.revisions.values_list("body", flat=True)) // 2000
    preview = texts.markdown_body(random.Random(20), PREVIEW_CHARS)  # noqa: S311 - test text
    lang = typical.language.code
    substance = typical.expect_published_revision().tags.filter(kind=Tag.Kind.SUBSTANCE).first()
    found = [
        Page("public index", "/", goal="list"),
        Page("index page 2", "/?page=2", goal="list"),
        Page(f"language list /{lang}/", f"/{lang}/", goal="list"),
        Page(f"/{lang}/ drug alerts", f"/{lang}/?kind=drug_alert", goal="list"),
        # Searches are never cached: each request runs the full-text query.
        Page(f"/{lang}/ search (1 word)", f"/{lang}/?q=festival", goal="list"),
        Page(f"/{lang}/ search (3 words)", f"/{lang}/?q=heart+water+doctor", goal="list"),
        *(
            [Page("substance page", f"/{lang}/substances/{substance.slug}/", goal="list")]
            if substance is not None
            else []
        ),
        Page("post page", typical.get_public_url(), goal="post"),
        Page(f"Atom feed ({lang})", f"/{lang}/feed/", goal="list"),
        Page(f"JSON Feed ({lang}, alerts)", f"/{lang}/feed/alerts.json", goal="list"),
        Page("sitemap.xml", "/sitemap.xml"),
        Page(f"API list ({lang})", f"/api/v1/posts/?language={lang}", goal="list"),
        Page("API detail", f"/api/v1/posts/{lang}/{typical.slug}/", goal="post"),
        Page("/pgp/", "/pgp/"),
        Page("/healthz", "/healthz"),
        Page("verify page (GET)", VERIFY_PATH),
        verify_paste(
            "verify: unsigned paragraph",
            loadkeys.unsigned_paragraph(loadkeys.newest_published_post()),
        ),
        *([verify_paste("verify: signed part (gpg)", signed_part)] if signed_part else []),
        Page("studio dashboard (mine)", "/studio/", studio=True),
        Page("studio dashboard (all)", "/studio/?show=all", studio=True),
        Page("studio dashboard (all) p2", "/studio/?show=all&page=2", studio=True),
        Page("review queue", "/studio/reviews/", studio=True),
        Page("review queue (overdue)", "/studio/reviews/?show=overdue", studio=True),
        Page("outdated reposts", "/studio/reposts/outdated/", studio=True),
        Page("notifications", "/studio/notifications/", studio=True),
        Page("audit log", "/studio/audit/", studio=True),
        Page("audit log (published)", "/studio/audit/?action=published", studio=True),
        Page(f"history ({history_count} revisions)", f"/studio/posts/{history.pk}/history/", True),
        Page(
            f"timeline ({history_count} revisions)", f"/studio/posts/{history.pk}/timeline/", True
        ),
    ]
    if reposted is not None:
        found.append(Page("reposts of a post", f"/studio/posts/{reposted.pk}/reposts/", True))
    found += [
        Page(
            f"compare 2 x {compare_kb} KB",
            f"/studio/posts/{compare.pk}/compare/?from=1&to=2",
            studio=True,
        ),
        Page(
            f"preview {len(preview) // 1000} KB (POST)",
            "/studio/markdown/preview/",
            studio=True,
            method="POST",
            form=(("content", preview),),
        ),
    ]
    return found


def verify_paste(name: str, text: str) -> Page:
    """A POST of `text` to the verify page. Its token is made in this process for counting
    queries; bench_load.py puts in the one the server's own page gives (`with_field`)."""
    return Page(
        f"{name} ({len(text.encode()) / 1000:.1f} KB, POST)",
        VERIFY_PATH,
        method="POST",
        form=(("token", form_token()), ("text", text)),
    )


def editor() -> object:
    user = get_user_model().objects.filter(username=EDITOR_USERNAME).first()
    if user is None:
        raise NotSeeded("No benchmark editor: the database was not seeded by seed_load.")
    return user


def set_editor_password(password: str) -> None:
    user = get_user_model().objects.get(username=EDITOR_USERNAME)
    user.set_password(password)
    user.save(update_fields=["password"])


def count_queries(page: Page) -> Queries:
    """The page's SQL queries on a first and a second request, in-process (not under load)."""
    client = Client()
    if page.studio:
        client.force_login(get_user_model().objects.get(username=EDITOR_USERNAME))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            if page.method == "POST":
                response = client.post(page.path, dict(page.form), secure=True)
            else:
                response = client.get(page.path, secure=True)
        counts.append(len(captured.captured_queries))
    return Queries(
        cold=counts[0], warm=counts[1], status=response.status_code, size=len(response.content)
    )
