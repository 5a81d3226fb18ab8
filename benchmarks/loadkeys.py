"""A signing key for one bench_load.py run, and the two pastes its verify rows send.

Import it only after `django.setup()` with the benchmark's settings. seed_load makes no signing
key, so `run_key()` generates an ed25519 key (content.exporters.signing.generate_key) in the
run's temporary key store, the GNUPG_HOME the benchmark server is started with, and records it as
the one current SigningKey, without an audit event; on leaving, the row is deleted and the key
store's gpg-agent stopped (bench_load.py removes the directory). The site then looks as it does
in production: /healthz and /pgp/ read a key store that holds a key in use, and the verify page
can answer "good" to a clear-signed export.

`signed_part()` exports the post's published revision through content.exports (document_for,
settings_for) with the plain-text profile made to sign with that key, without the audit event of
a final export; `unsigned_paragraph()` is a paragraph of a post's published body.

Which post the unsigned paragraph comes from matters on seeded data: seed_load writes every body
from one small vocabulary, so every revision holds the paste's longest words and the verify
page's prefilter (content.verification._prefilter: those words, then the newest revisions)
finds only the newest public revisions. `newest_published_post()` is therefore the one whose
paragraph is matched; any other is answered "unsigned" without a match after the same scan.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from content import exports
from content.exporters import export
from content.exporters.signing import Signer, generate_key, list_keys
from content.models import ExportProfile, Post, SigningKey
from content.verification import Result, check_text

KEY_LABEL = "bench_load run key"
KEY_EXPIRES = "1d"
PROFILE_FORMAT = "plaintext"
MIN_PARAGRAPH_WORDS = 40
MAX_PARAGRAPH_CHARS = 2_000


@contextlib.contextmanager
def run_key(gnupghome: Path) -> Iterator[SigningKey]:
    """A current signing key in `gnupghome` and in the database, for the run only."""
    # A run that was killed leaves its row behind, naming a key store that is gone.
    SigningKey.objects.filter(label=KEY_LABEL).delete()
    fingerprint = generate_key(
        gnupghome, name="bench_load", email="bench-load@example.invalid", expire=KEY_EXPIRES
    )
    info = next(k for k in list_keys(gnupghome, secret=True) if k.fingerprint == fingerprint)
    key = SigningKey.objects.create(
        fingerprint=fingerprint, label=KEY_LABEL, uids=list(info.uids), expires=info.expires
    )
    try:
        yield key
    finally:
        SigningKey.objects.filter(pk=key.pk).delete()
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(  # noqa: S603 - a fixed program and our own arguments
                ["gpgconf", "--homedir", str(gnupghome), "--kill", "gpg-agent"],  # noqa: S607
                check=False,
                capture_output=True,
                timeout=10,
            )


def signed_part(post: Post, key: SigningKey, gnupghome: Path) -> str:
    """The first clear-signed part of the post's final export in the plain-text profile."""
    profile = ExportProfile.objects.filter(format=PROFILE_FORMAT).order_by("pk").first()
    if profile is None:
        raise RuntimeError("No plain-text export profile: the database was not seeded.")
    revision = post.expect_published_revision()
    document = exports.document_for(post, revision, final=True)
    settings = replace(exports.settings_for(profile, final=True), sign=True)
    result = export(document, settings, signer=Signer(str(gnupghome), key.fingerprint))
    if not result.signed:
        raise RuntimeError("The export was not signed.")
    return result.parts[0]


def newest_published_post() -> Post:
    """The post whose published revision is the newest: its words are matched (see above)."""
    post = (
        Post.objects.filter(published_revision__isnull=False)
        .select_related("language", "published_revision")
        .order_by("-published_revision_id")
        .first()
    )
    if post is None:
        raise RuntimeError("No published post: the database was not seeded.")
    return post


def unsigned_paragraph(post: Post) -> str:
    """The longest paragraph of the published body with enough words to match, as a reader
    would copy it from the post page (at most MAX_PARAGRAPH_CHARS)."""
    body = post.expect_published_revision().body
    paragraphs = [p.strip() for p in body.split("\n\n") if len(p.split()) >= MIN_PARAGRAPH_WORDS]
    if not paragraphs:
        raise RuntimeError(f"No paragraph of {MIN_PARAGRAPH_WORDS} words in post {post.slug}.")
    fitting = [p for p in paragraphs if len(p) <= MAX_PARAGRAPH_CHARS] or [
        paragraphs[0][:MAX_PARAGRAPH_CHARS]
    ]
    return max(fitting, key=len)


def describe(result: Result) -> str:
    """The verify page's answer in a few words, to check each paste is answered as intended."""
    found = result.verdict.value
    if result.match is not None:
        match = result.match
        found += f", {match.standing.value} v{match.revision.number} of {match.post.slug}"
        if match.similarity is not None:
            found += f" ({match.similarity:.0%} of the words)"
    return found


def answer(paste: str) -> str:
    return describe(check_text(paste))
