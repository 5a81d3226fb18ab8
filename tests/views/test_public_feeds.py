"""Feeds (Atom and JSON Feed 1.1, per language and per kind), the sitemap and robots.txt.

Their links are absolute, built from the host the request came in on: each host (clear web,
onion) must get its own links even though the documents are cached.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import jsonschema
import pytest
from django.core.cache import cache
from django.urls import reverse

from content import addresses, roles, workflow
from content.feeds import entry_id
from content.models import Language, Post, PostKind
from content.revisions import create_post
from tests.support import content_of, new_version
from tests.views.test_public_lists import copies_with_tags, make_shelf

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CLEAR = "hr.example.org"
ONION = "hrexamplexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"

# The shape JSON Feed 1.1 (https://jsonfeed.org/version/1.1) requires, and what we promise.
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "pattern": "^https?://"},
        "feed_url": {"type": "string", "pattern": "^https?://"},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "url", "title", "content_html", "date_published"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "pattern": "^urn:uuid:[0-9a-f-]{36}$"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "summary": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                },
            },
        },
    },
}


@pytest.fixture
def shelf(author: Any, reviewer: Any, make_user: Any, languages: Any) -> dict[str, Post]:
    people = (author, reviewer, make_user("second_reviewer", roles.REVIEWERS))
    return make_shelf(people, languages)


@pytest.fixture
def hosts(settings: Any) -> None:
    settings.ALLOWED_HOSTS = [CLEAR, ONION, "testserver"]


def atom_entries(response: Any) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def entry_titles(response: Any) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in atom_entries(response)]


def entry_ids(response: Any) -> list[str]:
    return [entry.findtext(f"{ATOM}id") or "" for entry in atom_entries(response)]


def kind_feed(kind: str, lang: str = "en") -> str:
    return reverse("public:kind_feed", args=[lang, kind])


# --- Atom ------------------------------------------------------------------------------------


def test_the_language_feed_holds_every_kind_and_each_kind_feed_only_its_own(
    client: Any, shelf: dict[str, Post]
) -> None:
    everything = entry_titles(client.get(reverse("public:feed", args=["en"])))
    assert sorted(everything) == sorted(
        [
            "MDMA fact sheet",
            "Can I test my pills",
            "Orange Tesla pills",
            "Ketamine and your bladder",
        ]
    )
    assert entry_titles(client.get(kind_feed("alerts"))) == ["Orange Tesla pills"]
    assert entry_titles(client.get(kind_feed("articles"))) == ["Ketamine and your bladder"]
    assert entry_titles(client.get(kind_feed("faq"))) == ["Can I test my pills"]
    assert entry_titles(client.get(kind_feed("fact-sheets"))) == ["MDMA fact sheet"]
    assert entry_titles(client.get(kind_feed("alerts", "nl"))) == ["Oranje Tesla pillen"]


def test_an_unknown_kind_or_language_feed_is_404(client: Any, shelf: dict[str, Post]) -> None:
    assert client.get(kind_feed("recipes")).status_code == 404
    assert client.get(kind_feed("drug_alert")).status_code == 404  # the readable names only
    assert client.get(kind_feed("alerts", "xx")).status_code == 404
    assert client.get(reverse("public:json_feed", args=["xx"])).status_code == 404
    assert client.get(reverse("public:kind_json_feed", args=["en", "recipes"])).status_code == 404


def test_the_alerts_feed_drops_a_withdrawn_alert_at_once(
    client: Any, shelf: dict[str, Post], editor: Any
) -> None:
    assert entry_titles(client.get(kind_feed("alerts"))) == ["Orange Tesla pills"]
    workflow.withdraw(post=shelf["tesla"], actor=editor, reason="Wrong batch.")
    assert entry_titles(client.get(kind_feed("alerts"))) == []


def test_feed_entries_carry_the_published_html_their_tags_and_the_feeds_language(
    client: Any, shelf: dict[str, Post]
) -> None:
    feed = client.get(kind_feed("alerts"))
    root = ET.fromstring(feed.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    (entry,) = root.findall(f"{ATOM}entry")
    assert "Pills with 280 mg." in (entry.findtext(f"{ATOM}summary") or "")
    terms = {category.get("term") for category in entry.findall(f"{ATOM}category")}
    assert terms == {"MDMA", "drug checking"}
    assert feed["Content-Language"] == "en"


def test_entry_ids_are_urn_uuids_that_survive_a_slug_change_and_change_with_a_new_version(
    client: Any, shelf: dict[str, Post], editor: Any, author: Any, reviewer: Any
) -> None:
    post = shelf["bladder"]
    before = entry_ids(client.get(kind_feed("articles")))
    assert before == [entry_id(post, 1)]
    assert re.fullmatch(
        r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", before[0]
    )
    addresses.change_slug(post=post, actor=editor, slug="ketamine-bladder", keep_old_address=True)
    moved = client.get(kind_feed("articles"))
    assert entry_ids(moved) == before
    assert "/en/ketamine-bladder/" in moved.content.decode()
    new_version(Post.objects.get(pk=post.pk), author, reviewer, title="Ketamine and your kidneys")
    newer = entry_ids(client.get(kind_feed("articles")))
    assert newer == [entry_id(post, 2)] and newer != before


@pytest.mark.usefixtures("hosts")
@pytest.mark.parametrize(
    "name", ["public:feed", "public:json_feed", "public:kind_feed", "public:kind_json_feed"]
)
def test_a_feed_fetched_via_one_host_then_another_gives_each_its_own_links_and_the_same_ids(
    client: Any, shelf: dict[str, Post], name: str
) -> None:
    args = ["en", "alerts"] if "kind" in name else ["en"]
    url = reverse(name, args=args)
    clear = client.get(url, headers={"host": CLEAR})
    onion = client.get(url, headers={"host": ONION})
    clear_again = client.get(url, headers={"host": CLEAR})
    assert clear.status_code == onion.status_code == 200
    assert clear.content == clear_again.content  # each served from its own cached copy
    assert f"http://{CLEAR}/en/" in clear.content.decode() and ONION not in clear.content.decode()
    assert f"http://{ONION}/en/" in onion.content.decode() and CLEAR not in onion.content.decode()
    ids = re.findall(r"urn:uuid:[0-9a-f-]{36}", clear.content.decode())
    assert ids and ids == re.findall(r"urn:uuid:[0-9a-f-]{36}", onion.content.decode())


@pytest.mark.usefixtures("hosts")
def test_the_sitemap_fetched_via_one_host_then_another_gives_each_its_own_links(
    client: Any, shelf: dict[str, Post]
) -> None:
    clear = client.get(reverse("public:sitemap"), headers={"host": CLEAR}).content.decode()
    onion = client.get(reverse("public:sitemap"), headers={"host": ONION}).content.decode()
    assert f"<loc>http://{CLEAR}/en/</loc>" in clear and ONION not in clear
    assert f"<loc>http://{ONION}/en/</loc>" in onion and CLEAR not in onion


def test_a_host_not_allowed_gets_no_feed(client: Any, shelf: dict[str, Post]) -> None:
    response = client.get(reverse("public:feed", args=["en"]), headers={"host": "evil.example"})
    assert response.status_code == 400
    assert not any("evil" in key for key in cache._cache)  # type: ignore[attr-defined]


# --- JSON Feed -------------------------------------------------------------------------------


def test_the_json_feed_has_the_shape_of_json_feed_1_1(client: Any, shelf: dict[str, Post]) -> None:
    for url in (
        reverse("public:json_feed", args=["en"]),
        reverse("public:kind_json_feed", args=["en", "alerts"]),
    ):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/feed+json")
        assert response["Content-Language"] == "en"
        document = json.loads(response.content)
        jsonschema.validate(
            document,
            JSON_FEED_SCHEMA,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
    everything = json.loads(client.get(reverse("public:json_feed", args=["en"])).content)
    assert len(everything["items"]) == 4 and everything["language"] == "en"
    alerts = json.loads(client.get(reverse("public:kind_json_feed", args=["en", "alerts"])).content)
    (item,) = alerts["items"]
    assert item["title"] == "Orange Tesla pills" and item["id"] == entry_id(shelf["tesla"], 1)
    assert item["url"] == "http://testserver/en/orange-tesla-pills/"
    assert "Pills with 280 mg." in item["content_html"] and item["tags"] == [
        "MDMA",
        "drug checking",
    ]
    assert alerts["feed_url"] == "http://testserver/en/feed/alerts.json"


def test_the_json_feed_ids_equal_the_atom_ids(client: Any, shelf: dict[str, Post]) -> None:
    document = json.loads(client.get(reverse("public:json_feed", args=["en"])).content)
    assert [item["id"] for item in document["items"]] == entry_ids(
        client.get(reverse("public:feed", args=["en"]))
    )


# --- robots.txt and the sitemap --------------------------------------------------------------


def test_robots_txt_allows_the_public_site_keeps_crawlers_out_of_the_studio_and_names_the_sitemap(
    client: Any, db: Any, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [ONION, "testserver"]
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/studio/", "/admin/", "/accounts/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /" in lines and "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /verify") for line in lines)
    # On the host the crawler asked: the onion service's own over Tor.
    onion = client.get("/robots.txt", headers={"host": ONION}).content.decode()
    assert f"Sitemap: http://{ONION}/sitemap.xml" in onion.splitlines()


def test_the_sitemap_lists_published_posts_language_pages_and_substance_pages_with_lastmod(
    client: Any, shelf: dict[str, Post], editor: Any, author: Any, english: Language
) -> None:
    workflow.withdraw(post=shelf["sheet"], actor=editor, reason="Old.")
    create_post(
        author=author,
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(title="Draft only"),
    )
    response = client.get(reverse("public:sitemap"))
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }
    paths = {loc.removeprefix("http://testserver") for loc in urls if loc}
    assert paths == {
        "/en/",
        "/nl/",
        "/en/substances/ketamine/",
        "/en/substances/mdma/",
        "/nl/substances/mdma/",
        "/en/ketamine-and-your-bladder/",
        "/en/orange-tesla-pills/",
        "/en/can-i-test-my-pills/",
        "/nl/oranje-tesla-pillen/",
    }
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", lastmod or "") for lastmod in urls.values())
    for path in paths:
        assert client.get(path).status_code == 200, path


# --- Query counts ----------------------------------------------------------------------------

DOCUMENTS = {
    # version, language, the feed's posts, their tags
    "atom": (lambda: reverse("public:feed", args=["en"]), 4),
    "atom alerts": (lambda: reverse("public:kind_feed", args=["en", "alerts"]), 4),
    "json": (lambda: reverse("public:json_feed", args=["en"]), 4),
    # version, the posts' addresses, the substance pages
    "sitemap": (lambda: reverse("public:sitemap"), 3),
}


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_feed_or_the_sitemap_runs_the_same_queries_at_10_and_200_posts(
    client: Any, shelf: dict[str, Post], name: str, rows: int, django_assert_num_queries: Any
) -> None:
    copies_with_tags(shelf["tesla"], rows - len(shelf))
    url, queries = DOCUMENTS[name]
    cache.clear()
    with django_assert_num_queries(queries):
        assert client.get(url()).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(url()).status_code == 200
