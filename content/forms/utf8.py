"""Text that arrived as invalid UTF-8 is refused with a message, never saved garbled.

Django decodes a form body with errors="replace", both application/x-www-form-urlencoded
(QueryDict) and multipart/form-data (MultiPartParser): each invalid byte sequence becomes U+FFFD
REPLACEMENT CHARACTER and the bytes themselves are gone before a form sees them. A form cannot
tell such a character from a typed "�", so both are refused: the character has no use in a post,
and the message says so. The form keeps everything that was sent, so the author fixes only
those characters.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

REPLACEMENT_CHARACTER = "\N{REPLACEMENT CHARACTER}"
# The message spells U+FFFD itself: translation tools read no \N{...} escapes.
ERROR_INVALID_UTF8 = gettext_lazy(
    "The text contains bytes that are not valid UTF-8, shown as �: "
    "retype or remove those characters. (A typed � is refused too: a "
    "post has no use for it.)"
)


def _sent_values(value: object) -> list[object]:
    # A multiple-choice widget sends a list; every other widget one value.
    return list(value) if isinstance(value, list | tuple) else [value]


class ValidUtf8Form(forms.Form):
    """A form none of whose fields accepts U+FFFD: it is what invalid UTF-8 was decoded to.

    The check reads what was sent rather than cleaned values, so it holds for every field,
    whatever its cleaning makes of the text (a list of tags, a URL).
    """

    def clean(self) -> dict[str, Any]:
        super().clean()
        for name, field in self.fields.items():
            if field.disabled:
                continue  # its value comes from the server, not from what was sent
            sent = _sent_values(self[name].data)
            if any(isinstance(value, str) and REPLACEMENT_CHARACTER in value for value in sent):
                self.add_error(name, ERROR_INVALID_UTF8)
        return self.cleaned_data
