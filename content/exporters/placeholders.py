"""Header and footer templates of an export profile: validation and filling.

Templates use `{name}` placeholders from a fixed list. Anything else (an unknown name, attribute
or index access, a conversion or format spec) is refused, so a template can never reach into an
object or show a field the document type does not offer.

A placeholder without a value is never printed blank. {published} and {review_due} have no value
on a draft preview or a withdrawal notice (nothing is due for review); the phrase holding such a
placeholder is left out, with its punctuation:

- A line is cut into phrases at ". ", "; ", ", " (and a final ".", ";" or ","), and at "|",
  "·", "-" or a dash between spaces. The template's own text is cut, never a value, so a title
  with a comma in it is safe.
- A phrase with a placeholder that has no value is left out. Between the phrases that stay, the
  strongest of the separators they had between them is kept (". " over "; " over ", "), so
  "Published {published}, next review {review_due}. Check: {url}" becomes "Published
  2026-10-01. Check: ..." on a notice and "Check: ..." on a draft; a phrase that now starts
  a sentence gets a capital letter.
- A bracketed group "( ... )" or "[ ... ]" is cut the same way inside; a group left with
  nothing in it is left out with its brackets.
- A line left with nothing is left out. Placeholders that always have a value (title, version,
  hash, reviewers) are never dropped; {url} and {onion_url} show ADDRESS_NOT_SET on a preview
  when the address is not configured, and a final export is refused instead (content.exports).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from string import Formatter

from django.utils.translation import gettext_noop, ngettext

from content.exporters.base import ExportDocument, ExportError
from content.exporters.wording import in_export_language, ours

PLACEHOLDERS = (
    "title", "version", "published", "review_due", "hash", "url", "onion_url", "reviewers",
)  # fmt: skip

UNKNOWN_PLACEHOLDER = "Unknown placeholder {{{name}}} in the template; use only: {allowed}."
BAD_PLACEHOLDER = "The placeholder {{{name}}} may not have a conversion or format (!, :)."
MALFORMED_TEMPLATE = (
    "The template has an unmatched brace: {error}. Write {{{{ or }}}} for a literal brace."
)
ADDRESS_NOT_SET = gettext_noop("(address not configured)")  # in the post's language


class TemplateError(ExportError):
    """A header or footer template cannot be used; the message is shown on the profile form."""


def template_placeholders(template: str) -> list[str]:
    """The placeholder names used in `template`; raises TemplateError if any is not allowed."""
    names = []
    for _literal, name, spec, conversion in _parse(template):
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise TemplateError(UNKNOWN_PLACEHOLDER.format(name=name, allowed=allowed))
        if spec or conversion:
            raise TemplateError(BAD_PLACEHOLDER.format(name=name))
        names.append(name)
    return names


def _parse(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(Formatter().parse(template))
    except ValueError as error:
        raise TemplateError(MALFORMED_TEMPLATE.format(error=error)) from error


def validate_template(template: str) -> None:
    """For editors' forms: raise TemplateError with a readable message, or return None."""
    template_placeholders(template)


def reviewers_phrase(approvals: int) -> str:
    """The {reviewers} phrase in the post's language (content.exporters.wording)."""
    with in_export_language():
        phrase = ngettext(
            "reviewed by %(count)d professional", "reviewed by %(count)d professionals", approvals
        )
    return phrase % {"count": approvals}


def template_values(document: ExportDocument) -> dict[str, str]:
    """Each placeholder's text; "" means it has no value and its phrase is left out."""
    return {
        "title": document.title,
        "version": str(document.version),
        "published": document.published_on.isoformat() if document.published_on else "",
        "review_due": document.review_due.isoformat() if document.review_due else "",
        "hash": document.content_hash,
        "url": document.canonical_url or ours(ADDRESS_NOT_SET),
        "onion_url": document.onion_url or ours(ADDRESS_NOT_SET),
        "reviewers": reviewers_phrase(document.approvals),
    }


def render_template(template: str, document: ExportDocument) -> str:
    validate_template(template)
    return fill(template, template_values(document))


def fill(template: str, values: dict[str, str]) -> str:
    """The template with its placeholders filled, leaving out phrases whose value is ""."""
    out = []
    for items in _lines(template):
        if not items:
            out.append("")
            continue
        text = _render_seq(_tree(_tokens(items)), values, top=True)
        if text.strip() or not any(isinstance(item, _Field) for item in items):
            out.append(text.rstrip())
    return "\n".join(out).strip("\n")


# --- The phrase tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    name: str


@dataclass(frozen=True)
class _Sep:
    text: str

    @property
    def strength(self) -> int:
        return {".": 3, ";": 2}.get(self.text.strip()[:1], 1)


@dataclass(frozen=True)
class _Group:
    open: str
    seq: _Seq
    close: str


@dataclass(frozen=True)
class _Seq:
    phrases: list[list[str | _Field | _Group]]
    seps: list[_Sep]  # seps[i] stands between phrases[i] and phrases[i + 1]


_SEPARATOR = re.compile(r"[.;,](?=\s|$)\s*|\s+[|·\-\u2013\u2014]\s+")
_BRACKETS = {"(": ")", "[": "]"}
Token = str | _Field | _Sep | tuple[str, int]  # ("(", index of its match) for a bracket


def _lines(template: str) -> list[list[str | _Field]]:
    lines: list[list[str | _Field]] = [[]]
    for literal, name, _spec, _conversion in _parse(template):
        for index, piece in enumerate(literal.split("\n")):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(piece)
        if name is not None:
            lines[-1].append(_Field(name))
    return lines


def _tokens(items: list[str | _Field]) -> list[Token]:
    """Literal text cut into text, separators and brackets; unmatched brackets stay text."""
    raw: list[str | _Field | _Sep] = []
    for item in items:
        if isinstance(item, _Field):
            raw.append(item)
            continue
        position = 0
        for match in _SEPARATOR.finditer(item):
            raw.extend(_split_brackets(item[position : match.start()]))
            raw.append(_Sep(match.group()))
            position = match.end()
        raw.extend(_split_brackets(item[position:]))
    tokens: list[Token] = list(raw)
    stack: list[int] = []
    for index, token in enumerate(raw):
        if isinstance(token, str) and token in _BRACKETS:
            stack.append(index)
        elif (
            isinstance(token, str)
            and token in _BRACKETS.values()
            and stack
            and _BRACKETS[str(raw[stack[-1]])] == token
        ):
            start = stack.pop()
            tokens[start] = (str(raw[start]), index)
    for start in stack:  # never closed: plain text
        tokens[start] = str(raw[start])
    return tokens


def _split_brackets(text: str) -> list[str]:
    return [piece for piece in re.split(r"([()\[\]])", text) if piece]


def _tree(tokens: list[Token], start: int = 0, end: int | None = None) -> _Seq:
    end = len(tokens) if end is None else end
    seq = _Seq(phrases=[[]], seps=[])
    index = start
    while index < end:
        token = tokens[index]
        if isinstance(token, _Sep):
            seq.seps.append(token)
            seq.phrases.append([])
        elif isinstance(token, tuple):
            opening, closing = token
            inner = _tree(tokens, index + 1, closing)
            seq.phrases[-1].append(_Group(opening, inner, str(tokens[closing])))
            index = closing
        else:
            seq.phrases[-1].append(token)
        index += 1
    return seq


def _render_seq(seq: _Seq, values: dict[str, str], *, top: bool = False) -> str:
    rendered = [_render_phrase(phrase, values) for phrase in seq.phrases]
    out, previous = "", None
    for index, text in enumerate(rendered):
        if text is None:
            continue
        if previous is None:
            starts_sentence = top
        else:
            between = seq.seps[previous:index]
            sep = max(between, key=lambda s: s.strength)
            out += sep.text
            starts_sentence = sep.strength == 3
        originally = index == 0 or seq.seps[index - 1].strength == 3
        if starts_sentence and not originally and _literal_start(seq.phrases[index]):
            text = text[:1].upper() + text[1:]
        out += text
        previous = index
    # A template ending in "." has an empty last phrase, always kept, so the "." stays.
    return out


def _literal_start(phrase: list[str | _Field | _Group]) -> bool:
    return bool(phrase) and isinstance(phrase[0], str) and phrase[0][:1].islower()


def _render_phrase(phrase: list[str | _Field | _Group], values: dict[str, str]) -> str | None:
    """The phrase's text, or None when it must be left out (a placeholder without a value)."""
    out = ""
    for node in phrase:
        if isinstance(node, _Field):
            value = values[node.name]
            if not value:
                return None
            out += value
        elif isinstance(node, _Group):
            inner = _render_seq(node.seq, values)
            if inner.strip():
                out += node.open + inner + node.close
            else:
                out = out.rstrip(" ")
        else:
            out += node
    had_text = any(not isinstance(n, str) or n.strip() for n in phrase)
    if had_text and not out.strip():
        return None
    return out
