"""Link and image policies, applied to the token stream before any renderer sees it.

Doing this once, on tokens, means every format obeys the same rules: a renderer only ever meets
links the profile allows, and never meets an image (an image becomes a link, or nothing). No
format embeds images, so no reader's client loads a picture from anywhere because of an export.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markdown_it.token import Token

from content.exporters.base import ExportDocument, ExportSettings
from content.markdown import is_local_url

IMAGE_LABEL = "image"
_SCHEME = re.compile(r"\bhttps?://", re.IGNORECASE)


@dataclass
class References:
    """Numbered link targets of one export; numbers are stable across all parts."""

    numbers: dict[str, int] = field(default_factory=dict)
    used: list[int] = field(default_factory=list)

    def number(self, url: str) -> int:
        number = self.numbers.setdefault(url, len(self.numbers) + 1)
        if number not in self.used:
            self.used.append(number)
        return number

    def take_used(self) -> tuple[int, ...]:
        used, self.used = tuple(self.used), []
        return used

    def urls(self, numbers: Sequence[int]) -> list[tuple[int, str]]:
        by_number = {n: url for url, n in self.numbers.items()}
        return [(n, by_number[n]) for n in sorted(set(numbers))]


def effective_link_policy(settings: ExportSettings) -> str:
    # Plain text cannot have clickable links at all: kept links become numbered references.
    if settings.format == "plaintext" and settings.link_policy == "keep":
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


@dataclass
class LinkRules:
    policy: str
    tor: bool
    canonical_origin: str
    onion_origin: str
    refs: References
    clickable: bool = True  # False for plain text: a link that would be kept becomes a reference

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
            clickable=settings.format != "plaintext",
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
        kept, after = self._decide(href, label)
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
            # An autolink's label is the URL itself; in a Tor profile it loses its scheme too.
            label_shown = readable_url(label.strip()) if self.tor else label
            return None, "" if same and shown == label_shown else f" ({shown})"
        if self.policy == "plain_text":
            return None, "" if same else f" ({url})"
        return None, f" [{self.refs.number(url)}]"


def apply_policies(tokens: Sequence[Token], rules: LinkRules, *, image_policy: str) -> list[Token]:
    """A copy of `tokens` with links and images rewritten; the input is left untouched."""
    out = []
    for token in tokens:
        if token.type == "inline" and token.children:
            children = _images(token.children, image_policy)
            token = token.copy(children=_links(children, rules))
        out.append(token)
    return out


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _images(children: Sequence[Token], policy: str) -> list[Token]:
    out: list[Token] = []
    for child in children:
        if child.type != "image":
            out.append(child)
            continue
        if policy == "drop":
            continue
        alt = child.content.strip()
        label = f"{IMAGE_LABEL}: {alt}" if alt else IMAGE_LABEL
        link = Token("link_open", "a", 1, attrs={"href": str(child.attrGet("src") or "")})
        out += [link, _text(label), Token("link_close", "a", -1)]
    return out


def _links(children: Sequence[Token], rules: LinkRules) -> list[Token]:
    out: list[Token] = []
    pending: list[str | None] = []  # per open link: text to add at its close, None when kept
    dropped = 0  # how many of the open links are not kept
    for index, child in enumerate(children):
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            kept, after = rules.decide(href, _label(children, index))
            if kept is None:
                pending.append(after)
                dropped += 1
            else:
                pending.append(None)
                out.append(child.copy(attrs={**child.attrs, "href": kept}))
        elif child.type == "link_close" and pending:
            after = pending.pop()
            if after is None:
                out.append(child)
            else:
                dropped -= 1
                if after:
                    out.append(_text(after))
        elif dropped and rules.tor and child.type == "text" and _SCHEME.search(child.content):
            # The label of a link that is not kept stays as text; in a Tor profile no text may
            # read as a clear-net address a forum would turn into a link (autolinks, for one).
            out.append(child.copy(content=_SCHEME.sub("", child.content)))
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
        elif child.type in {"text", "code_inline"}:
            text.append(child.content)
    return "".join(text)
