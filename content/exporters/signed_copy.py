"""The signed copy: what a reader copies out of a forum post and checks with gpg or /verify/.

Forums reflow, escape and re-render markup, so a signature over BBCode or Markdown source cannot
be checked from the rendered post. Each part of a signing export therefore carries, under the
formatted text, a clear-signed *plain-text* copy of the same content in a code block, which every
forum shows verbatim. The copy ends with an attestation whose lines name the post, its version,
its dates, its content hash and where to check it; `content.verification` reads them back.

The text avoids lines that start with "-" where it can (bullets are "*", underlines "=" and "~"),
because a clear signature dash-escapes such lines ("- - item") and the copy should read cleanly.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, gettext_noop

from content.exporters.base import ExportDocument, ExportError
from content.exporters.defang import defang
from content.exporters.plaintext import PlainTextExporter
from content.exporters.policies import origin
from content.exporters.settings import ExportSettings
from content.exporters.wording import ours

INTRO = gettext_noop(
    "Signed copy of this text. Check it at {verify} or with gpg and our key from {key}:"
)
NO_ADDRESS = gettext_lazy(
    "Signed parts name the page where readers check them, but {setting} is not set. Set "
    "{setting} in the environment. Nothing was exported."
)


# The labels of attestation() below, in the order it writes them. They stay English in every
# language: content.clearsigned reads them back, and a reader's script may too.
ATTESTATION_LABELS = (
    "Title", "Post", "Version", "Part", "Status", "Published", "Review due", "Content hash",
    "Verify", "Public key",
)  # fmt: skip


class SignedTextExporter(PlainTextExporter):
    """Plain text for signing: no line starts with "-", links keep their address."""

    bullet = "* "
    underlines = {1: "=", 2: "~"}
    other_underline = "~"
    table_rule = "=+=", "="

    def link(self, href: str, label: str) -> str:
        if not href or label.strip() == href or href.startswith("#"):
            return label
        return f"{label} <{href}>"


def site_origin(document: ExportDocument, settings: ExportSettings) -> str:
    """Our site as a reader of this profile reaches it: the onion site on Tor forums."""
    if settings.tor:
        found, setting = origin(document.onion_url), "PUBLIC_ONION_URL"
    else:
        found, setting = origin(document.canonical_url), "PUBLIC_SITE_URL"
    if not found:
        raise ExportError(NO_ADDRESS.format(setting=setting))
    return found


def intro(document: ExportDocument, settings: ExportSettings) -> str:
    home = site_origin(document, settings)
    return ours(INTRO).format(verify=home + document.verify_path, key=home + document.key_path)


def attestation(
    document: ExportDocument, settings: ExportSettings, *, part: int, total: int
) -> str:
    """The lines that say what this signed text is. Lines without a value are left out."""
    home = site_origin(document, settings)
    title = " ".join(document.title.split())
    lines = [
        ("Title", defang(title) if settings.tor else title),
        ("Post", f"{document.language}/{document.slug}" if document.slug else ""),
        ("Version", str(document.version)),
        ("Part", f"{part} of {total}" if total > 1 else ""),
        ("Status", document.status),
        ("Published", document.published_on.isoformat() if document.published_on else ""),
        ("Review due", document.review_due.isoformat() if document.review_due else ""),
        ("Content hash", document.content_hash),
        ("Verify", home + document.verify_path),
        ("Public key", home + document.key_path),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)
