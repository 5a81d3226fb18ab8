"""Only http, https (and mailto, off Tor) links survive an export, in every format and dialect.

The output is read back with independent parsers: cmark-gfm (with its autolink extension) and
the PyPI bbcode parser (which also linkifies text) for every format, Python's html.parser for
the HTML exporter's own links, and linkify-it-py for anything that reads like an address.
"""

from __future__ import annotations

from urllib.parse import unquote

import bbcode
import cmarkgfm
import pytest

from content.exporters import ExportSettings, ExportSource, export
from content.exporters.policies import scheme_allowed, url_scheme
from content.markdown import ALLOWED_PROTOCOLS
from tests.exporters.helpers import ALL_FORMATS, rich_document
from tests.readers import hrefs, links_in, shown

# (href as written in Markdown, text that must not appear once the link is gone)
ACCEPTED_BY_THE_PARSER = [
    ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUg", "iVBORw0KGgo"),
    ("ftp://files.example.org/pub/naloxone.pdf", "files.example.org"),
    ("tel:+3222275252", "3222275252"),
    ("blob:https://example.org/550e8400-e29b", "550e8400"),
    ("TEL:+3222275252", "3222275252"),
    ("&#116;el:+3222275252", "3222275252"),
    ("%74el:+3222275252", "3222275252"),
    ("<tel:+32 2 227 52 52>", "227"),
    ("<\x01tel:+3222275252>", "3222275252"),
    ("\u200btel:+3222275252", "3222275252"),
    ("\uff54\uff45\uff4c:+3222275252", "3222275252"),
    ("jav&#x09;ascript:alert(1)", "alert"),
    ("java%0Ascript:alert(1)", "alert"),
    ("%256Aavascript:alert(1)", "alert"),
    ("sms:+3222275252", "3222275252"),
]
# markdown-it itself refuses these as link targets: the author's text stays literal text, exactly
# as on the site, and is never a link.
REFUSED_BY_THE_PARSER = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4",
]
REFUSED_SCHEMES = ("data", "ftp", "tel", "blob", "javascript", "vbscript", "file", "sms")
WEB = ("http", "https")
FORMS = {
    "inline link": "Call [the helpline]({url}) today.",
    "reference link": "Call [the helpline][line] today.\n\n[line]: {url}",
    "image as link": "Call ![the helpline]({url}) today.",
    "link in a list": "- Call [the helpline]({url}) today.",
}


def scheme_of(url: str) -> str:
    head = unquote(url).strip().lower()
    return head.split(":", 1)[0] if ":" in head.split("/", 1)[0] else ""


def refused_links(part: str, *, mailto: bool) -> list[str]:
    allowed = {*WEB, "mailto"} if mailto else set(WEB)
    return [url for url in links_in(part) if scheme_of(url) and scheme_of(url) not in allowed]


def profiles(fmt: str, dialect: str) -> list[ExportSettings]:
    return [
        ExportSettings(format=fmt, dialect=dialect, image_policy="link"),
        ExportSettings(
            format=fmt, dialect=dialect, image_policy="link", tor=True, link_policy="onion_internal"
        ),
    ]


def only_part(body: str, profile: ExportSettings, **changes: object) -> str:
    (part,) = export(rich_document(body=body, sources=(), **changes), profile).parts
    return part


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize(("url", "payload"), ACCEPTED_BY_THE_PARSER)
def test_a_link_with_a_refused_scheme_keeps_its_label_and_loses_its_address(
    fmt: str, dialect: str, form: str, url: str, payload: str
) -> None:
    for profile in profiles(fmt, dialect):
        part = only_part(FORMS[form].format(url=url), profile)
        assert refused_links(part, mailto=False) == []
        assert "[url" not in part.lower() and "href" not in part and "](" not in part
        assert payload not in part
        assert "the helpline" in part and "today." in part


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
@pytest.mark.parametrize("url", REFUSED_BY_THE_PARSER)
def test_a_link_the_parser_refuses_is_never_a_link_in_any_export(
    fmt: str, dialect: str, url: str
) -> None:
    for profile in profiles(fmt, dialect):
        for form in ("[the helpline]({url})", "![the helpline]({url})", "<{url}>"):
            part = only_part(form.format(url=url), profile)
            assert refused_links(part, mailto=False) == []
            assert "[url" not in part.lower() and "href" not in part


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("ftp://files.example.org/pub/x.pdf", "files.example"),
        ("tel:+3222275252", "3222275252"),
        ("blob:https://example.org/1", "example"),
    ],
)
def test_an_autolink_with_a_refused_scheme_leaves_nothing_behind(
    fmt: str, dialect: str, url: str, payload: str
) -> None:
    for profile in profiles(fmt, dialect):
        part = only_part(f"Before <{url}> after.", profile)
        assert refused_links(part, mailto=False) == []
        assert payload not in part
        assert shown(part, fmt, dialect).endswith("Before after.")


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_a_source_url_with_a_refused_scheme_leaves_only_the_source_title(
    fmt: str, dialect: str
) -> None:
    sources = (
        ExportSource("Helpline", "tel:+3222275252"),
        ExportSource("Old mirror", "ftp://files.example.org/pub/"),
    )
    for profile in profiles(fmt, dialect):
        (part,) = export(rich_document(body="Body.", sources=sources), profile).parts
        assert refused_links(part, mailto=False) == []
        assert "Helpline" in part and "Old mirror" in part
        assert "3222275252" not in part and "files.example.org" not in part


WEB_BODY = (
    "Read [the guide](https://example.org/guide), [the old page](http://example.org/old), "
    "<https://example.org/auto> and write to [us](mailto:info@example.org)."
)
WEB_TARGETS = [
    "https://example.org/guide",
    "http://example.org/old",
    "https://example.org/auto",
    "mailto:info@example.org",
]


@pytest.mark.parametrize(("fmt", "dialect"), [f for f in ALL_FORMATS if f[0] != "plaintext"])
def test_clear_web_profiles_keep_http_https_and_mailto_links(fmt: str, dialect: str) -> None:
    part = only_part(WEB_BODY, ExportSettings(format=fmt, dialect=dialect))
    if fmt == "bbcode":
        found = hrefs(bbcode.render_html(part))
    elif fmt == "html":
        found = hrefs(part)
    else:
        found = hrefs(cmarkgfm.github_flavored_markdown_to_html(part))
    assert [url for url in WEB_TARGETS if url in found] == WEB_TARGETS


def test_plain_text_lists_http_https_and_mailto_links_as_references() -> None:
    part = only_part(WEB_BODY, ExportSettings(format="plaintext"))
    assert all(f"] {url}" in part for url in WEB_TARGETS)


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_tor_profiles_never_link_an_email_address(fmt: str, dialect: str) -> None:
    profile = ExportSettings(format=fmt, dialect=dialect, tor=True, link_policy="onion_internal")
    part = only_part("Write to [us](mailto:info@example.org) or <hello@example.org>.", profile)
    assert [url for url in links_in(part) if "mailto" in url or "@" in url] == []
    assert "us (info[@]example[.]org) or hello[@]example[.]org." in shown(part, fmt, dialect)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("/posts/dosing", ""),
        ("page.html#top", ""),
        ("?q=1", ""),
        ("HTTPS://example.org", "https"),
        ("Tel:+32", "tel"),
        ("jav%09ascript:x", "javascript"),
        ("%256Aavascript:x", "javascript"),
        ("&#x6A;avascript:x", "javascript"),
        ("\u200b\x01 data:text/plain,x", "data"),
        ("\uff46\uff54\uff50://x", "ftp"),
    ],
)
def test_the_scheme_is_read_as_a_lenient_browser_would(url: str, scheme: str) -> None:
    assert url_scheme(url) == scheme
    assert scheme_allowed(url) == (scheme in {"", "http", "https", "mailto"})


def test_the_refused_schemes_are_the_ones_the_site_strips() -> None:
    assert not any(scheme_allowed(f"{s}:x") for s in REFUSED_SCHEMES)
    assert all(scheme_allowed(f"{s}:x") for s in ALLOWED_PROTOCOLS)
