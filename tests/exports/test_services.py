"""content.exports: what may be final, the audit trail, signing, Tor safety, the repost register."""

from __future__ import annotations

import datetime
import hashlib
import re
import subprocess

import pytest
from django.utils import timezone
from markdown_it import MarkdownIt

from content import exports, reposts, workflow
from content.exporters import DRAFT_BANNER, SigningError
from content.models import AuditEvent, Post, Repost
from content.revisions import Source, save_revision
from tests.support import ONION, SITE, content_of, key_record, profile, publish_latest

SEEDED = ["dread", "phpbb-tor", "phpbb", "xenforo", "reddit", "discourse", "plain-text"]


def gpg_verify(home: str, signed: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--verify"],
        input=signed.encode(),
        capture_output=True,
        check=False,
    )


def new_revision(post: Post, author, **changes) -> Post:
    save_revision(
        post=post,
        author=author,
        content=content_of(**changes),
        base_revision_id=Post.objects.get(pk=post.pk).latest_revision_id,
        change_note="internal: fixed the dose after Rik's remark",
    )
    return Post.objects.get(pk=post.pk)


def test_every_seeded_profile_exists(db) -> None:
    assert sorted(SEEDED) == sorted(p.slug for p in exports.ExportProfile.objects.all())


@pytest.mark.parametrize("slug", SEEDED)
def test_a_published_post_exports_as_final_with_an_audit_event(published, author, slug) -> None:
    outcome = exports.export_post(post=published, profile=profile(slug), actor=author, final=True)
    assert outcome.final and outcome.revision == published.published_revision
    assert all(DRAFT_BANNER not in part for part in outcome.parts)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.actor, event.post, event.revision) == (author, published, outcome.revision)
    assert event.details["profile"] == slug
    assert event.details["content_hash"] == outcome.revision.content_hash
    assert event.details["part_hashes"] == [
        hashlib.sha256(p.encode()).hexdigest() for p in outcome.parts
    ]


def test_the_header_says_how_many_professionals_reviewed_it(published, author) -> None:
    outcome = exports.export_post(
        post=published, profile=profile("phpbb"), actor=author, final=True
    )
    assert workflow.approvals(published.published_revision) == 1
    assert "reviewed by 1 professional" in outcome.parts[0]
    assert f"{published.published_revision.content_hash}" in outcome.parts[0]


def test_a_draft_cannot_export_as_final_and_nothing_is_audited(post, author) -> None:
    with pytest.raises(exports.NotExportable, match="no published text"):
        exports.export_post(post=post, profile=profile("phpbb"), actor=author, final=True)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_a_preview_is_marked_draft_and_never_signed_even_by_a_signing_profile(
    post, author, signed_profile
) -> None:
    outcome = exports.export_post(post=post, profile=signed_profile, actor=author, final=False)
    assert not outcome.final and not outcome.result.signed
    assert all(DRAFT_BANNER in part for part in outcome.parts)
    assert all("BEGIN PGP" not in part for part in outcome.parts)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_a_newer_draft_previews_the_draft_but_final_is_still_the_published_text(
    published, author
) -> None:
    post = new_revision(published, author, title="Ketamine and your bladder, updated")
    preview = exports.export_post(post=post, profile=profile("reddit"), actor=author, final=False)
    final = exports.export_post(post=post, profile=profile("reddit"), actor=author, final=True)
    assert "updated" in preview.parts[0] and "updated" not in final.parts[0]
    assert final.revision.number == 1 and preview.revision.number == 2


def test_an_overdue_review_exports_only_as_preview(published, author, monkeypatch) -> None:
    later = published.review_due + datetime.timedelta(days=1)
    monkeypatch.setattr(exports.timezone, "localdate", lambda *args: later)
    with pytest.raises(exports.NotExportable, match="overdue"):
        exports.export_post(post=published, profile=profile("phpbb"), actor=author, final=True)


def test_a_withdrawn_post_exports_only_as_preview(published, author, editor) -> None:
    workflow.withdraw(post=published, actor=editor, reason="Dose advice wrong")
    post = Post.objects.get(pk=published.pk)
    with pytest.raises(exports.NotExportable, match="withdrawn"):
        exports.export_post(post=post, profile=profile("phpbb"), actor=author, final=True)


def test_no_export_carries_names_emails_change_notes_or_review_reasons(
    author, reviewer, english
) -> None:
    author.first_name, author.last_name, author.email = "Annabel", "Jansen", "anna@team.example"
    author.save()
    reviewer.email = "rik@team.example"
    reviewer.save()
    from content.revisions import create_post

    post = create_post(
        author=author,
        language=english,
        kind="article",
        content=content_of(),
        change_note="NOTE-internal do not publish",
    )
    post = workflow.submit_for_review(post=post, actor=author)
    workflow.request_changes(
        post=post, actor=reviewer, revision_id=post.latest_revision_id, reason="REASON-secret"
    )
    post = new_revision(post, author, summary="Why frequent use hurts the bladder.")
    post = publish_latest(post, author=author, reviewer=reviewer)
    forbidden = ["Annabel", "Jansen", "anna@", "rik@", "NOTE-internal", "REASON-secret",
                 "internal:", author.username, reviewer.username]  # fmt: skip
    for slug in SEEDED:
        outcome = exports.export_post(post=post, profile=profile(slug), actor=author, final=True)
        text = "\n".join(outcome.parts)
        for word in forbidden:
            assert word not in text, (slug, word)


CLEARNET_URL = re.compile(r"https?://([^/\s\]\)>\"']+)", re.IGNORECASE)


@pytest.mark.parametrize("slug", ["dread", "phpbb-tor"])
def test_tor_profiles_have_no_clear_net_url_to_fetch(author, reviewer, english, slug) -> None:
    from content.revisions import create_post

    body = (
        "See [the study](https://pubmed.example.org/1), ![a pill](https://img.example.org/p.jpg)"
        " and [our page](/en/other/) or <https://tracker.example.com/x>."
    )
    other = create_post(
        author=author, language=english, kind="article", content=content_of(), slug="other"
    )
    publish_latest(other, author=author, reviewer=reviewer)  # our link must lead somewhere
    post = create_post(
        author=author,
        language=english,
        kind="article",
        content=content_of(body=body, sources=(Source("EUDA", "https://www.euda.europa.eu/"),)),
    )
    post = publish_latest(post, author=author, reviewer=reviewer)
    text = "\n".join(
        exports.export_post(post=post, profile=profile(slug), actor=author, final=True).parts
    )
    hosts = CLEARNET_URL.findall(text)
    assert hosts and all(host.endswith(".onion") for host in hosts), hosts
    assert "[img" not in text.lower() and "![" not in text
    assert f"{ONION}/en/other/" in text
    if slug == "dread":
        tokens = MarkdownIt("commonmark").parse(text)
        for token in tokens:
            for child in token.children or []:
                assert child.type != "image"
                if child.type == "link_open":
                    assert ".onion" in child.attrGet("href")


def test_a_signed_final_export_verifies_with_gpg(published, author, signed_profile, gpg_keys):
    outcome = exports.export_post(post=published, profile=signed_profile, actor=author, final=True)
    assert outcome.result.signed
    for part in outcome.parts:
        checked = gpg_verify(gpg_keys.home, part)
        assert checked.returncode == 0, checked.stderr
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert event.details["signed"] is True


def test_an_expired_key_gives_a_clear_error_and_no_export(
    published, author, gpg_keys, signed_profile
) -> None:
    signed_profile.signing_key = key_record(gpg_keys.home, gpg_keys.expired, "Old key")
    signed_profile.save()
    with pytest.raises(SigningError, match="expired"):
        exports.export_post(post=published, profile=signed_profile, actor=author, final=True)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_a_key_missing_from_the_key_store_gives_a_clear_error(
    published, author, signed_profile
) -> None:
    key = signed_profile.signing_key
    key.fingerprint = "0" * 40
    key.save()
    with pytest.raises(SigningError, match="No secret key"):
        exports.export_post(post=published, profile=signed_profile, actor=author, final=True)


# --- The repost register ------------------------------------------------------------------------


def record(post: Post, actor, slug: str = "dread", where: str = "http://dread.onion/d/hr/1"):
    return reposts.record_repost(
        post=post,
        profile=profile(slug),
        actor=actor,
        where=where,
        posted_on=timezone.localdate(),
    )


def test_a_repost_records_the_published_revision_and_is_audited(published, author) -> None:
    repost = record(published, author)
    assert repost.revision == published.published_revision
    assert not Repost.objects.outdated().exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.REPOST_RECORDED)
    assert event.details["where"] == "http://dread.onion/d/hr/1"


def test_a_draft_cannot_be_recorded_as_reposted(post, author) -> None:
    with pytest.raises(exports.NotExportable):
        record(post, author)


def test_a_repost_date_in_the_future_is_refused(published, author) -> None:
    with pytest.raises(exports.ExportError, match="future"):
        reposts.record_repost(
            post=published,
            profile=profile("reddit"),
            actor=author,
            where="r/harmreduction",
            posted_on=timezone.localdate() + datetime.timedelta(days=2),
        )


def test_a_newer_publication_makes_reposts_outdated_until_replaced(
    published, author, reviewer
) -> None:
    old = record(published, author)
    post = new_revision(published, author, title="Ketamine and your bladder (2027)")
    assert not Repost.objects.outdated().exists()  # a newer draft changes nothing yet
    post = publish_latest(post, author=author, reviewer=reviewer)
    assert list(Repost.objects.outdated()) == [old]
    replacement = exports.export_post(post=post, profile=old.profile, actor=author, final=True)
    assert "(2027)" in replacement.parts[0]
    new = reposts.record_repost(
        post=post,
        profile=old.profile,
        actor=author,
        where=old.where,
        posted_on=timezone.localdate(),
        replaces=old,
    )
    assert not Repost.objects.outdated().exists()
    assert Repost.objects.get(pk=old.pk).superseded_by == new


def test_a_withdrawal_makes_reposts_outdated_with_a_notice_in_the_forum_format(
    published, author, editor
) -> None:
    old = record(published, author, slug="phpbb-tor", where="Tor forum X")
    workflow.withdraw(post=published, actor=editor, reason="REASON-internal wrong dose")
    old = Repost.objects.outdated().select_related("post", "revision", "profile").get()
    notice = exports.withdrawal_notice(repost=old, actor=author)
    text = "\n".join(notice.parts)
    assert "[b]Withdrawn" in text or "Withdrawn:" in text
    assert "REASON-internal" not in text and DRAFT_BANNER not in text
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, details__withdrawal_notice=True
    ).exists()
    reposts.record_notice_posted(repost=old, actor=author, posted_on=timezone.localdate())
    assert not Repost.objects.outdated().exists()


@pytest.mark.parametrize("slug", ["dread", "phpbb-tor", "phpbb", "discourse"])
def test_our_own_links_stay_links_only_to_public_pages_that_exist(
    author, reviewer, editor, english, slug
) -> None:
    from content.revisions import create_post

    live = publish_latest(
        create_post(author=author, language=english, kind="article", content=content_of(),
                    slug="live"),
        author=author, reviewer=reviewer,
    )  # fmt: skip
    gone = publish_latest(
        create_post(author=author, language=english, kind="article", content=content_of(),
                    slug="gone"),
        author=author, reviewer=reviewer,
    )  # fmt: skip
    workflow.withdraw(post=gone, actor=editor, reason="wrong")
    body = (
        "Read [the live post](/en/live/), [the feed](/en/feed/), [the key](/pgp.txt), "
        "[a withdrawn post](/en/gone/), [a missing post](/en/nowhere/), "
        "[the studio](/studio/posts/1/) and [the admin](/admin/)."
    )
    post = publish_latest(
        create_post(author=author, language=english, kind="article",
                    content=content_of(body=body)),
        author=author, reviewer=reviewer,
    )  # fmt: skip
    exported = exports.export_post(post=post, profile=profile(slug), actor=author, final=True)
    text = "\n".join(exported.parts)
    home = ONION if exported.profile.tor else SITE
    for kept in (live.get_public_url(), "/en/feed/", "/pgp.txt"):
        assert f"{home}{kept}" in text, kept
    for dropped in ("/en/gone/", "/en/nowhere/", "/studio/", "/admin/"):
        assert dropped not in text, dropped
    for label in ("a withdrawn post", "a missing post", "the studio", "the admin"):
        assert label in text
