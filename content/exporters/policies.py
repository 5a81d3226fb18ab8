"""Link and image policies, applied to the token stream before any renderer sees it.

Doing this once, on tokens, means every format obeys the same rules: a renderer only ever meets
links the profile allows, and never meets an image (an image becomes a link, or nothing). No
format embeds images, so no reader's client loads a picture from anywhere because of an export.

Three rules hold for every format and dialect:

- **Schemes.** A link stays a link only if its URL has no scheme (a relative URL) or one the
  site itself keeps (`content.markdown.ALLOWED_PROTOCOLS`: http, https, mailto). The scheme is
  read the way a lenient browser or forum would: case, whitespace, control and invisible
  characters, percent and entity encodings do not hide it. Any other link (tel:, ftp:, data:,
  blob: ... markdown-it already refuses javascript:, vbscript:, file: and most data:) keeps its
  label as text and shows nothing of its URL; an autolink such as `<ftp://host/x>`, whose label
  is that very URL, is left out. This covers links, images shown as links and source URLs.
- **Tor profiles** link only to `.onion` sites: our own pages (relative links, our canonical or
  onion address) point to our onion site; everything else, mailto included, becomes its label
  followed by the address in the defanged form of `content.exporters.defang`, and every text a
  renderer sees (body, link labels, code, headings, sources, numbered references) is defanged.
- **Dropped images** leave nothing dangling (see `_drop_images`): a lead-in ending in ":" just
  before the image goes with it, and a paragraph or heading left without text disappears, with
  a list item, list or quote that held nothing else.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_noop
from markdown_it.token import Token

from content.exporters.base import ExportDocument
from content.exporters.defang import defang, defang_address
from content.exporters.references import References
from content.exporters.registry import exporter_class
from content.exporters.settings import ExportSettings
from content.exporters.wording import ours as our_words
from content.markdown import ALLOWED_PROTOCOLS, is_local_url

IMAGE_LABEL = gettext_noop("image")  # in the post's language (content.exporters.wording)
WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME_OF = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+")
_BREAKS = frozenset({"softbreak", "hardbreak"})
_TEXTS = frozenset({"text", "code_inline"})
_CONTAINERS = frozenset({"blockquote", "list_item", "bullet_list", "ordered_list"})


def effective_link_policy(settings: ExportSettings) -> str:
    # A Tor profile never keeps a clear-net link, whatever the policy says.
    if settings.tor and settings.link_policy == "keep":
        return "onion_internal"
    # A format without clickable links (plain text): kept links become numbered references.
    if not exporter_class(settings.format).clickable_links and settings.link_policy == "keep":
        return "references"
    return settings.link_policy


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def is_onion(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host.endswith(".onion")


def readable_url(url: str) -> str:
    """A URL as text that autolinkers are unlikely to pick up: no scheme."""
    for prefix in ("https://", "http://", "mailto:"):
        if url.lower().startswith(prefix):
            return url[len(prefix) :]
    return url


def url_scheme(url: str) -> str:
    """The scheme a browser or a lenient forum would read in `url`, lowercased; "" if none.

    Percent and entity encodings are undone (repeatedly: "%256A" is "j" after two rounds), the
    text is NFKC-normalised (fullwidth letters) and whitespace, control and invisible
    characters are removed, so "Java&#x09;Script:", "%01tel:" and "\u200btel:" all show their
    scheme.
    """
    text = url
    for _round in range(4):
        decoded = html.unescape(unquote(text))
        if decoded == text:
            break
        text = decoded
    text = "".join(
        ch
        for ch in unicodedata.normalize("NFKC", text)
        if not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"})
    )
    match = _SCHEME_OF.match(text)
    return match.group(1).lower() if match else ""


def scheme_allowed(url: str) -> bool:
    """Whether a link to `url` may stay a link in some export: relative, or a site scheme."""
    scheme = url_scheme(url)
    return not scheme or scheme in ALLOWED_PROTOCOLS


@dataclass
class LinkRules:
    policy: str
    tor: bool
    canonical_origin: str
    onion_origin: str
    refs: References
    clickable: bool = True  # False where the format has none: a kept link becomes a reference
    public_path: Callable[[str], bool] | None = None

    @classmethod
    def build(
        cls, settings: ExportSettings, document: ExportDocument, refs: References
    ) -> LinkRules:
        return cls(
            policy=effective_link_policy(settings),
            tor=settings.tor,
            canonical_origin=origin(document.canonical_url),
            onion_origin=origin(document.onion_url),
            refs=refs,
            clickable=exporter_class(settings.format).clickable_links,
            public_path=document.public_path,
        )

    def resolve(self, url: str) -> tuple[str, bool]:
        """(absolute URL, is it ours). Our own pages point to the onion site in Tor profiles."""
        home = self.onion_origin if self.tor and self.onion_origin else self.canonical_origin
        if is_local_url(url):
            return (home + url if home else url), True
        for ours in (self.canonical_origin, self.onion_origin):
            if ours and (url == ours or url.startswith(ours + "/")):
                return home + url[len(ours) :], True
        return url, False

    def decide(self, href: str, label: str) -> tuple[str | None, str]:
        """(href to keep or None, text to put after the label)."""
        if not scheme_allowed(href):
            return None, ""
        url, ours = self.resolve(href)
        if ours and self.public_path is not None and not self.public_path(urlsplit(url).path):
            # Our own address, but not a page readers can open (the studio, the admin, a post
            # that is not published): the label stays, the address goes.
            return None, ""
        kept, after = self._decide_tor(href, label) if self.tor else self._decide(href, label)
        if kept is not None and not self.clickable:
            return None, f" [{self.refs.number(kept)}]"
        return kept, after

    def _decide(self, href: str, label: str) -> tuple[str | None, str]:
        url, ours = self.resolve(href)
        same = label.strip() == href.strip()
        if self.policy == "keep":
            return url, ""
        if self.policy == "onion_internal":
            if is_onion(url) or (ours and url.startswith(("http://", "https://"))):
                return url, ""
            shown = readable_url(url)
            return None, "" if same and shown == label else f" ({shown})"
        if self.policy == "plain_text":
            return None, "" if same else f" ({url})"
        return None, f" [{self.refs.number(url)}]"

    def _decide_tor(self, href: str, label: str) -> tuple[str | None, str]:
        url, _ours = self.resolve(href)
        if self.policy == "onion_internal" and is_onion(url) and url_scheme(url) in WEB_SCHEMES:
            return url, ""
        shown = defang_address(url)  # an onion address stays as it is
        if self.policy == "references":
            return None, f" [{self.refs.number(shown)}]"
        same = defang(label.strip()).rstrip("/") == shown.rstrip("/")
        return None, "" if same else f" ({shown})"


def apply_policies(tokens: Sequence[Token], rules: LinkRules, *, image_policy: str) -> list[Token]:
    """A copy of `tokens` with links and images rewritten; the input is left untouched."""
    out: list[Token] = []
    emptied: set[int] = set()
    for token in tokens:
        if token.type == "inline" and token.children:
            children = _images(token.children, image_policy)
            if not _has_text(children) and any(c.type == "image" for c in token.children):
                emptied.add(len(out))
            children = _links(children, rules)
            if rules.tor:
                children = [_defanged(child) for child in children]
                token = token.copy(content=defang(token.content))
            token = token.copy(children=children)
        elif rules.tor and token.type in {"fence", "code_block"}:
            token = token.copy(content=defang(token.content), info=defang(token.info))
        out.append(token)
    return _without_empty_blocks(out, emptied) if emptied else out


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _defanged(child: Token) -> Token:
    if child.type in _TEXTS:
        return child.copy(content=defang(child.content))
    if child.type == "link_open" and child.attrGet("title"):
        return child.copy(attrs={**child.attrs, "title": defang(str(child.attrGet("title")))})
    return child


def _has_text(children: Sequence[Token]) -> bool:
    return any(c.type in _TEXTS and c.content.strip() for c in children)


def _images(children: Sequence[Token], policy: str) -> list[Token]:
    if policy == "drop":
        return _drop_images(children)
    out: list[Token] = []
    for child in children:
        if child.type != "image":
            out.append(child)
            continue
        alt = child.content.strip()
        label = f"{our_words(IMAGE_LABEL)}: {alt}" if alt else our_words(IMAGE_LABEL)
        link = Token("link_open", "a", 1, attrs={"href": str(child.attrGet("src") or "")})
        out += [link, _text(label), Token("link_close", "a", -1)]
    return out


def _links(children: Sequence[Token], rules: LinkRules) -> list[Token]:
    out: list[Token] = []
    pending: list[str | None] = []  # per open link: text to add at its close, None when kept
    skip = 0  # depth inside an autolink that is left out altogether
    for index, child in enumerate(children):
        if skip:
            skip += child.nesting
            continue
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            if child.markup == "autolink" and not scheme_allowed(href):
                skip = 1  # its label is the refused URL itself
                continue
            kept, after = rules.decide(href, _label(children, index))
            if kept is None:
                pending.append(after)
            else:
                pending.append(None)
                out.append(child.copy(attrs={**child.attrs, "href": kept}))
        elif child.type == "link_close" and pending:
            at_close = pending.pop()
            if at_close is None:
                out.append(child)
            elif at_close:
                out.append(_text(at_close))
        else:
            out.append(child)
    return out


def _label(children: Sequence[Token], open_index: int) -> str:
    depth, text = 0, []
    for child in children[open_index:]:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
            if depth == 0:
                break
        elif child.type in _TEXTS:
            text.append(child.content)
    return "".join(text)


# Dropped images ------------------------------------------------------------------------------


def _drop_images(children: Sequence[Token]) -> list[Token]:
    """The inline content without its images, and without what only announced them.

    The lead-in of an image is the text on its line from the last sentence end (or the line's
    start) up to a ":" right before the image: "We weighed it. Our own photo: ![pills](x.png)"
    keeps "We weighed it." only. Formatting and links left empty go too, and the spaces and
    line breaks around the gap are tidied, so no ": " or blank line is left behind.
    """
    out: list[Token] = []
    for child in children:
        if child.type == "image":
            _cut_lead_in(out)
        else:
            out.append(child)
    if len(out) == len(children):
        return out
    return _tidy_lines(_joined_text(_without_empty_pairs(out)))


def _cut_lead_in(out: list[Token]) -> None:
    start = max((i + 1 for i, t in enumerate(out) if t.type in _BREAKS), default=0)
    texts = [i for i in range(start, len(out)) if out[i].type in _TEXTS]
    visible = "".join(out[i].content for i in texts)
    if not visible.rstrip().endswith(":"):
        return
    ends = list(_SENTENCE_END.finditer(visible.rstrip()[:-1]))
    cut = ends[-1].start() + 1 if ends else 0
    offset = 0
    for i in texts:
        content = out[i].content
        keep = max(0, min(len(content), cut - offset))
        offset += len(content)
        if keep < len(content):
            out[i] = out[i].copy(content=content[:keep])


def _without_empty_pairs(children: list[Token]) -> list[Token]:
    """Drop empty texts, then formatting and links left with nothing inside."""
    out: list[Token] = []
    for child in children:
        if child.type in _TEXTS and not child.content:
            continue
        if _closes(out[-1] if out else None, child):
            out.pop()
            continue
        out.append(child)
    return out


def _closes(opening: Token | None, closing: Token) -> bool:
    return (
        opening is not None
        and opening.nesting == 1
        and closing.nesting == -1
        and opening.type.removesuffix("_open") == closing.type.removesuffix("_close")
    )


def _joined_text(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    for child in children:
        if child.type == "text" and out and out[-1].type == "text":
            out[-1] = out[-1].copy(content=re.sub("  +", " ", out[-1].content + child.content))
        else:
            out.append(child)
    return out


def _tidy_lines(children: list[Token]) -> list[Token]:
    """No spaces at the start or end of a line, and no line left empty."""
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type in _BREAKS:
            lines.append([child])
        else:
            lines[-1].append(child)
    out: list[Token] = []
    for line in lines:
        body = [t for t in line if t.type not in _BREAKS]
        if body and body[0].type == "text":
            body[0] = body[0].copy(content=body[0].content.lstrip())
        if body and body[-1].type == "text":
            body[-1] = body[-1].copy(content=body[-1].content.rstrip())
        body = [t for t in body if not (t.type == "text" and not t.content)]
        if not body:
            continue
        breaks = [t for t in line if t.type in _BREAKS]
        out += (breaks if out else []) + body
    return out


def _without_empty_blocks(tokens: list[Token], emptied: set[int]) -> list[Token]:
    """Leave out paragraphs and headings whose only content was dropped images (the inline
    tokens at the indices in `emptied`), then any container that held nothing else."""
    out: list[Token] = []
    opened: list[list[int]] = []  # per open block: [its index in out, 1 if something went]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if index + 1 in emptied and token.type in {"paragraph_open", "heading_open"}:
            if opened:
                opened[-1][1] = 1
            index += 3  # the opening, the inline and the closing token
            continue
        index += 1
        if token.nesting == 1:
            opened.append([len(out), 0])
        elif token.nesting == -1 and opened:
            start, removed = opened.pop()
            if (
                removed
                and len(out) == start + 1
                and token.type.removesuffix("_close") in _CONTAINERS
            ):
                out.pop()
                if opened:
                    opened[-1][1] = 1
                continue
        out.append(token)
    return out
