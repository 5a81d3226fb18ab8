"""One export profile as the exporters read it, checked against the registry of formats.

It lives above `registry` (which imports every format module, which import `base`), so that
validating a format needs no import inside a function. Formats and their dialects are declared
by the exporter classes themselves and collected in `content.exporters.registry`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from content.exporters.base import UNKNOWN_FORMAT, ExportError
from content.exporters.registry import EXPORTERS

LINK_POLICIES = ("keep", "onion_internal", "plain_text", "references")
IMAGE_POLICIES = ("drop", "link")

UNKNOWN_DIALECT = gettext_lazy(
    "Format {format!r} has no dialect {value!r}; choose one of: {choices}."
)
UNKNOWN_LINK_POLICY = gettext_lazy("Unknown link policy {value!r}; choose one of: {choices}.")
UNKNOWN_IMAGE_POLICY = gettext_lazy("Unknown image policy {value!r}; choose one of: {choices}.")
BAD_MAX_LENGTH = gettext_lazy(
    "The maximum length must be a positive number of characters, not {value!r}."
)


@dataclass(frozen=True)
class ExportSettings:
    """One export profile, already read from the database."""

    format: str = "bbcode"
    dialect: str = "phpbb3"
    max_length: int | None = None
    link_policy: str = "keep"
    image_policy: str = "link"
    tor: bool = False
    header_template: str = ""
    footer_template: str = ""
    sign: bool = False

    def __post_init__(self) -> None:
        _check_choice(self.format, tuple(EXPORTERS), UNKNOWN_FORMAT)
        dialects = tuple(EXPORTERS[self.format].dialects)
        # A format without dialects ignores the dialect (the profile's field may be left over).
        if dialects and self.dialect not in dialects:
            raise ExportError(
                UNKNOWN_DIALECT.format(
                    format=self.format, value=self.dialect, choices=", ".join(dialects)
                )
            )
        _check_choice(self.link_policy, LINK_POLICIES, UNKNOWN_LINK_POLICY)
        _check_choice(self.image_policy, IMAGE_POLICIES, UNKNOWN_IMAGE_POLICY)
        if self.max_length is not None and (
            isinstance(self.max_length, bool) or self.max_length <= 0
        ):
            raise ExportError(BAD_MAX_LENGTH.format(value=self.max_length))


def _check_choice(value: str, choices: Sequence[str], message: StrOrPromise) -> None:
    if value not in choices:
        raise ExportError(message.format(value=value, choices=", ".join(choices)))
