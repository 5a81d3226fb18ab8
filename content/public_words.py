"""The words of texts readers could have seen, indexed so `/verify/` finds an unsigned paste's
source with an index lookup instead of reading every revision.

`words()` reads a paste or a revision the same way (markup, entities and line wrapping do not
matter). The distinct longer words (5 to 30 letters, the rarest as a rule) of every revision
that is or was published are kept in `PublicWord` rows, written when the revision is published
(content.workflow.publish) and by the migration for older ones. At 10,000 posts, scanning every
revision's text for a paste's words took about 20 seconds a request.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from content import notices
from content.exporters.base import DRAFT_BANNER
from content.exporters.export import CONSULTED, SOURCES_HEADING
from content.exporters.frames import DEFAULT_FRAMES
from content.exporters.placeholders import ADDRESS_NOT_SET, reviewers_phrase
from content.exporters.policies import IMAGE_LABEL
from content.exporters.signed_copy import ATTESTATION_LABELS, INTRO
from content.models import PublicWord, Revision

BBCODE_TAGS = (
    "b|i|u|s|strike|size|color|colour|font|url|img|list|li|\\*|code|icode|quote|spoiler|"
    "ispoiler|hr|nobbc|noparse|plain|center|left|right|justify|indent|sub|sup|table|tr|td|th|email"
)
# "[" is excluded inside a tag: otherwise every "[url=" in a long paste scans to the end of it
# and the matching is quadratic (a 200 KB paste of "[url=" took over a minute).
_BBCODE_URL = re.compile(r"\[url=([^\[\]\n]*)\]", re.IGNORECASE)
_BBCODE_TAG = re.compile(rf"\[/?(?:{BBCODE_TAGS})(?:=[^\[\]\n]*)?\]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_NOT_WORDS = frozenset({"http", "https"})
# Our own words around a post's text in exports (content.exporters.wording), read in every
# language we write. A withdrawal notice's body is not around any text, so its words count.
OUR_WORDS = (
    DRAFT_BANNER, SOURCES_HEADING, CONSULTED, INTRO, IMAGE_LABEL, ADDRESS_NOT_SET,
    notices.WITHDRAWAL_TITLE, notices.CHANGED_SINCE, notices.REPLACES, notices.UNTRANSLATED_UPDATE,
)  # fmt: skip
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[ds]")
MIN_LENGTH, MAX_LENGTH = 5, 30


def words(text: str) -> list[str]:
    """Text as lower-case words, without markup: BBCode tags, Markdown syntax, HTML entities
    and backslash escapes are dropped, and line wrapping no longer matters."""
    text = _BBCODE_URL.sub(r" \1 ", html.unescape(text))
    text = _BBCODE_TAG.sub(" ", text)
    return [word for word in _WORD.findall(text.casefold()) if word not in _NOT_WORDS]


def indexed(tokens: Iterable[str]) -> set[str]:
    """The words worth looking up: long enough to be rare, not numbers, not our frame's."""
    return {
        token
        for token in tokens
        # Not with digits: doses and dates are common, and a signature's base64 is full of them.
        if MIN_LENGTH <= len(token) <= MAX_LENGTH and not any(c.isdigit() for c in token)
    } - frame_words()


@cache
def frame_words() -> frozenset[str]:
    """Words of our export frames, in every paste and in no body: the default headers and
    footers and our own words (banner, "Sources", "reviewed by N professionals", the signed
    copy's lines, notices) in each language of the site and of the default frames, as the
    catalogues translate them, and the verify and key addresses signed parts name."""
    texts = [" ".join(ATTESTATION_LABELS), reverse("public:verify"), reverse("public:pgp_txt")]
    for frame in DEFAULT_FRAMES.values():
        texts += [frame.header, frame.footer, frame.footer_tor]
    for language in {code for code, _name in settings.LANGUAGES} | set(DEFAULT_FRAMES):
        with translation.override(language):
            texts += [translation.gettext(message) for message in OUR_WORDS]
            texts += [reviewers_phrase(1), reviewers_phrase(2)]
    return frozenset(
        word
        for text in texts
        for word in words(_PLACEHOLDER.sub(" ", text))
        if MIN_LENGTH <= len(word) <= MAX_LENGTH
    )


def revision_texts(revision: Revision) -> list[str]:
    """What readers see of a revision, field by field: title, summary, body, source titles."""
    fields = [revision.title, revision.summary, revision.body]
    return fields + [str(source.get("title", "")) for source in revision.sources]


def words_of(revision: Revision) -> list[PublicWord]:
    """The index rows of one revision (unsaved)."""
    found: set[str] = set()
    for text in revision_texts(revision):
        found |= indexed(words(text))
    return [PublicWord(revision_id=revision.pk, word=word) for word in sorted(found)]


def index(revision: Revision) -> None:
    """Record the words of a revision readers can now see (again: nothing is written twice)."""
    PublicWord.objects.bulk_create(words_of(revision), ignore_conflicts=True)
