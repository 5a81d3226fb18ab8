"""Header and footer templates of an export profile: validation and filling.

Templates use `{name}` placeholders from a fixed list. Anything else (an unknown name, attribute
or index access, a conversion or format spec) is refused, so a template can never reach into an
object or show a field the document type does not offer.
"""

from __future__ import annotations

from string import Formatter

from content.exporters.base import ExportDocument, ExportError

PLACEHOLDERS = (
    "title", "version", "published", "review_due", "hash", "url", "onion_url", "reviewers",
)  # fmt: skip

UNKNOWN_PLACEHOLDER = "Unknown placeholder {{{name}}} in the template; use only: {allowed}."
BAD_PLACEHOLDER = "The placeholder {{{name}}} may not have a conversion or format (!, :)."
MALFORMED_TEMPLATE = (
    "The template has an unmatched brace: {error}. Write {{{{ or }}}} for a literal brace."
)
NOT_PUBLISHED = "not published"
ADDRESS_NOT_SET = "(address not configured)"


class TemplateError(ExportError):
    """A header or footer template cannot be used; the message is shown on the profile form."""


def template_placeholders(template: str) -> list[str]:
    """The placeholder names used in `template`; raises TemplateError if any is not allowed."""
    try:
        fields = list(Formatter().parse(template))
    except ValueError as error:
        raise TemplateError(MALFORMED_TEMPLATE.format(error=error)) from error
    names = []
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            raise TemplateError(UNKNOWN_PLACEHOLDER.format(name=name, allowed=allowed))
        if spec or conversion:
            raise TemplateError(BAD_PLACEHOLDER.format(name=name))
        names.append(name)
    return names


def validate_template(template: str) -> None:
    """For editors' forms: raise TemplateError with a readable message, or return None."""
    template_placeholders(template)


def reviewers_phrase(approvals: int) -> str:
    noun = "professional" if approvals == 1 else "professionals"
    return f"reviewed by {approvals} {noun}"


def template_values(document: ExportDocument) -> dict[str, str]:
    return {
        "title": document.title,
        "version": str(document.version),
        "published": document.published_on.isoformat() if document.published_on else NOT_PUBLISHED,
        "review_due": document.review_due.isoformat() if document.review_due else "",
        "hash": document.content_hash,
        "url": document.canonical_url or ADDRESS_NOT_SET,
        "onion_url": document.onion_url or ADDRESS_NOT_SET,
        "reviewers": reviewers_phrase(document.approvals),
    }


def render_template(template: str, document: ExportDocument) -> str:
    validate_template(template)
    return template.format_map(template_values(document)).strip("\n")
