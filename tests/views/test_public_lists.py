"""The public lists: the home page (active drug alerts, languages, newest posts), a language's
list (filters, search, pages) and the substance pages, read through the test client.

Posts are written and published through the real services; where a test needs hundreds, they
are bulk copies of one published post (tests/views/test_pagination.py), tags included.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from content import addresses, roles, search, states, workflow
from content.models import Language, Post, PostKind, PublicVersion, Revision
from content.revisions import SlugTaken, create_post
from content.views.public import active_alerts
from tests.support import content_of
from tests.views.test_pagination import posts_like

ENTRY = re.compile(r'<li lang="([\w-]+)">\s*<a href="([^"]+)">([^<]+)</a>')


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [title for _, _, title in ENTRY.findall(_main(response))]


def _main(response: Any) -> str:
    html = response.content.decode()
    return html[html.index("<main>") : html.index("</main>")]


def alert_titles(response: Any) -> list[str]:
    html = _main(response)
    if 'class="alerts"' not in html:
        return []
    box = html[
        html.index('class="alerts"') : html.index("</section>", html.index('class="alerts"'))
    ]
    return [title for _, _, title in ENTRY.findall(box)]


def listed_titles(response: Any) -> list[str]:
    """The titles of the page's main list (not its alerts box)."""
    html = _main(response)
    start = html.index('id="posts-heading"') if 'id="posts-heading"' in html else 0
    return [title for _, _, title in ENTRY.findall(html[start:])]


def publish_new(
    people: Any,
    title: str,
    *,
    language: Language,
    kind: str = PostKind.ARTICLE,
    substances: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    body: str = "",
    translation_of: Post | None = None,
) -> Post:
    author, *reviewers = people
    post = create_post(
        author=author,
        language=language,
        kind=kind,
        content=content_of(
            title=title,
            summary=f"About {title}.",
            body=body or f"Text of {title}.",
            substances=substances,
            topics=topics,
        ),
        translation_of=translation_of,
    )
    states.publish_latest(post, author=author, reviewers=reviewers)
    return Post.objects.select_related("language").get(pk=post.pk)


def copies_with_tags(post: Post, count: int) -> list[Post]:
    """`count` bulk copies of the published `post`, each revision tagged as its revision is."""
    clones = posts_like(post, count)
    tags = list(Post.objects.get(pk=post.pk).expect_published_revision().tags.all())
    through = Revision.tags.through
    rows = [
        through(revision_id=clone.published_revision_id, tag_id=tag.pk)
        for clone in clones
        for tag in tags
    ]
    through.objects.bulk_create(rows)
    search.rebuild()  # bulk rows skip publication, which writes the search documents
    PublicVersion.bump()
    return clones


@pytest.fixture
def people(author: Any, reviewer: Any, make_user: Any) -> tuple[Any, ...]:
    """An author and two reviewers (a drug alert needs two approvals)."""
    return (author, reviewer, make_user("second_reviewer", roles.REVIEWERS))


@pytest.fixture
def shelf(people: Any, languages: dict[str, Language]) -> dict[str, Post]:
    return make_shelf(people, languages)


def make_shelf(people: Any, languages: dict[str, Language]) -> dict[str, Post]:
    """English posts of every kind about ketamine or MDMA, and one Dutch alert."""
    en = languages["en"]
    return {
        "bladder": publish_new(
            people,
            "Ketamine and your bladder",
            language=en,
            substances=("ketamine",),
            topics=("safer use",),
            body="Frequent use can damage the bladder.",
        ),
        "tesla": publish_new(
            people,
            "Orange Tesla pills",
            language=en,
            kind=PostKind.DRUG_ALERT,
            substances=("MDMA",),
            topics=("drug checking",),
            body="Pills with 280 mg.",
        ),
        "faq": publish_new(
            people,
            "Can I test my pills",
            language=en,
            kind=PostKind.FAQ_ANSWER,
            substances=("MDMA",),
            topics=("drug checking",),
            body="Reagent kits help.",
        ),
        "sheet": publish_new(
            people,
            "MDMA fact sheet",
            language=en,
            kind=PostKind.FACT_SHEET,
            substances=("MDMA",),
            topics=("safer use",),
            body="Dosage and risks.",
        ),
        "dutch": publish_new(
            people,
            "Oranje Tesla pillen",
            language=languages["nl"],
            kind=PostKind.DRUG_ALERT,
            substances=("MDMA",),
            body="Pillen met 280 mg.",
        ),
    }


def language_url(code: str = "en") -> str:
    return reverse("public:language", args=[code])


# --- The home page ---------------------------------------------------------------------------


def test_home_shows_active_alerts_of_every_language_first_each_marked_with_its_language(
    client: Any, shelf: dict[str, Post]
) -> None:
    home = client.get(reverse("public:index"))
    html = _main(home)
    alerts = dict(
        (title, lang)
        for lang, _, title in ENTRY.findall(html[: html.index('id="languages-heading"')])
    )
    assert alerts == {"Orange Tesla pills": "en", "Oranje Tesla pillen": "nl"}
    assert html.index("Active drug alerts") < html.index("Languages") < html.index("Newest")
    assert 'href="/en/" lang="en"' in html and 'href="/nl/" lang="nl"' in html
    assert len(titles(home)) == 2 + 5  # the alerts, then every post among the newest


def test_active_alerts_leave_out_overdue_withdrawn_and_other_kinds(
    client: Any, shelf: dict[str, Post], editor: Any, languages: dict[str, Language], people: Any
) -> None:
    workflow.withdraw(post=shelf["dutch"], actor=editor, reason="Wrong batch.")
    old = publish_new(people, "Old alert", language=languages["en"], kind=PostKind.DRUG_ALERT)
    Post.objects.filter(pk=old.pk).update(review_due=timezone.localdate() - datetime.timedelta(1))
    PublicVersion.bump()
    assert set(active_alerts().values_list("pk", flat=True)) == {shelf["tesla"].pk}
    assert alert_titles(client.get(reverse("public:index"))) == ["Orange Tesla pills"]
    assert alert_titles(client.get(language_url("en"))) == ["Orange Tesla pills"]
    assert "Old alert" in listed_titles(client.get(language_url("en")))  # still published


def test_an_alert_leaves_the_home_page_the_day_its_review_falls_due(
    client: Any, shelf: dict[str, Post], monkeypatch: Any
) -> None:
    assert "Orange Tesla pills" in alert_titles(client.get(reverse("public:index")))
    later = Post.objects.get(pk=shelf["tesla"].pk).review_due + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert "Orange Tesla pills" not in alert_titles(client.get(reverse("public:index")))


def test_a_language_page_shows_only_its_own_active_alerts_at_the_top(
    client: Any, shelf: dict[str, Post]
) -> None:
    dutch = client.get(language_url("nl"))
    assert alert_titles(dutch) == ["Oranje Tesla pillen"]
    html = _main(dutch)
    assert html.index('id="alerts-heading"') < html.index('id="posts-heading"')
    assert "Active drug alerts" not in html  # the Dutch list speaks Dutch (tests/test_languages.py)


# --- One language's list ---------------------------------------------------------------------


def test_a_language_page_lists_its_published_posts_newest_first(
    client: Any, shelf: dict[str, Post]
) -> None:
    assert listed_titles(client.get(language_url("en"))) == [
        "MDMA fact sheet",
        "Can I test my pills",
        "Orange Tesla pills",
        "Ketamine and your bladder",
    ]
    assert listed_titles(client.get(language_url("nl"))) == ["Oranje Tesla pillen"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "drug_alert"}, ["Orange Tesla pills"]),
        ({"kind": "faq_answer"}, ["Can I test my pills"]),
        ({"kind": "fact_sheet"}, ["MDMA fact sheet"]),
        ({"kind": "article"}, ["Ketamine and your bladder"]),
        ({"substance": "ketamine"}, ["Ketamine and your bladder"]),
        ({"substance": "mdma"}, ["MDMA fact sheet", "Can I test my pills", "Orange Tesla pills"]),
        ({"topic": "drug-checking"}, ["Can I test my pills", "Orange Tesla pills"]),
        ({"substance": "mdma", "topic": "safer-use"}, ["MDMA fact sheet"]),
        ({"substance": "mdma", "kind": "drug_alert"}, ["Orange Tesla pills"]),
        ({"substance": "ketamine", "kind": "drug_alert"}, []),
    ],
)
def test_filters_narrow_the_list(
    client: Any, shelf: dict[str, Post], params: dict[str, str], expected: list[str]
) -> None:
    assert listed_titles(client.get(language_url("en"), params)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "recipe"},
        {"substance": "unknown-drug"},
        {"topic": "unknown-topic"},
        {"substance": "safer-use"},  # a topic's slug is not a substance
        {"topic": "mdma"},  # nor the other way round
        {"substance": "ketamine bad"},
        {"page": "9"},
        {"page": "0"},
        {"page": "x"},
    ],
)
def test_an_unknown_kind_tag_or_page_is_404_and_never_cached(
    client: Any, shelf: dict[str, Post], params: dict[str, str]
) -> None:
    cache.clear()
    assert client.get(language_url("en"), params).status_code == 404
    assert not any(key for key in cache._cache if ":language:" in key)  # type: ignore[attr-defined]


def test_a_tag_of_another_language_only_is_404_here(client: Any, shelf: dict[str, Post]) -> None:
    assert client.get(language_url("nl"), {"substance": "ketamine"}).status_code == 404
    assert client.get(language_url("nl"), {"substance": "mdma"}).status_code == 200


def test_an_unknown_language_is_404(client: Any, shelf: dict[str, Post]) -> None:
    assert client.get(language_url("xx")).status_code == 404
    assert client.get(reverse("public:substances", args=["xx"])).status_code == 404


def test_the_filter_form_is_a_plain_get_form_with_labelled_fields(
    client: Any, shelf: dict[str, Post]
) -> None:
    html = _main(client.get(language_url("en"), {"substance": "mdma"}))
    form = html[html.index("<form") : html.index("</form>")]
    assert 'method="get"' in form and 'action="/en/"' in form
    for name in ("q", "kind", "substance", "topic"):
        assert f'<label for="filter-{name}">' in form
        assert f'id="filter-{name}" name="{name}"' in form
    assert '<option value="mdma" selected>MDMA</option>' in form
    assert '<option value="safer-use">safer use</option>' in form


def test_page_links_keep_the_filters(client: Any, settings: Any, shelf: dict[str, Post]) -> None:
    settings.PUBLIC_PAGE_SIZE = 2
    copies_with_tags(shelf["tesla"], 3)
    first = client.get(language_url("en"), {"kind": "drug_alert", "substance": "mdma"})
    assert len(listed_titles(first)) == 2
    assert 'href="?kind=drug_alert&amp;substance=mdma&amp;page=2"' in first.content.decode()
    second = client.get(language_url("en"), {"kind": "drug_alert", "substance": "mdma", "page": 2})
    assert len(listed_titles(second)) == 2
    assert 'href="?kind=drug_alert&amp;substance=mdma"' in second.content.decode()
    searched = client.get(language_url("en"), {"q": "Tesla", "kind": "drug_alert"})
    assert 'href="?kind=drug_alert&amp;q=Tesla&amp;page=2"' in searched.content.decode()


def test_search_finds_published_text_and_keeps_the_filters(
    client: Any, shelf: dict[str, Post]
) -> None:
    assert listed_titles(client.get(language_url("en"), {"q": "reagent"})) == [
        "Can I test my pills"
    ]
    assert set(listed_titles(client.get(language_url("en"), {"q": "pills"}))) == {
        "Can I test my pills",
        "Orange Tesla pills",
    }
    narrowed = client.get(language_url("en"), {"q": "pills", "kind": "drug_alert"})
    assert listed_titles(narrowed) == ["Orange Tesla pills"]
    assert listed_titles(client.get(language_url("en"), {"q": "nothing-like-this"})) == []


def test_search_results_are_never_stored_in_the_page_cache(
    client: Any, shelf: dict[str, Post]
) -> None:
    cache.clear()
    for words in ("pills", "bladder", "x" * 500):
        response = client.get(language_url("en"), {"q": words})
        assert response.status_code == 200
        assert "ETag" not in response
    # Only the filter form's tags are kept (one entry, under the public version), no page.
    kept = list(cache._cache)  # type: ignore[attr-defined]
    assert len(kept) == 1 and ":language-tags:" in kept[0]
    client.get(language_url("en"), {"kind": "drug_alert"})
    assert any(":language:" in key for key in cache._cache)  # type: ignore[attr-defined]


def test_a_cached_language_page_costs_one_query_and_changes_at_once(
    client: Any,
    shelf: dict[str, Post],
    people: Any,
    languages: dict[str, Language],
    django_assert_num_queries: Any,
) -> None:
    client.get(language_url("en"), {"kind": "drug_alert"})
    with django_assert_num_queries(1):
        client.get(language_url("en"), {"kind": "drug_alert"})
    publish_new(people, "New alert", language=languages["en"], kind=PostKind.DRUG_ALERT)
    assert "New alert" in listed_titles(client.get(language_url("en"), {"kind": "drug_alert"}))


# --- Substances ------------------------------------------------------------------------------


def test_the_substances_page_lists_the_substances_of_a_language_with_counts(
    client: Any, shelf: dict[str, Post]
) -> None:
    html = _main(client.get(reverse("public:substances", args=["en"])))
    assert re.search(
        r'href="/en/substances/ketamine/">ketamine</a> <small lang="en">\(1 post\)', html
    )
    assert re.search(r'href="/en/substances/mdma/">MDMA</a> <small lang="en">\(3 posts\)', html)
    dutch = _main(client.get(reverse("public:substances", args=["nl"])))
    assert "ketamine" not in dutch and "(1 bericht)" in dutch  # in the list's language
    assert 'href="/en/substances/"' in _main(client.get(language_url("en")))


def test_a_substance_page_shows_alerts_first_then_the_newest(
    client: Any, shelf: dict[str, Post]
) -> None:
    page = client.get(reverse("public:substance", args=["en", "mdma"]))
    assert titles(page) == ["Orange Tesla pills", "MDMA fact sheet", "Can I test my pills"]
    assert "<h1>MDMA</h1>" in _main(page)


def test_a_substance_page_is_404_for_an_unknown_substance_or_one_not_written_about_here(
    client: Any, shelf: dict[str, Post], editor: Any
) -> None:
    assert client.get(reverse("public:substance", args=["en", "heroin"])).status_code == 404
    assert client.get(reverse("public:substance", args=["nl", "ketamine"])).status_code == 404
    assert client.get(reverse("public:substance", args=["en", "safer-use"])).status_code == 404
    workflow.withdraw(post=shelf["bladder"], actor=editor, reason="Old.")
    assert client.get(reverse("public:substance", args=["en", "ketamine"])).status_code == 404


def test_list_entries_link_their_substances_to_the_substance_pages(
    client: Any, shelf: dict[str, Post]
) -> None:
    for url in (reverse("public:index"), language_url("en")):
        html = _main(client.get(url))
        assert 'href="/en/substances/ketamine/">ketamine</a>' in html
        assert 'href="/nl/substances/mdma/">MDMA</a>' in _main(client.get(reverse("public:index")))
    for href in set(re.findall(r'href="(/\w+/substances/[^"]+)"', html)):
        assert client.get(href).status_code == 200, href


# --- Query counts: the same at 10 and at 200 published posts ----------------------------------


def _scene(shelf: dict[str, Post], rows: int) -> None:
    copies_with_tags(shelf["tesla"], rows - len(shelf))


QUERY_COUNTS = {
    # version, languages, active alerts, count, the page's rows, their substances
    "home": (lambda: reverse("public:index"), {}, 6),
    # version, language, its tags (form and filters), alerts, count, rows, substances
    "filtered": (
        lambda: language_url("en"),
        {"kind": "drug_alert", "substance": "mdma", "topic": "drug-checking"},
        7,
    ),
    # as above (a search is never cached, but its form's tags are, under the version)
    "search": (lambda: language_url("en"), {"q": "pills", "substance": "mdma"}, 7),
    # version, language, substances with their counts, count of them
    "substances": (lambda: reverse("public:substances", args=["en"]), {}, 4),
    # version, language, tag, count, rows, substances
    "substance": (lambda: reverse("public:substance", args=["en", "mdma"]), {}, 6),
}


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("name", QUERY_COUNTS)
def test_a_public_list_runs_the_same_queries_at_10_and_200_posts(
    client: Any,
    settings: Any,
    shelf: dict[str, Post],
    name: str,
    rows: int,
    django_assert_num_queries: Any,
) -> None:
    settings.PUBLIC_PAGE_SIZE = 30
    _scene(shelf, rows)
    url, params, queries = QUERY_COUNTS[name]
    cache.clear()
    with django_assert_num_queries(queries):
        response = client.get(url(), params)
    assert response.status_code == 200
    if name not in ("substances",):
        assert len(titles(response)) >= min(rows - 5, 30) or name == "filtered"
    if name == "search":
        with django_assert_num_queries(6):  # all but the form's tags, kept in the cache
            assert client.get(url(), params).status_code == 200
    else:
        with django_assert_num_queries(1):  # the version only
            assert client.get(url(), params).status_code == 200


# --- The fast path and reserved addresses ------------------------------------------------------

NEW_PAGES = (
    "/en/",
    "/en/?kind=drug_alert",
    "/en/?q=pills",
    "/en/substances/",
    "/en/substances/mdma/",
    "/en/feed/alerts/",
    "/en/feed.json",
    "/en/feed/alerts.json",
    "/sitemap.xml",
    "/robots.txt",
)


def test_the_new_public_pages_are_answered_before_sessions_users_and_messages(
    client: Any, shelf: dict[str, Post], author: Any
) -> None:
    client.force_login(author)  # a team member reading the public site
    for url in NEW_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        request = response.wsgi_request
        assert not hasattr(request, "session"), url
        assert not hasattr(request, "user"), url
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY", url


@pytest.mark.parametrize("slug", ["feed", "substances"])
def test_the_public_sites_own_paths_cannot_become_a_post_address(
    shelf: dict[str, Post], editor: Any, slug: str
) -> None:
    with pytest.raises(SlugTaken):
        addresses.change_slug(post=shelf["bladder"], actor=editor, slug=slug, keep_old_address=True)


def test_list_pages_name_their_feeds_in_link_rel_alternate(
    client: Any, shelf: dict[str, Post]
) -> None:
    def alternates(url: str) -> set[str]:
        head = client.get(url).content.decode().split("</head>")[0]
        return set(re.findall(r'<link rel="alternate" type="[^"]+"[^>]* href="([^"]+)"', head))

    assert {"/en/feed/", "/en/feed/alerts/", "/nl/feed/", "/nl/feed/alerts/"} <= alternates("/")
    for url in ("/en/", "/en/substances/", "/en/substances/mdma/", "/en/orange-tesla-pills/"):
        assert {"/en/feed/", "/en/feed.json", "/en/feed/alerts/"} <= alternates(url), url
