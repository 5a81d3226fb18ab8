"""The export page shows each part as the forum renders it (content.forum_preview), sanitized,
and preselects the profile the person last exported with."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from content import forum_preview, roles
from content.exporters.bbcode_dialects import DIALECTS
from content.models import Post
from content.revisions import create_post
from tests.support import content_of, publish_latest

pytestmark = pytest.mark.usefixtures("export_settings")

LIST_AND_LINK = (
    "Before you go:\n\n- Test your pills\n- Start low\n\n"
    "Read [the EUDA profile](https://www.euda.europa.eu/) first.\n\n"
    "| Dose | Effect |\n|---|---|\n| 10 mg | mild |\n"
)
XSS_BODY = """\
<script>alert(1)</script> <img src=x onerror=alert(2)> <svg onload=alert(3)>

[click](javascript:alert(4)) [url=javascript:alert(5)]five[/url] [url]javascript:alert(6)[/url]

[url="https://example.org" onmouseover="alert(7)"]seven[/url] [code]</code><script>x</script>[/code]

![pixel](https://tracker.example.net/p.png) <a href="javascript:alert(8)">eight</a>
"""
HOSTILE_MARKUP = [
    "<script>alert(1)</script>",
    "[url=javascript:alert(1)]x[/url]",
    "[URL]javascript:alert(1)[/URL]",
    "[url=data:text/html;base64,PHNjcmlwdD4=]x[/url]",
    '[url="https://a.example" onmouseover="alert(1)"]x[/url]',
    '[url=https://a.example"onmouseover="alert(1)]x[/url]',
    "[code]</code></pre><script>alert(1)</script>[/code]",
    '[HEADING=1"><script>alert(1)</script>]x[/HEADING]',
    '[list=1"><img src=x onerror=alert(1)>][*]a[/list]',
    '[font=x" style="background:url(x)]x[/font]',
    "[nobbc]<iframe src=//evil>[/nobbc] [noparse]<b onclick=alert(1)>[/noparse]",
    "[x](javascript:alert(1)) <img src=x onerror=alert(1)> ![a](https://evil.example/a.png)",
    'www.example.org/"onmouseover=alert(1)// http://x.example/<script>',
]
SCRIPT_CAPABLE = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "link", "meta", "base",
    "frame", "frameset", "template", "input", "button", "textarea",
}  # fmt: skip


class Elements(HTMLParser):
    """Every element and its attributes, by Python's own HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def previews(page: str) -> list[str]:
    """The HTML inside each `forum-preview-body` of the page."""
    chunks = page.split('<div class="forum-preview-body">')[1:]
    return [chunk.split("</div>\n      </div>\n    </div>\n  </section>")[0] for chunk in chunks]


def assert_inert(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag not in SCRIPT_CAPABLE, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in {"style", "srcdoc", "formaction"}
            if name in {"href", "src"}:
                assert (value or "").lower().startswith(("https://", "http://", "mailto:", "/"))
            if name == "src":
                assert (value or "").startswith("/"), "no image from another site"


def show(client: Client, post: Post, profile: str, version: str = "final") -> str:
    response = client.post(
        reverse("content:post_export", args=[post.pk]), {"profile": profile, "version": version}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


@pytest.fixture
def listed(author, reviewer, english) -> Post:
    post = create_post(
        author=author, language=english, kind="article", content=content_of(body=LIST_AND_LINK)
    )
    publish_latest(post, author=author, reviewer=reviewer)
    return Post.objects.get(pk=post.pk)


@pytest.mark.parametrize("profile", ["phpbb", "xenforo"])
def test_a_bbcode_part_is_previewed_with_its_list_and_link_as_html(
    author_client, listed, profile
) -> None:
    (rendered,) = previews(show(author_client, listed, profile))
    found = elements(rendered)
    tags = [tag for tag, _ in found]
    assert "ul" in tags and tags.count("li") >= 2
    links = [attrs.get("href") for tag, attrs in found if tag == "a"]
    assert "https://www.euda.europa.eu/" in links
    assert "[list]" not in rendered.lower() and "[url" not in rendered.lower()
    assert_inert(rendered)


def test_a_markdown_part_is_previewed_with_its_table(author_client, listed) -> None:
    (rendered,) = previews(show(author_client, listed, "discourse"))
    tags = [tag for tag, _ in elements(rendered)]
    assert {"ul", "li", "a", "table", "td"} <= set(tags)


def test_a_plain_text_part_is_previewed_as_it_is_in_a_pre(author_client, listed) -> None:
    (rendered,) = previews(show(author_client, listed, "plain-text"))
    assert rendered.startswith("<pre>") and [t for t, _ in elements(rendered)] == ["pre"]


@pytest.mark.parametrize("profile", ["phpbb", "xenforo", "dread", "discourse", "plain-text"])
def test_an_xss_vector_in_a_post_body_never_reaches_the_preview(
    author_client, author, english, profile
) -> None:
    post = create_post(
        author=author, language=english, kind="article", content=content_of(body=XSS_BODY)
    )
    page = show(author_client, post, profile, version="preview")
    (rendered,) = previews(page)
    assert "alert" in rendered  # the text is shown, as text
    assert_inert(rendered)
    assert "<script" not in rendered.lower() and "<img" not in rendered.lower()


@pytest.mark.parametrize(
    ("fmt", "dialect"),
    [("bbcode", name) for name in DIALECTS]
    + [
        ("forum_markdown", "commonmark"),
        ("forum_markdown", "reddit"),
        ("html", ""),
        ("plaintext", ""),
    ],
)
@pytest.mark.parametrize("markup", HOSTILE_MARKUP)
def test_hostile_markup_in_a_part_renders_inert_in_every_format(fmt, dialect, markup) -> None:
    assert_inert(forum_preview.preview_html(markup, format=fmt, dialect=dialect))


def test_the_last_used_profile_is_preselected_on_the_next_visit(
    author_client, listed, make_user
) -> None:
    url = reverse("content:post_export", args=[listed.pk])
    first = author_client.get(url).content.decode()
    assert '<option value="xenforo" selected>' not in first
    show(author_client, listed, "xenforo")
    again = author_client.get(url).content.decode()
    assert '<option value="xenforo" selected>' in again
    other = Client()
    other.force_login(make_user("carla", roles.AUTHORS))
    assert '<option value="xenforo" selected>' not in other.get(url).content.decode()
