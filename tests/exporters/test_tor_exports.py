"""Tor exports hold no clear-net address that anything would turn into a link.

The exported text is read back by three independent autolinkers, as a forum would: cmark-gfm
with its autolink extension (GitHub- and Reddit-style Markdown), the PyPI bbcode parser (which
linkifies text by default) and linkify-it-py with fuzzy links, e-mail addresses and IPs on and
more top-level domains than its defaults (what Discourse runs). Every link they find must point
to a `.onion` host.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from content.exporters import ExportSettings, ExportSource, Signer, export
from content.exporters.defang import defang
from tests.exporters.helpers import ALL_FORMATS, rich_document
from tests.readers import clear_net, links_in, shown

BODY = """\
## Help lines: www.druglijn.be and druglijn.be

Call [De Druglijn](https://www.druglijn.be) or read <https://www.trimbos.nl/> and
[www.drugsinfo.nl](http://www.drugsinfo.nl/). As text: see druglijn.be/help, www.example.org,
sub.example.be, HTTPS://WWW.EXAMPLE.NET/A and info@druglijn.be or first.last@example.museum.
Odd names: checkit.io, mdma.museum, drugs.health, kit.app, пример.рф, www.пример.рф,
münchen.de, xn--mnchen-3ya.de, 10.0.0.1, //cdn.example.org/x and ftp://ftp.example.org/pub.
A label that is an address: [druglijn.be/help](https://druglijn.be/help). Mail:
<info@druglijn.be>, [write to us](mailto:hello@example.org). A picture:
![the chart](https://cdn.example.org/chart.png). Ours: [dosing](/posts/dosing),
[another](https://hr.example.org/posts/other) and [a friend](http://abcdef.onion/b "or www.x.org").

Inline code `curl https://api.example.io/v1 www.example.org` and a table:

| Where | Address |
|---|---|
| Belgium | www.druglijn.be |
| Mail | info@druglijn.be |

```sh from www.example.org
wget http://files.example.org/docs/readme.md
see www.example.com/docs and web.archive.org/web/2020/https://www.trimbos.nl/x
```

> Quoted: https://www.example.net/page?x=1.2 and www.trimbos.nl/

- item www.example.org
- [item link](https://example.io/x)
"""
SOURCES = (
    ExportSource("Trimbos fact sheet", "https://www.trimbos.nl/", date(2024, 1, 2)),
    ExportSource("", "https://www.druglijn.be/help"),
    ExportSource("Write to mail@example.org", "mailto:x@example.org"),
    ExportSource("Our fact sheet", "/facts/1"),
)
HEADER = "{title} - also on www.example.org and {url}"
FOOTER = "Check it: {onion_url} or mail team@example.org"
POLICIES = ("onion_internal", "plain_text", "references", "keep")


def tor_document(**changes: object) -> object:
    values: dict[str, object] = {
        "title": "Help from www.druglijn.be",
        "summary": "Call druglijn.be or mail info@druglijn.be.",
        "body": BODY,
        "sources": SOURCES,
    }
    return rich_document(**{**values, **changes})


def tor_profile(fmt: str, dialect: str, **changes: object) -> ExportSettings:
    values: dict[str, object] = {
        "format": fmt,
        "dialect": dialect,
        "tor": True,
        "link_policy": "onion_internal",
        "image_policy": "link",
        "header_template": HEADER,
        "footer_template": FOOTER,
    }
    return ExportSettings(**{**values, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_tor_exports_hold_no_clear_net_address_any_autolinker_would_link(
    fmt: str, dialect: str, policy: str
) -> None:
    for image_policy in ("link", "drop"):
        profile = tor_profile(fmt, dialect, link_policy=policy, image_policy=image_policy)
        for part in export(tor_document(), profile).parts:
            assert clear_net(links_in(part)) == [], part


@pytest.mark.django_db
def test_the_seeded_tor_profiles_export_no_clear_net_address() -> None:
    from content.exports import settings_for
    from content.models import ExportProfile

    seeded = list(ExportProfile.objects.filter(tor=True))
    assert {(p.format, p.dialect) for p in seeded} >= {
        ("forum_markdown", "reddit"),
        ("bbcode", "phpbb3"),
    }
    for record in seeded:
        profile = settings_for(record, final=False)
        assert profile.image_policy == "drop" and profile.link_policy == "onion_internal"
        for template in ("{url} " + record.header_template, "www.example.org " + FOOTER):
            profile = dataclasses.replace(profile, header_template=template, max_length=1200)
            parts = export(tor_document(), profile).parts
            assert len(parts) > 1
            for part in parts:
                assert clear_net(links_in(part)) == [], part


@pytest.mark.parametrize("fmt", ["bbcode", "forum_markdown", "plaintext", "html"])
def test_a_signed_tor_export_has_no_clear_net_address_in_its_signed_copy(gpg_keys, fmt) -> None:
    dialect = {"bbcode": "phpbb3", "forum_markdown": "reddit"}.get(fmt, "")
    profile = tor_profile(fmt, dialect, sign=True, image_policy="drop")
    result = export(tor_document(), profile, signer=Signer(gpg_keys.home, gpg_keys.team))
    assert result.signed
    for part in result.parts:
        assert "BEGIN PGP SIGNED MESSAGE" in part
        assert clear_net(links_in(part)) == [], part
        assert "druglijn[.]be/help" in part


READABLE = [
    "druglijn[.]be/help",
    "www[.]trimbos[.]nl/",
    "info[@]druglijn[.]be",
    "first[.]last[@]example[.]museum",
    "De Druglijn (www[.]druglijn[.]be)",
    "write to us (hello[@]example[.]org)",
    "curl api[.]example[.]io/v1",
    "checkit[.]io, mdma[.]museum, drugs[.]health, kit[.]app, пример[.]рф, www[.]пример[.]рф",
    "Trimbos fact sheet (www[.]trimbos[.]nl/)",
    "Help from www[.]druglijn[.]be - also on www[.]example[.]org and hr[.]example[.]org/posts/",
    "mail team[@]example[.]org",
]


@pytest.mark.parametrize(("fmt", "dialect"), [f for f in ALL_FORMATS if f[0] != "plaintext"])
def test_a_tor_reader_still_sees_every_address_in_defanged_form(fmt: str, dialect: str) -> None:
    (part,) = export(tor_document(), tor_profile(fmt, dialect)).parts
    text = shown(part, fmt, dialect)
    assert [phrase for phrase in READABLE if phrase not in text] == []
    assert "image: the chart (cdn[.]example[.]org/chart.png)" in text


def test_plain_text_tor_exports_show_the_defanged_addresses_as_references() -> None:
    profile = tor_profile("plaintext", "", link_policy="references")
    (part,) = export(tor_document(), profile).parts
    assert "De Druglijn [1]" in part and "\n[1] www[.]druglijn[.]be\n" in part
    assert "[12] http://hrexample.onion/facts/1" not in part  # numbering is by first use
    assert "http://hrexample.onion/facts/1" in part


@pytest.mark.parametrize(("fmt", "dialect"), [f for f in ALL_FORMATS if f[0] != "plaintext"])
def test_our_pages_and_onion_sites_stay_links_on_tor(fmt: str, dialect: str) -> None:
    (part,) = export(tor_document(), tor_profile(fmt, dialect)).parts
    found = set(links_in(part))
    assert {
        "http://hrexample.onion/posts/dosing",
        "http://hrexample.onion/posts/other",
        "http://abcdef.onion/b",
        "http://hrexample.onion/facts/1",
    } <= found


def test_without_an_onion_address_our_own_pages_are_shown_but_not_linked_on_tor() -> None:
    profile = tor_profile("forum_markdown", "commonmark", header_template="", footer_template="")
    (part,) = export(tor_document(onion_url=""), profile).parts
    assert clear_net(links_in(part)) == []
    assert "dosing (hr\\[.\\]example\\[.\\]org/posts/dosing)" in part


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_onion_addresses_in_text_stay_exactly_as_written(fmt: str, dialect: str) -> None:
    body = "Mirror: http://abcdef.onion/docs/readme.md and www.abcdef.onion, ask me@abcdef.onion"
    (part,) = export(tor_document(body=body, sources=()), tor_profile(fmt, dialect)).parts
    assert "http://abcdef.onion/docs/readme.md and www.abcdef.onion, ask me@abcdef.onion" in (
        shown(part, fmt, dialect)
    )


@pytest.mark.parametrize(("fmt", "dialect"), [f for f in ALL_FORMATS if f[0] != "plaintext"])
def test_clear_web_profiles_keep_addresses_as_written(fmt: str, dialect: str) -> None:
    profile = ExportSettings(format=fmt, dialect=dialect, footer_template="See {url}")
    (part,) = export(tor_document(), profile).parts
    assert "[.]" not in part and "[@]" not in part
    assert "https://www.druglijn.be" in links_in(part)
    assert "www.example.org" in part and "See https://hr.example.org/posts/dosing" in part


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.trimbos.nl/drugs/", "www[.]trimbos[.]nl/drugs/"),
        ("see druglijn.be/help, now", "see druglijn[.]be/help, now"),
        ("mailto:info@druglijn.be", "info[@]druglijn[.]be"),
        ("(www.trimbos.nl/)", "(www[.]trimbos[.]nl/)"),
        ("sub.example.be and x.museum", "sub[.]example[.]be and x[.]museum"),
        ("HTTP://WWW.EXAMPLE.ORG/Path", "WWW[.]EXAMPLE[.]ORG/Path"),
        ("www.anything", "www[.]anything"),
        ("x@host.unknowntld", "x[@]host[.]unknowntld"),
        ("host.abcd/xy", "host[.]abcd/xy"),
        ("http://nodots", "nodots"),
        ("python3 script.py", "python3 script[.]py"),
        ("at 10.0.0.1:8080/x", "at 10[.]0[.]0[.]1:8080/x"),
        ("xmpp:help@example.org", "help[@]example[.]org"),
        ("//cdn.example.org/a.js", "cdn[.]example[.]org/a.js"),
        ("http://abc.onion@evil.example.com/", "abc[.]onion[@]evil[.]example[.]com/"),
        ("a.org/x/https://b.org/y", "a[.]org/x/b[.]org/y"),
        ("http://[2001:db8::1]:80/x", "[2001:db8::1]:80/x"),
        ("http://abcdef.onion/a.io/b", "http://abcdef.onion/a.io/b"),
        ("www.abcdef.onion and me@abcdef.onion", "www.abcdef.onion and me@abcdef.onion"),
        ("take 0.5 mg, 1.5g or 2.5mg/kg; v1.2.3; e.g. i.e. etc.", None),
        ("a dose of 10^3 µg = 1 mg", None),
    ],
)
def test_defang_rewrites_addresses_and_nothing_else(text: str, expected: str | None) -> None:
    result = defang(text)
    assert result == (text if expected is None else expected)
    assert defang(result) == result
    assert clear_net(links_in(result)) == []
