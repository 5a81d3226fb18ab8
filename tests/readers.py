"""What a forum reader sees, copies and could click, by tools that are not ours.

Markdown parts are rendered with cmark-gfm (GitHub's CommonMark, with its autolink extension),
BBCode parts with the PyPI `bbcode` parser (which also turns addresses into links); the text a
reader copies out of a code block is that element's text content. `forum_variants()` applies
what forums do to pasted text, and `gpg_verify()` runs the stock gpg binary.
"""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from urllib.parse import urlsplit

import bbcode
import cmarkgfm
from linkify_it import LinkifyIt
from linkify_it.tlds import TLDS

from tests.exporters.helpers import bbcode_visible


def rendered_html(part: str, fmt: str) -> str:
    """The part as the forum shows it (HTML), by an independent renderer."""
    if fmt == "forum_markdown":
        return cmarkgfm.github_flavored_markdown_to_html(part)
    if fmt == "bbcode":
        return bbcode.render_html(part)
    if fmt == "html":
        return part
    raise ValueError(f"no forum renderer for {fmt!r}")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code: list[str] = []
        self.links: list[str] = []
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag in {"code", "pre"}:
            if self.depth == 0:
                self.code.append("")
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"code", "pre"} and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.depth:
            self.code[-1] += data


def code_blocks(html: str) -> list[str]:
    """The text content of each outermost <code>/<pre> element, as a reader copies it."""
    collector = _Collector()
    collector.feed(html)
    return collector.code


def links(html: str) -> list[str]:
    collector = _Collector()
    collector.feed(html)
    return collector.links


def visible_text(html: str) -> str:
    collector = _Collector()
    collector.feed(html)
    return "".join(collector.text)


def signed_copy(part: str, fmt: str) -> str:
    """The code block of a rendered part that holds the signed copy."""
    blocks = [b for b in code_blocks(rendered_html(part, fmt)) if "BEGIN PGP SIGNED" in b]
    assert len(blocks) == 1, blocks
    return blocks[0]


def forum_variants(text: str) -> dict[str, str]:
    """What forums do to pasted text: strip trailing spaces, CRLF, add or drop a final newline."""
    stripped = "\n".join(line.rstrip() for line in text.split("\n"))
    return {
        "as copied": text,
        "trailing whitespace stripped": stripped,
        "CRLF line endings": text.replace("\r\n", "\n").replace("\n", "\r\n"),
        "final newline added": text + "\n",
        "final newline dropped": text.rstrip("\n"),
        "all of these": stripped.rstrip("\n").replace("\n", "\r\n"),
    }


def gpg_verify(home: str, data: str | bytes) -> subprocess.CompletedProcess[bytes]:
    """Stock `gpg --verify` on the text, with the key store `home` as the keyring."""
    raw = data.encode() if isinstance(data, str) else data
    return subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--verify"],
        input=raw,
        capture_output=True,
        check=False,
        timeout=30,
    )


# --- Autolinkers: every link target a forum could make of a text ------------------------------

LINKIFY = LinkifyIt(options={"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": True}).tlds(
    [tld.lower() for tld in TLDS] + ["onion", "app", "dev", "xyz", "health", "онлайн"], True
)


BLOCK_TAGS = frozenset(
    {"br", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "td", "th", "tr", "table"}
    | {"pre", "blockquote", "div", "hr"}
)


class _Page(HTMLParser):
    """Links and text of a page; block boundaries and line breaks read as line breaks."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value or "" for name, value in attrs if name == "href"]
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def hrefs(html: str) -> list[str]:
    return _page(html).hrefs


def links_in(part: str) -> list[str]:
    """Every link target any autolinker finds in one exported part, as pasted or as shown."""
    pages = [
        _page(part),  # the HTML exporter's own links
        _page(cmarkgfm.github_flavored_markdown_to_html(part)),
        _page(cmarkgfm.markdown_to_html_with_extensions(part, extensions=["autolink"])),
        _page(bbcode.render_html(part)),
    ]
    found = [href for page in pages for href in page.hrefs]
    for text in [part, *("".join(page.text) for page in pages)]:
        found += [match.url for match in LINKIFY.match(text) or []]
    return found


def clear_net(urls: list[str]) -> list[str]:
    def onion(url: str) -> bool:
        try:
            host = urlsplit(url).hostname or url.rpartition("@")[2]
        except ValueError:
            return False
        return host.lower().endswith(".onion")

    return [url for url in urls if not onion(url)]


def shown(part: str, fmt: str, dialect: str) -> str:
    """The text a forum reader sees, whitespace collapsed."""
    if fmt == "bbcode":
        return " ".join(bbcode_visible(part, dialect))
    if fmt == "forum_markdown":
        part = cmarkgfm.github_flavored_markdown_to_html(part)
    if fmt in {"forum_markdown", "html"}:
        part = "".join(_page(part).text)
    return " ".join(part.split())
