"""Finding English words left on a page that should speak Dutch or French.

A page is parsed with html5lib (as a browser would); its visible text and the attributes a
person reads or hears (title, aria-label, placeholder, alt, a button's value) are compared with
the catalogue of the page's language: a message whose translation differs from its English
source must not appear in English. Text inside <script>, <style>, elements marked
`data-user-content` and elements in a third language (a post shown in its own language, marked
with `lang`) is not the interface's and is skipped; an element marked English is read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import polib

LOCALE = Path(__file__).resolve().parent.parent / "content" / "locale"
NS = "{http://www.w3.org/1999/xhtml}"
SKIPPED = {f"{NS}script", f"{NS}style", f"{NS}template"}
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%[sd]|\{[a-z_]*\}")
# Shorter messages are only compared with whole texts ("Save" is no finding in "Saved").
MIN_WORDS_INSIDE = 3


def normal(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def english_messages(language: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The English messages the `language` catalogue translates into something else: plain
    ones, and patterns for those with placeholders."""
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in po.translated_entries():
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for source in sources:
            text = normal(re.sub(r"<[^>]+>", " ", source))  # markup in a message: its words
            if not text or text in {normal(t) for t in targets}:
                continue  # the same word in both languages ("Atom", "Export")
            if PLACEHOLDER.search(text):
                fixed = PLACEHOLDER.split(text)
                if sum(len(part.strip()) for part in fixed) >= 12:  # not "%(a)s of %(b)s"
                    patterns.append(re.compile(".+?".join(re.escape(part) for part in fixed)))
            else:
                plain.add(text)
    return frozenset(plain), tuple(patterns)


def _texts(element: Element, language: str, inherited: str) -> Iterator[str]:
    if element.tag in SKIPPED:
        return
    own = element.get("lang", inherited) or inherited
    if element.get("data-user-content") is not None or own.split("-")[0] not in (language, "en"):
        return  # a person's text, or another language's: not the interface's
    # lang="en" hides nothing: English words marked as English are still English words.
    for name in READ_ATTRIBUTES:
        if element.get(name):
            yield element.get(name, "")
    if element.tag == f"{NS}input" and element.get("type") in ("submit", "button", "reset"):
        yield element.get("value", "")
    if element.text:
        yield element.text
    for child in element:
        yield from _texts(child, language, own)
        if child.tail:
            yield child.tail


def visible_texts(page: str, language: str) -> list[str]:
    """The texts of `page` a person reads in `language` (its text nodes and read attributes)."""
    document = html5lib.parse(page, namespaceHTMLElements=True)
    root_language = document.get("lang", language)
    return [normal(t) for t in _texts(document, language, root_language) if normal(t)]


def english_left(page: str, language: str) -> list[str]:
    """The English messages found on `page`, which should speak `language` (nl or fr)."""
    plain, patterns = english_messages(language)
    found = []
    texts = visible_texts(page, language) if "<" in page else [normal(page)]
    for text in texts:
        if text in plain:
            found.append(text)
            continue
        found += [
            message
            for message in plain
            if len(message.split()) >= MIN_WORDS_INSIDE and message in text
        ]
        found += [text for pattern in patterns if pattern.search(text)]
    return sorted(set(found))


def english_left_in_text(text: str, language: str) -> list[str]:
    """As english_left, for a plain text (a mail), read as lines."""
    plain, patterns = english_messages(language)
    found = []
    for line in filter(None, (normal(line) for line in text.splitlines())):
        if line in plain:
            found.append(line)
        found += [m for m in plain if len(m.split()) >= MIN_WORDS_INSIDE and m in line]
        found += [line for pattern in patterns if pattern.search(line)]
    return sorted(set(found))
