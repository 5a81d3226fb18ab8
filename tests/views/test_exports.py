"""The export screens through the test client: permissions, previews and finals, downloads,
the repost register and its outdated list, signing keys."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.exporters import DRAFT_BANNER
from content.exporters.signing import generate_key, keystore
from content.models import AuditEvent, ExportProfile, Post, Repost, SigningKey
from content.revisions import create_post, save_revision
from tests.support import content_of, key_record, publish_latest

# The session key store as GNUPG_HOME and both public addresses set, as in tests/exports/.
pytestmark = pytest.mark.usefixtures("export_settings")


def export_url(post: Post) -> str:
    return reverse("content:post_export", args=[post.pk])


def parts_of(response) -> list[str]:
    """The texts in the page's copy boxes."""
    found = re.findall(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.DOTALL)
    return [html.unescape(text) for text in found]


def exported_events() -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).count()


def test_anonymous_visitors_are_sent_to_the_login_page(client, published) -> None:
    for url in (
        export_url(published),
        reverse("content:outdated_reposts"),
        reverse("content:key_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/")


def test_the_export_page_offers_profiles_and_the_final_text_to_an_author(
    author_client, published
) -> None:
    page = author_client.get(export_url(published))
    assert page.status_code == 200
    assert b"Dread (Tor)" in page.content and b'value="final"' in page.content
    assert b"exports.js" in page.content


def test_an_author_sees_a_final_export_in_boxes_with_copy_buttons_and_it_is_audited(
    author_client, published, author
) -> None:
    response = author_client.post(export_url(published), {"profile": "xenforo", "version": "final"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Final export of revision 1" in page
    assert 'data-copy-target="part-1"' in page and "<script>" not in page  # the CSP forbids it
    assert 'style="' not in page
    (part,) = parts_of(response)
    assert part.startswith("Ketamine and your bladder (version 1, reviewed by 1 professional)")
    assert "[HEADING=1]" in part and DRAFT_BANNER not in part
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.actor, event.post_id) == (author, published.pk)
    assert event.details["profile"] == "xenforo"


def test_a_reviewer_may_preview_but_not_export_as_final(client, reviewer, published) -> None:
    client.force_login(reviewer)
    page = client.get(export_url(published))
    assert b'value="final"' not in page.content
    preview = client.post(export_url(published), {"profile": "reddit", "version": "preview"})
    assert preview.status_code == 200 and DRAFT_BANNER in parts_of(preview)[0]
    final = client.post(export_url(published), {"profile": "reddit", "version": "final"})
    assert final.status_code == 403
    assert exported_events() == 0


def test_another_authors_post_can_be_exported_by_an_author_who_can_see_it(
    client, other_author, published
) -> None:
    client.force_login(other_author)
    response = client.post(export_url(published), {"profile": "phpbb", "version": "final"})
    assert response.status_code == 200 and exported_events() == 1


def test_a_draft_asked_as_final_is_refused_with_a_clear_message(author_client, post) -> None:
    response = author_client.post(export_url(post), {"profile": "phpbb", "version": "final"})
    assert response.status_code == 409
    assert "no published text yet" in response.content.decode()
    assert exported_events() == 0


def test_a_draft_preview_is_marked_in_every_format(author_client, post) -> None:
    for profile in ExportProfile.objects.all():
        response = author_client.post(
            export_url(post), {"profile": profile.slug, "version": "preview"}
        )
        assert response.status_code == 200
        assert all(DRAFT_BANNER in part for part in parts_of(response)), profile.slug


@pytest.mark.parametrize(
    "data, message",
    [
        ({"profile": "no-such-forum", "version": "final"}, "Choose one of the export profiles"),
        ({"profile": "phpbb", "version": "signed"}, "Select a valid choice"),
        ({"version": "final"}, "This field is required"),
    ],
)
def test_bad_export_input_is_refused_with_a_message(author_client, published, data, message):
    response = author_client.post(export_url(published), data)
    assert response.status_code == 400 and message in response.content.decode()


def test_download_of_one_part_is_a_txt_file(author_client, published) -> None:
    response = author_client.post(
        export_url(published), {"profile": "discourse", "version": "final", "download": "1"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{published.slug}-v1-discourse.txt"'
    )
    text = response.content.decode()
    assert text.startswith("Ketamine and your bladder (version 1, reviewed by 1 professional)")
    assert "\n# Ketamine and your bladder\n" in text


def test_download_of_several_parts_is_a_zip_of_txt_files(
    author_client, author, reviewer, english
) -> None:
    body = "\n\n".join(f"Paragraph {n}: " + "take care and test first. " * 12 for n in range(40))
    post = create_post(
        author=author, language=english, kind="article", content=content_of(body=body)
    )
    publish_latest(post, author=author, reviewer=reviewer)
    ExportProfile.objects.filter(slug="xenforo").update(max_length=2000)
    response = author_client.post(
        export_url(post), {"profile": "xenforo", "version": "final", "download": "1"}
    )
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len(names) > 3 and all(name.endswith(".txt") for name in names)
    assert names[0] == f"{post.slug}-v1-xenforo-part1of{len(names)}.txt"
    assert all(len(archive.read(name).decode().rstrip("\n")) <= 2000 for name in names)


def test_a_signed_download_verifies_with_gpg(
    author_client, published, signed_profile, gpg_keys
) -> None:
    response = author_client.post(
        export_url(published), {"profile": signed_profile.slug, "version": "final", "download": "1"}
    )
    assert response.status_code == 200
    checked = subprocess.run(
        ["gpg", "--homedir", gpg_keys.home, "--batch", "--verify"],
        input=response.content,
        capture_output=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert b"Good signature" in checked.stderr


def test_an_expired_key_gives_an_error_and_never_an_unsigned_file(
    author_client, published, signed_profile, gpg_keys
) -> None:
    signed_profile.signing_key = key_record(gpg_keys.home, gpg_keys.expired, "Old key")
    signed_profile.save()
    response = author_client.post(
        export_url(published), {"profile": signed_profile.slug, "version": "final", "download": "1"}
    )
    assert response.status_code == 409
    assert "Content-Disposition" not in response
    assert "expired" in response.content.decode() and exported_events() == 0


def test_every_post_is_csrf_protected(author, published) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(export_url(published), {"profile": "phpbb", "version": "final"})
    assert response.status_code == 403 and exported_events() == 0


# --- The repost register ------------------------------------------------------------------------


def record(client: Client, post: Post, **changes) -> object:
    data = {
        "profile": "dread",
        "where": "http://dreadxxxxxxxxxx.onion/post/123",
        "posted_on": timezone.localdate().isoformat(),
    } | changes
    return client.post(reverse("content:post_reposts", args=[post.pk]), data)


def test_an_author_records_where_a_post_was_reposted(author_client, published) -> None:
    response = record(author_client, published)
    assert response.status_code == 302
    repost = Repost.objects.get()
    assert repost.revision == published.published_revision and repost.profile.slug == "dread"
    page = author_client.get(reverse("content:post_reposts", args=[published.pk]))
    assert b"dreadxxxxxxxxxx.onion/post/123" in page.content and b"current" in page.content


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"where": ""}, "Say where it was posted"),
        ({"where": "https://exa mple"}, "not a valid URL"),
        ({"posted_on": "2999-01-01"}, "cannot be in the future"),
        ({"posted_on": "yesterday"}, "Enter the date as YYYY-MM-DD"),
        ({"profile": "nope"}, "Choose one of the export profiles"),
    ],
)
def test_bad_repost_input_is_refused_with_a_message(author_client, published, changes, message):
    response = record(author_client, published, **changes)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Repost.objects.exists()


def test_a_reviewer_cannot_record_reposts(client, reviewer, published) -> None:
    client.force_login(reviewer)
    assert record(client, published).status_code == 403


def test_a_draft_cannot_be_recorded_as_reposted(author_client, post) -> None:
    response = record(author_client, post)
    assert response.status_code == 409 and "no published text" in response.content.decode()


def test_the_outdated_list_shows_reposts_after_a_newer_publication_and_after_a_withdrawal(
    author_client, author, reviewer, editor, published, english
) -> None:
    record(author_client, published)
    record(author_client, published, profile="reddit", where="r/harmreduction")
    empty = author_client.get(reverse("content:outdated_reposts"))
    assert b"Every recorded repost" in empty.content
    save_revision(
        post=published,
        author=author,
        content=content_of(title="Ketamine and your bladder (2027)"),
        base_revision_id=published.latest_revision_id,
    )
    publish_latest(Post.objects.get(pk=published.pk), author=author, reviewer=reviewer)
    other = create_post(author=author, language=english, kind="article",
                        content=content_of(title="GHB dosing"))  # fmt: skip
    other = publish_latest(other, author=author, reviewer=reviewer)
    record(author_client, other, where="Tor forum Y")
    workflow.withdraw(post=other, actor=editor, reason="wrong")
    page = author_client.get(reverse("content:outdated_reposts")).content.decode()
    assert "revision 2 is published" in page and "r/harmreduction" in page
    assert "the post was withdrawn" in page and "Withdrawal notice" in page


def test_the_outdated_list_runs_a_fixed_number_of_queries(
    author_client, author, reviewer, editor, english, django_assert_max_num_queries
) -> None:
    for n in range(6):
        post = create_post(author=author, language=english, kind="article",
                           content=content_of(title=f"Post {n}"))  # fmt: skip
        post = publish_latest(post, author=author, reviewer=reviewer)
        record(author_client, post, where=f"forum {n}")
        workflow.withdraw(post=post, actor=editor, reason="outdated advice")
    with django_assert_max_num_queries(8):
        page = author_client.get(reverse("content:outdated_reposts"))
    assert page.content.decode().count("Withdrawal notice</button>") == 6


def test_the_replacement_is_ready_in_the_forums_format_and_closing_it_records_a_repost(
    author_client, author, reviewer, published
) -> None:
    record(author_client, published, profile="phpbb-tor", where="Tor forum X")
    save_revision(
        post=published,
        author=author,
        content=content_of(title="Ketamine and your bladder (2027)"),
        base_revision_id=published.latest_revision_id,
    )
    publish_latest(Post.objects.get(pk=published.pk), author=author, reviewer=reviewer)
    old = Repost.objects.outdated().get()
    page = author_client.post(reverse("content:repost_replacement", args=[old.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "(2027)" in html and "[size=150][b]" in html
    assert exported_events() == 1
    closed = author_client.post(
        reverse("content:repost_close", args=[old.pk]),
        {"where": "Tor forum X", "posted_on": timezone.localdate().isoformat()},
    )
    assert closed.status_code == 302 and not Repost.objects.outdated().exists()
    assert Repost.objects.get(pk=old.pk).superseded_by.revision.number == 2


def test_a_withdrawal_notice_is_offered_and_closing_it_clears_the_list(
    author_client, editor, published
) -> None:
    record(author_client, published, profile="reddit", where="r/harmreduction")
    workflow.withdraw(post=published, actor=editor, reason="REASON-internal")
    old = Repost.objects.outdated().get()
    page = author_client.post(reverse("content:repost_replacement", args=[old.pk]))
    html = page.content.decode()
    assert "Withdrawn: Ketamine and your bladder" in html and "REASON-internal" not in html
    closed = author_client.post(
        reverse("content:repost_close", args=[old.pk]),
        {"posted_on": timezone.localdate().isoformat()},
    )
    assert closed.status_code == 302 and not Repost.objects.outdated().exists()


def test_an_up_to_date_repost_has_no_replacement(author_client, published) -> None:
    record(author_client, published)
    response = author_client.post(
        reverse("content:repost_replacement", args=[Repost.objects.get().pk])
    )
    assert response.status_code == 409 and "up to date" in response.content.decode()


# --- Signing keys -------------------------------------------------------------------------------


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def test_only_editors_manage_signing_keys(author_client, editor_client, team_key) -> None:
    assert author_client.get(reverse("content:key_list")).status_code == 403
    assert author_client.post(reverse("content:key_generate"), {}).status_code == 403
    page = editor_client.get(reverse("content:key_list"))
    assert page.status_code == 200
    assert team_key.grouped_fingerprint.encode() in page.content


def test_an_editor_generates_a_key_and_sees_its_fingerprint_and_expiry(
    editor_client, gpg_keys
) -> None:
    response = editor_client.post(
        reverse("content:key_generate"),
        {"label": "Org 2027", "name": "HR team", "email": "keys@hr.example.org", "expire": "1y"},
        follow=True,
    )
    key = SigningKey.objects.get(label="Org 2027")
    assert key.expires is not None and key.expires > timezone.now()
    assert key.grouped_fingerprint in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGNING_KEY_ADDED).exists()


def test_an_editor_imports_an_armored_secret_key(editor_client, gpg_keys, tmp_path) -> None:
    elsewhere = tempfile_home()
    try:
        fingerprint = generate_key(elsewhere, name="Imported", email="imp@example.org")
        armored = keystore(elsewhere).export_keys(fingerprint, secret=True, passphrase="")
    finally:
        subprocess.run(["gpgconf", "--homedir", elsewhere, "--kill", "all"], check=False)
        shutil.rmtree(elsewhere, ignore_errors=True)
    response = editor_client.post(
        reverse("content:key_import"), {"label": "Imported", "armored": armored}
    )
    assert response.status_code == 302
    assert SigningKey.objects.get(fingerprint=fingerprint).uids == ["Imported <imp@example.org>"]


def tempfile_home() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="gpg-", dir="/tmp")


@pytest.mark.parametrize(
    "armored, message",
    [
        ("hello", "Paste an ASCII-armored key"),
        ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n", "only a public key"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n-----END PGP PRIVATE KEY BLOCK-----\n",
         "No key could be imported"),
    ],
)  # fmt: skip
def test_a_bad_key_import_is_refused_with_a_message(editor_client, armored, message) -> None:
    response = editor_client.post(reverse("content:key_import"), {"label": "X", "armored": armored})
    assert response.status_code == 400 and message in response.content.decode()
    assert not SigningKey.objects.exists()


def test_the_public_key_download_never_contains_the_secret_key(editor_client, team_key) -> None:
    response = editor_client.get(reverse("content:key_public", args=[team_key.pk]))
    assert response.status_code == 200
    assert b"BEGIN PGP PUBLIC KEY BLOCK" in response.content
    assert b"PRIVATE" not in response.content
