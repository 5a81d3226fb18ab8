"""content.verification: the signed block, gpg's verdict, which revision, unsigned matches."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from content import clearsigned, exports, public_words, verification, workflow
from content.addresses import change_slug
from content.clearsigned import find_armor
from content.exporters.signing import clearsign, generate_key
from content.models import Post, SigningKey
from content.revisions import RevisionContent, create_post, restore_revision, save_revision
from content.verification import Standing, Verdict, check_text
from tests.support import (
    Keys,
    attested_text,
    content_of,
    new_version,
    profile,
    publish_latest,
    signed_attestation,
)

pytestmark = pytest.mark.usefixtures("export_settings")


@pytest.fixture
def foreign_keys() -> Iterator[Keys]:
    """A key made in a key store of its own, which ours never sees."""
    home = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
    try:
        team = generate_key(home, name="Impostor", email="team@example.org")
        yield Keys(home=home, team=team, expired="")
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


# --- Finding the block (no database, no gpg) ----------------------------------------------------

BLOCK = (
    "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nHello\n- - item\n"
    "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n=BBBB\n-----END PGP SIGNATURE-----\n"
)


def test_the_block_is_found_with_its_signed_text_and_dash_escaping_undone() -> None:
    armor = find_armor(BLOCK)
    assert armor.block == BLOCK and armor.signed_text == "Hello\n- item"
    assert not armor.outside


@pytest.mark.parametrize(
    "paste",
    [
        "> " + BLOCK.replace("\n", "\n> "),
        "    " + BLOCK.replace("\n", "\n    "),
        BLOCK.replace("\n", "\r"),
        "\ufeff" + BLOCK.replace("\n", "   \r\n"),
    ],
    ids=["quoted", "indented", "cr-only", "bom-crlf-trailing-blanks"],
)
def test_quote_prefixes_indentation_and_old_mac_line_ends_are_undone(paste: str) -> None:
    assert find_armor(paste).block == BLOCK


@pytest.mark.parametrize("paste", ["Dose: 5 g\n" + BLOCK, BLOCK + "\nDose: 5 g\n"])
def test_text_before_or_after_the_block_is_outside_it(paste: str) -> None:
    armor = find_armor(paste)
    assert armor.block == BLOCK and armor.outside and "5 g" not in armor.signed_text


def test_text_on_the_begin_or_end_line_counts_as_outside_the_block() -> None:
    end = "-----END PGP SIGNATURE-----"
    armor = find_armor("[code]" + BLOCK.replace(end, end + "[/code]"))
    assert armor.block == BLOCK and armor.outside


@pytest.mark.parametrize(
    "paste",
    [
        BLOCK.split("-----END")[0],
        BLOCK.replace("Hash: SHA256", "Comment: Post: en/forged"),
        BLOCK.replace("- - item", "-item"),
    ],
    ids=["cut-off", "armor-header-other-than-hash", "unescaped-dash-line"],
)
def test_a_broken_block_has_no_signed_text(paste: str) -> None:
    armor = find_armor(paste)
    assert armor.started and not armor.signed_text


def test_the_attestation_lines_are_read_and_any_hash_is_kept_for_older_exports() -> None:
    digest = "ab" * 32
    fields = clearsigned.read_fields(
        f"Post: fr/ketamine-vessie\nVersion: 12\nStatus: withdrawn\nContent hash: {digest}\n"
    )
    assert (fields.language, fields.slug, fields.version) == ("fr", "ketamine-vessie", 12)
    assert fields.content_hash == digest and fields.withdrawal_notice
    old = clearsigned.read_fields(f"[i]Check it (hash {digest})[/i]")
    assert old.content_hash == "" and old.hashes == (digest,) and old.version is None


def test_markup_escapes_and_wrapping_do_not_change_the_words() -> None:
    bbcode = "[b]Don't[/b] mix\n[url=https://x.example/a]2C-B[/url] &amp; alcohol"
    markdown = "**Don\\'t** mix [2C\\-B](https://x.example/a)\n& alcohol"
    expected = ["don", "t", "mix", "x", "example", "a", "2c", "b", "alcohol"]
    assert verification.words(bbcode) == expected
    assert sorted(verification.words(bbcode)) == sorted(verification.words(markdown))


# --- gpg and our key store ----------------------------------------------------------------------


def test_a_good_signature_by_our_key_names_the_post_and_revision(published, team_key, gpg_keys):
    result = check_text(signed_attestation(gpg_keys, published))
    assert result.verdict == Verdict.GOOD and not result.outside_ignored
    assert result.key.fingerprint == gpg_keys.team and result.key.status == "current"
    assert result.match.revision == published.published_revision
    assert result.match.standing == Standing.CURRENT
    assert result.match.public_url == published.get_public_url()


def test_forum_damage_that_gpg_tolerates_still_verifies(published, team_key, gpg_keys):
    signed = signed_attestation(gpg_keys, published)
    stripped = "\n".join(line.rstrip() for line in signed.split("\n"))
    for paste in (signed.replace("\n", "\r\n"), stripped.rstrip("\n"), f"\n\n{signed}\n\n\n"):
        assert check_text(paste).verdict == Verdict.GOOD


def test_our_key_without_a_signing_key_row_is_not_us(published, gpg_keys):
    result = check_text(signed_attestation(gpg_keys, published))
    assert result.verdict == Verdict.NOT_OURS and result.match is None
    assert result.key.fingerprint == gpg_keys.team


def test_a_key_our_key_store_does_not_hold_is_not_us(published, team_key, foreign_keys):
    result = check_text(signed_attestation(foreign_keys, published))
    assert result.verdict == Verdict.NOT_OURS and result.match is None
    assert result.key.fingerprint == foreign_keys.team  # the signature names its key in full


def test_a_changed_signature_packet_is_bad_or_invalid_never_good(published, team_key, gpg_keys):
    signed = signed_attestation(gpg_keys, published)
    marker = "-----BEGIN PGP SIGNATURE-----\n\n"
    head, tail = signed.split(marker)
    broken = head + marker + ("B" if tail[0] != "B" else "C") + tail[1:]
    assert check_text(broken).verdict in {Verdict.BAD, Verdict.INVALID}


def test_one_character_changed_in_the_signed_text_is_a_bad_signature(published, team_key, gpg_keys):
    signed = signed_attestation(gpg_keys, published)
    assert signed.count("damage") == 1
    result = check_text(signed.replace("damage", "damagE"))
    assert result.verdict == Verdict.BAD and result.match is None and result.key is None


def test_a_retired_key_still_vouches_for_what_it_signed(published, team_key, gpg_keys):
    team_key.active = False
    team_key.save(update_fields=["active"])
    SigningKey.objects.filter(pk=team_key.pk).update(status=SigningKey.Status.RETIRED)
    result = check_text(signed_attestation(gpg_keys, published))
    assert result.verdict == Verdict.GOOD and result.key.status == "retired"
    assert not result.key.signed_after_retirement


def test_a_signature_made_after_its_key_was_retired_is_flagged(published, team_key, gpg_keys):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    SigningKey.objects.filter(pk=team_key.pk).update(
        status=SigningKey.Status.RETIRED, status_changed_at=yesterday
    )
    result = check_text(signed_attestation(gpg_keys, published))
    assert result.verdict == Verdict.GOOD and result.key.signed_after_retirement


def test_a_revoked_key_proves_nothing_and_falls_back_to_the_words(published, team_key, gpg_keys):
    SigningKey.objects.filter(pk=team_key.pk).update(status=SigningKey.Status.REVOKED)
    result = check_text(signed_attestation(gpg_keys, published))
    assert result.verdict == Verdict.REVOKED
    assert result.match.similarity is not None  # matched by its words, as an unsigned text


def test_gpg_that_cannot_run_is_reported_not_raised(published, team_key, gpg_keys, monkeypatch):
    def hang(*args: Any, **kwargs: Any) -> None:
        raise subprocess.TimeoutExpired(cmd="gpg", timeout=clearsigned.GPG_TIMEOUT_SECONDS)

    monkeypatch.setattr(clearsigned.subprocess, "run", hang)
    assert check_text(signed_attestation(gpg_keys, published)).verdict == Verdict.UNAVAILABLE


def test_gpg_is_given_at_most_ten_seconds(published, team_key, gpg_keys, monkeypatch):
    signed = signed_attestation(gpg_keys, published)
    real, calls = subprocess.run, []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(clearsigned.subprocess, "run", spy)
    assert check_text(signed).verdict == Verdict.GOOD  # the spy called through to gpg
    verifying = [kwargs for args, kwargs in calls if "--verify" in args[0]]
    assert clearsigned.GPG_TIMEOUT_SECONDS == 10
    assert [kwargs.get("timeout") for kwargs in verifying] == [clearsigned.GPG_TIMEOUT_SECONDS]


# --- Only the first complete signed block counts ------------------------------------------------


def test_of_two_signed_blocks_only_the_first_is_checked(
    published, team_key, gpg_keys, author, reviewer
):
    first = published.published_revision
    older = signed_attestation(gpg_keys, published)
    post = new_version(published, author, reviewer, body="Frequent use can badly damage it.")
    newer = signed_attestation(gpg_keys, post)
    assert post.published_revision.number == 2
    result = check_text(f"{older}\n{newer}")
    assert result.verdict == Verdict.GOOD and result.outside_ignored
    assert result.match.revision == first and result.match.standing == Standing.OUTDATED


def test_a_good_block_after_a_changed_one_does_not_make_it_good(published, team_key, gpg_keys):
    signed = signed_attestation(gpg_keys, published)
    changed = signed.replace("damage", "damagE")
    assert check_text(f"{changed}\n{signed}").verdict == Verdict.BAD
    assert check_text(f"{signed}\n{changed}").verdict == Verdict.GOOD


# --- Which revision, and where it stands --------------------------------------------------------


def test_an_older_export_is_found_by_the_content_hash_in_its_footer(published, team_key, gpg_keys):
    result = check_text(signed_attestation(gpg_keys, published, labels=False))
    assert result.verdict == Verdict.GOOD
    assert result.match.revision == published.published_revision


def test_a_restore_that_repeats_a_hash_is_told_apart_by_the_version(
    published, team_key, gpg_keys, author, reviewer
):
    first = published.published_revision
    new_version(published, author, reviewer, body="Second text.")
    restore_revision(
        post=published,
        revision=first,
        actor=author,
        base_revision_id=Post.objects.get(pk=published.pk).latest_revision_id,
    )
    post = publish_latest(Post.objects.get(pk=published.pk), author=author, reviewer=reviewer)
    third = post.published_revision
    assert (third.number, third.content_hash) == (3, first.content_hash)
    result = check_text(signed_attestation(gpg_keys, post, first))
    assert result.match.revision == first and result.match.standing == Standing.CURRENT
    assert result.match.published == third  # "the same text as version 3"


def test_a_signed_withdrawal_notice_says_so(published, team_key, gpg_keys, editor):
    signed = signed_attestation(gpg_keys, published, status="withdrawn")
    workflow.withdraw(post=published, actor=editor, reason="Internal: dose error")
    result = check_text(signed)
    assert result.match.withdrawal_notice and result.match.standing == Standing.WITHDRAWN


def test_an_archived_post_says_archived_with_its_date(published, team_key, gpg_keys, editor):
    signed = signed_attestation(gpg_keys, published)
    workflow.archive(post=published, actor=editor)
    match = check_text(signed).match
    assert match.standing == Standing.ARCHIVED and match.since is not None
    assert match.public_url == ""


def signed_without_hash(keys: Keys, post: Post) -> str:
    """A signed text that names its revision only by "Post:" and "Version:" (no hash line,
    and no other 64-hex run), so the post is found by its address."""
    text = attested_text(post, Post.objects.get(pk=post.pk).published_revision)
    lines = [line for line in text.split("\n") if not line.startswith("Content hash:")]
    assert "Post: en/" in text and len(lines) == len(text.split("\n")) - 1
    assert not clearsigned.read_fields("\n".join(lines)).hashes
    return clearsign(keys.home, "\n".join(lines), fingerprint=keys.team)


def test_a_text_naming_an_old_address_that_redirects_names_the_post_at_its_new_one(
    published, team_key, gpg_keys, editor
):
    signed = signed_without_hash(gpg_keys, published)
    moved = change_slug(post=published, actor=editor, slug="bladder-damage", keep_old_address=True)
    result = check_text(signed)
    assert result.verdict == Verdict.GOOD and not result.names_unknown_revision
    assert result.match.post == published and result.match.standing == Standing.CURRENT
    assert result.match.revision == published.published_revision
    assert result.match.public_url == moved.get_public_url()
    assert result.match.public_url.endswith("/bladder-damage/")


def test_a_text_naming_an_address_made_to_disappear_names_nothing(
    published, team_key, gpg_keys, editor
):
    signed = signed_without_hash(gpg_keys, published)
    change_slug(post=published, actor=editor, slug="bladder-damage", keep_old_address=False)
    result = check_text(signed)
    assert result.verdict == Verdict.GOOD and result.names_unknown_revision
    assert result.match is None


# --- Unsigned pastes ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["phpbb", "dread", "plain-text", "discourse"])
def test_every_unsigned_export_format_matches_its_revision(published, author, slug):
    outcome = exports.export_post(post=published, profile=profile(slug), actor=author, final=True)
    result = check_text(outcome.parts[0])
    assert result.verdict == Verdict.UNSIGNED
    assert result.match.revision == published.published_revision
    assert result.match.similarity >= verification.MIN_SIMILARITY


def test_an_unsigned_paste_picks_the_version_it_was_copied_from(published, author, reviewer):
    first = published.published_revision
    new_version(published, author, reviewer, body="Frequent use can badly damage the bladder.")
    match = check_text(
        "Ketamine and your bladder. Why frequent use hurts. Frequent use can damage the bladder."
        " Take breaks, see a doctor."
    ).match
    assert match.revision == first and match.standing == Standing.OUTDATED


def test_drafts_are_never_matched(post, author):
    save_revision(
        post=post,
        author=author,
        content=RevisionContent(title="Secret draft", body="Unreviewed words " * 20),
        base_revision_id=post.latest_revision_id,
    )
    assert check_text("Secret draft. " + "Unreviewed words " * 20).match is None


def test_our_signature_is_unavailable_not_foreign_when_our_key_store_lost_our_key(
    published, team_key, gpg_keys
):
    signed = signed_attestation(gpg_keys, published)
    empty = tempfile.mkdtemp(prefix="gone-", dir="/tmp")
    try:
        result = check_text(signed, gnupghome=empty)
    finally:
        subprocess.run(["gpgconf", "--homedir", empty, "--kill", "all"], check=False)
        shutil.rmtree(empty, ignore_errors=True)
    assert result.verdict == Verdict.UNAVAILABLE


def test_a_body_line_that_looks_like_the_attestation_is_not_read_as_it(
    author, reviewer, english, team_key, gpg_keys
):
    post = create_post(
        author=author,
        language=english,
        kind="article",
        content=content_of(body="Status: withdrawn\n\nContent hash: " + "0" * 64),
    )
    post = publish_latest(post, author=author, reviewer=reviewer)
    result = check_text(signed_attestation(gpg_keys, post))
    assert result.verdict == Verdict.GOOD
    assert result.match.standing == Standing.CURRENT and not result.match.withdrawal_notice
    assert result.match.revision == post.published_revision


def test_a_bbcode_tag_pattern_never_reaches_past_the_next_bracket() -> None:
    # Each "[url=" would otherwise scan to the end of the paste: quadratic on the public page.
    assert public_words._BBCODE_URL.match("[url=a [url=b]") is None
    assert public_words._BBCODE_TAG.match("[b=x [i]") is None
    found = verification.words("[url=https://example.org/x]the label[/url]")
    assert found[-2:] == ["the", "label"] and "url" not in found
