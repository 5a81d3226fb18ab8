"""The exporter family's shared vocabulary: what goes in, what comes out, and the renderer base.

Exporters know nothing about the database. A view maps a revision and an export profile to an
`ExportDocument` and `ExportSettings`; everything after that is pure functions over the tokens of
`content.markdown.parse()`. The document type deliberately has no field for author or reviewer
names, e-mails, internal notes or change notes, so no template or renderer can leak them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_lazy, gettext_noop
from markdown_it.token import Token

from content.exporters.scanners import LineScanner

if TYPE_CHECKING:
    # Only for annotations: `settings` validates formats against the registry, which imports
    # the format modules, which import this one.
    from content.exporters.settings import ExportSettings

# Our words in readers' texts are marked here and read with content.exporters.wording.ours(),
# in the post's language.
DRAFT_BANNER = gettext_noop("DRAFT - NOT REVIEWED")

UNKNOWN_FORMAT = gettext_lazy("Unknown export format {value!r}; choose one of: {choices}.")


class ExportError(ValueError):
    """An export cannot be produced as asked; the message tells the editor why."""


@dataclass(frozen=True)
class ExportSource:
    title: str
    url: str = ""
    consulted: date | None = None


@dataclass(frozen=True)
class ExportDocument:
    """Everything an export may show about one revision, and nothing more."""

    title: str
    summary: str
    body: str
    sources: tuple[ExportSource, ...] = ()
    version: int = 1
    content_hash: str = ""
    language: str = "en"
    kind: str = "article"
    published_on: date | None = None
    review_due: date | None = None
    approvals: int = 0
    canonical_url: str = ""
    onion_url: str = ""
    is_final: bool = False
    # What a signed part names so a reader can look it up: "<language>/<slug>", our verify page
    # and public key (paths on the public site), and a status for notices ("withdrawn").
    slug: str = ""
    verify_path: str = "/verify/"
    key_path: str = "/pgp.txt"
    status: str = ""
    # Whether a path on our site is one readers can open (a public page that exists). None: any
    # path is; the database side passes the public site's own answer.
    public_path: Callable[[str], bool] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ExportResult:
    """The text to paste, one string per forum post.

    `bodies` holds each part's share of the content (without banner, header, marker, references
    and footer) so callers and tests can check that the parts rejoin to the whole.
    """

    parts: list[str]
    content_type: str
    extension: str
    signed: bool
    bodies: list[str] = field(default_factory=list)


class Exporter(ABC):
    """One output format, in the shape of django.utils.feedgenerator.SyndicationFeed.

    A subclass renders the top-level blocks of a token stream (already passed through the link
    and image policies) and knows how to show a few plain-text lines (banner, header, footer,
    part marker) in its format. Splitting, framing and signing are done once, in `export.py`.

    Like a DRF renderer (`format`, `media_type`) the class is its own registry entry: it
    declares its format key, label, dialects, content type and file extension, and
    `content.exporters.registry` lists the classes. Model choices, profile validation and the
    admin all read them from there.
    """

    format: ClassVar[str] = ""  # the key stored in ExportProfile.format
    label: ClassVar[str] = ""  # what editors see
    # Dialect key -> label, in the order editors see them; empty: the format has no dialects.
    dialects: ClassVar[Mapping[str, str]] = {}
    content_type = "text/plain; charset=utf-8"
    extension = "txt"
    block_separator = "\n\n"
    # Whether a link can stay clickable in this format; where not, the policies turn every
    # link the profile would keep into a numbered reference.
    clickable_links: ClassVar[bool] = True

    def __init__(self, settings: ExportSettings) -> None:
        self.settings = settings

    @classmethod
    def for_settings(cls, settings: ExportSettings) -> Exporter:
        """The renderer `export()` uses for one profile of this format."""
        return cls(settings)

    @abstractmethod
    def render_blocks(self, tokens: Sequence[Token]) -> list[str]:
        """Render each top-level block of `tokens` to one string."""

    def plain(self, text: str, *, strong: bool = False) -> str:
        """Literal text (may have several lines) as one block of this format."""
        return text

    def reference_marker(self, number: int) -> str:
        """How the policies' reference marker "[n]" reads in this format's text."""
        return f"[{number}]"

    def references(self, refs: Sequence[tuple[int, str]]) -> str:
        """The numbered list of link targets cited in one part."""
        return "\n".join(f"[{number}] {url}" for number, url in refs)

    # Formats a forum renders (BBCode, forum Markdown) sign a plain-text copy of each part and
    # show it in a code block under the formatted text: what a reader copies out of the
    # rendered post is then exactly the signed text. Plain text and HTML sign the part itself.
    signs_copy = False

    def signable(self, text: str) -> str:
        """The signed copy as it must be signed to survive this format's code block unchanged."""
        return text

    def signed_block(self, signed: str) -> str:
        """A clear-signed copy as this format shows it verbatim (a code block)."""
        return signed

    def splitter(self) -> LineScanner:
        """The scanner that finds safe cut points inside one oversize block of this format."""
        return LineScanner()


def top_level_groups(tokens: Sequence[Token]) -> list[list[Token]]:
    """Group a flat token stream into its top-level blocks (level-0 open .. matching close)."""
    groups: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens:
        current.append(token)
        if token.level == 0 and token.nesting <= 0:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups
