"""Helpers the tests share (not fixtures): public addresses, keys on record, publishing,
the author form's data, and signed texts shaped as a signing export makes them.

Fixtures live in tests/conftest.py; these are plain functions and constants to import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from content import states
from content.exporters.signing import clearsign, list_keys
from content.models import ExportProfile, Language, Post, PostKind, Revision, SigningKey
from content.revisions import RevisionContent, Source, save_revision

PASSWORD = "correct horse battery staple"  # every test user's
PASSPHRASE = "correct horse battery staple"  # the protected key's in the session key store
SITE = "https://hr.example.org"
EXPOSED = "ketamine-and-anna-janssens-test"  # the address a name typed into a title makes
ONION = "http://hrexamplexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"


@dataclass(frozen=True)
class Keys:
    """A key store and the fingerprints of its secret keys."""

    home: str
    team: str  # no passphrase
    expired: str
    protected: str = ""  # unlocked with PASSPHRASE


def key_record(home: str, fingerprint: str, label: str) -> SigningKey:
    info = next(k for k in list_keys(home, secret=True) if k.fingerprint == fingerprint)
    return SigningKey.objects.create(
        fingerprint=fingerprint, label=label, uids=list(info.uids), expires=info.expires
    )


def profile(slug: str) -> ExportProfile:
    return ExportProfile.objects.get(slug=slug)


def profile_admin_data(record: ExportProfile) -> dict[str, Any]:
    """The admin change form of an export profile as an editor submits it unchanged: its
    fields and its frames per language (the inline formset "frames")."""
    values = {
        field: getattr(record, field)
        for field in ("name", "slug", "format", "dialect", "max_length", "link_policy",
                      "image_policy", "header_template", "footer_template",
                      "interaction_min_level")
    } | {"signing_key": record.signing_key_id or ""}  # fmt: skip
    values |= {flag: "on" for flag in ("tor", "sign", "active") if getattr(record, flag)}
    values = {name: "" if value is None else value for name, value in values.items()}
    frames = list(record.frames.select_related("language").order_by("language__code"))
    values |= {"frames-TOTAL_FORMS": len(frames), "frames-INITIAL_FORMS": len(frames),
               "frames-MIN_NUM_FORMS": 0, "frames-MAX_NUM_FORMS": 1000}  # fmt: skip
    for index, frame in enumerate(frames):
        values |= {
            f"frames-{index}-id": frame.pk,
            f"frames-{index}-profile": record.pk,
            f"frames-{index}-language": frame.language_id,
            f"frames-{index}-header_template": frame.header_template,
            f"frames-{index}-footer_template": frame.footer_template,
        }
    return values


def publish_latest(post: Post, *, author: Any, reviewer: Any) -> Post:
    """Through the real workflow (content.states): `author` submits, `reviewer` approves,
    `author` publishes."""
    return states.publish_latest(post, author=author, reviewers=[reviewer])


def content_of(**changes: Any) -> RevisionContent:
    values: dict[str, Any] = {
        "title": "Ketamine and your bladder",
        "summary": "Why frequent use hurts.",
        "body": "Frequent use can **damage** the bladder.\n\n- Take breaks\n- See a doctor",
        "sources": (Source("EUDA drug profile", "https://www.euda.europa.eu/", "2026-10-01"),),
        "substances": ("ketamine",),
        "topics": ("safer use",),
    }
    values.update(changes)
    return RevisionContent(**values)


# The "Alert facts" fieldset of the post form, filled in as a new drug alert needs it.
ALERT_FORM_DATA: dict[str, str] = {
    "alert-sold_as": "Ecstasy (orange Tesla)",
    "alert-colour": "orange",
    "alert-logo": "Tesla",
    "alert-shape": "",
    "alert-weight_mg": "",
    "alert-photo": "",
    "alert-tested_on": "2026-11-20",
    "alert-tested_at": "Brussels",
    "alert-tested_by": "Drug checking service",
    "alert-severity": "high_dose",
    "alert-expires_on": "2027-02-20",
    "found-TOTAL_FORMS": "3",
    "found-INITIAL_FORMS": "0",
    "found-MIN_NUM_FORMS": "0",
    "found-MAX_NUM_FORMS": "20",
    "found-0-name": "MDMA",
    "found-0-amount": "240",
    "found-0-unit": "mg",
    "found-0-per": "pill",
    "found-1-name": "",
    "found-1-amount": "",
    "found-1-unit": "",
    "found-1-per": "",
    "found-2-name": "",
    "found-2-amount": "",
    "found-2-unit": "",
    "found-2-per": "",
}


def form_data(post: Post | None = None, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Ketamine and your bladder",
        "summary": "Why frequent use hurts.",
        "body": "Frequent use can **damage** the bladder.\n\n- Take breaks\n- See a doctor",
        "substances": "ketamine",
        "topics": "safer use",
        "change_note": "",
        "base_revision": post.latest_revision_id if post else "",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "50",
        "sources-0-title": "EUDA drug profile",
        "sources-0-url": "https://www.euda.europa.eu/",
        "sources-0-consulted": "2026-10-01",
        "sources-1-title": "",
        "sources-1-url": "",
        "sources-1-consulted": "",
    }
    if post is None:
        data |= {"language": Language.objects.get(code="nl").pk, "kind": PostKind.DRUG_ALERT}
        data |= ALERT_FORM_DATA  # a new drug alert states its facts (content.alert_rules)
    data.update(changes)
    return data


# --- An image as a phone saves it: what an upload must strip (tests/test_images.py) ---------

GPS_IFD = 0x8825


def jpeg_with_metadata() -> bytes:
    """A photo with a camera make and model, GPS position, XMP and a comment."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90 degrees
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 50.0, 30.0), 3: "E", 4: (4.0, 21.0, 5.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><secret>Brussels flat</secret></x:xmpmeta>'
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at home", xmp=xmp)
    return out.getvalue()


# --- Signed texts as a signing export makes them (see content.exporters.signed_copy) --------


def attested_text(post: Post, revision: Revision, *, status: str = "", labels: bool = True) -> str:
    """The plain text a signing export signs, ending in the contract's attestation lines
    (`labels=False`: an older export, whose footer quotes the content hash without labels)."""
    lines = [revision.title, "", revision.summary, "", revision.body, ""]
    if not labels:
        return "\n".join([*lines, f"Check this text (hash {revision.content_hash})"])
    lines += [f"Title: {revision.title}", f"Post: {post.language.code}/{post.slug}"]
    lines += [f"Version: {revision.number}"] + ([f"Status: {status}"] if status else [])
    lines += [f"Content hash: {revision.content_hash}", f"Verify: {SITE}/verify/"]
    return "\n".join([*lines, f"Public key: {SITE}/pgp.txt"])


def signed_attestation(
    keys: Keys, post: Post, revision: Revision | None = None, **options: Any
) -> str:
    revision = revision or Post.objects.get(pk=post.pk).published_revision
    return clearsign(keys.home, attested_text(post, revision, **options), fingerprint=keys.team)


def new_version(post: Post, author: Any, reviewer: Any, **changes: Any) -> Post:
    save_revision(
        post=post,
        author=author,
        content=content_of(**changes),
        base_revision_id=Post.objects.get(pk=post.pk).latest_revision_id,
    )
    return publish_latest(Post.objects.get(pk=post.pk), author=author, reviewer=reviewer)
