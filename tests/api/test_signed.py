"""The detail carries the signed text readers can copy (content.exports.reader_copies): the same
text and signature as a final export, in each signing profile, for a post in force only."""

from __future__ import annotations

import datetime

from django.utils import timezone

from content.exporters.signing import verify
from content.models import AuditEvent, Post, PublicVersion


def detail(client, post: Post):
    return client.get(f"/api/v1/posts/{post.language.code}/{post.slug}/")


def test_the_detail_gives_the_signed_copy_of_each_signing_profile(
    client, publish_post, export_settings, signed_profile, gpg_keys
):
    live = publish_post("Alert: strong pills")
    events = AuditEvent.objects.count()
    [signed] = detail(client, live).json()["signed"]
    assert (
        signed["profile"] == signed_profile.slug and signed["profile_name"] == signed_profile.name
    )
    assert signed["format"] == signed_profile.format and signed["parts"]
    for part in signed["parts"]:
        # The forum post around the clear-signed block a reader copies out and checks.
        start = part.index("-----BEGIN PGP SIGNED MESSAGE-----")
        end = part.index("-----END PGP SIGNATURE-----") + len("-----END PGP SIGNATURE-----")
        assert verify(gpg_keys.home, part[start:end] + "\n") == gpg_keys.team
    assert live.published_revision.content_hash in "".join(signed["parts"])
    assert AuditEvent.objects.count() == events  # handing out public text is not an export


def test_an_overdue_post_has_no_signed_copy(client, publish_post, export_settings, signed_profile):
    live = publish_post("Alert")
    Post.objects.filter(pk=live.pk).update(review_due=timezone.localdate() - datetime.timedelta(1))
    PublicVersion.bump()
    data = detail(client, live).json()
    assert data["overdue"] is True and data["signed"] == []
