"""The header and footer every installation starts with, in each language we write.

Migration 0006 gave the first profiles the English frame and migration 0024 the Dutch and French
ones (frozen copies of these texts); the demo profiles use them too (content.demo_data), and
/verify/ ignores their words when it matches a paste (content.public_words). Editors change them
per profile and language in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultFrame:
    header: str
    footer: str  # for clear-web forums: {url}
    footer_tor: str  # for Tor forums: {onion_url}


DEFAULT_FRAMES = {
    "en": DefaultFrame(
        header="{title} (version {version}, {reviewers})",
        footer="Published {published}, next review {review_due}. "
        "Check this text: {url} (hash {hash})",
        footer_tor="Published {published}, next review {review_due}. "
        "Check this text: {onion_url} (hash {hash})",
    ),
    "nl": DefaultFrame(
        header="{title} (versie {version}, {reviewers})",
        footer="Gepubliceerd op {published}, volgende beoordeling {review_due}. "
        "Controleer deze tekst: {url} (hash {hash})",
        footer_tor="Gepubliceerd op {published}, volgende beoordeling {review_due}. "
        "Controleer deze tekst: {onion_url} (hash {hash})",
    ),
    "fr": DefaultFrame(
        header="{title} (version {version}, {reviewers})",
        footer="Publié le {published}, prochaine relecture {review_due}. "
        "Vérifiez ce texte : {url} (empreinte {hash})",
        footer_tor="Publié le {published}, prochaine relecture {review_due}. "
        "Vérifiez ce texte : {onion_url} (empreinte {hash})",
    ),
}
