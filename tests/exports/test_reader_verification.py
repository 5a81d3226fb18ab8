"""The chain of trust at the reader, end to end: every seeded profile signs, three published posts
(English, Dutch, French) are exported as final through the export page and downloaded, and a
reader with nothing but our public key checks them with stock gpg: the file as downloaded, and
the signed copy as they copy it out of the post rendered by the forum's own kind of parser,
after what forums do to pasted text."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from content.models import ExportProfile, Post
from content.revisions import RevisionContent, Source, create_post
from tests.readers import code_blocks, forum_variants, gpg_verify, rendered_html, signed_copy
from tests.support import publish_latest

SEEDED = ["dread", "phpbb-tor", "phpbb", "xenforo", "reddit", "discourse", "plain-text"]

BODIES = {
    "en": """\
**Pills sold as "Blue Punisher" hold ~240 mg of MDMA**, about 10^3 times what [b]tags[/b] say.

- Start with a quarter
- Wait two hours; do not redose

| Weight | Quarter |
|---|---:|
| 60 kg | 60 mg |

Call the [helpline](https://www.druglijn.be/) or see druglijn.be; ask info@druglijn.be.
""",
    "nl": """\
**Pillen verkocht als "Blue Punisher" bevatten ~240 mg MDMA.** Begin met een kwart.

1. Wacht twee uur
2. Neem niet opnieuw

Meer op [DrugLijn](https://www.druglijn.be/).
""",
    "fr": """\
**Des comprimés vendus comme « Blue Punisher » contiennent ~240 mg de MDMA.**

- Commencez par un quart
- Attendez deux heures

Voir [Infor-Drogues](https://www.infor-drogues.be/).
""",
}


@pytest.fixture
def posts(author: Any, reviewer: Any, languages: dict[str, Any]) -> list[Post]:
    made = []
    for code, body in BODIES.items():
        post = create_post(
            author=author,
            language=languages[code],
            kind="article",
            content=RevisionContent(
                title=f"Blue Punisher ({code})",
                summary="A very high dose.",
                body=body,
                sources=(Source("Trimbos DIMS", "https://www.trimbos.nl/", "2026-10-02"),),
                substances=("MDMA",),
            ),
        )
        publish_latest(post, author=author, reviewer=reviewer)
        made.append(Post.objects.get(pk=post.pk))
    return made


@pytest.fixture
def signing_everywhere(team_key: Any) -> list[ExportProfile]:
    profiles = list(ExportProfile.objects.filter(slug__in=SEEDED))
    assert sorted(p.slug for p in profiles) == sorted(SEEDED)
    for profile in profiles:
        profile.sign, profile.signing_key = True, team_key
        profile.full_clean()
        profile.save()
    return profiles


def downloaded_parts(client: Any, post: Post, profile: ExportProfile) -> list[bytes]:
    response = client.post(
        reverse("content:post_export", args=[post.pk]),
        {"profile": profile.slug, "version": "final", "download": "1"},
    )
    assert response.status_code == 200, response.content[:500]
    if response["Content-Type"] == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return [archive.read(name) for name in archive.namelist()]
    return [response.content]


def test_every_seeded_profile_verifies_as_downloaded_and_as_copied_from_the_forum(
    author_client: Any,
    posts: list[Post],
    signing_everywhere: list[ExportProfile],
    reader_keyring: str,
) -> None:
    checked = 0
    for profile in signing_everywhere:
        if profile.slug == "xenforo":
            profile.max_length = 1500  # several parts, each signed on its own
            profile.save()
        for post in posts:
            for raw in downloaded_parts(author_client, post, profile):
                result = gpg_verify(reader_keyring, raw)
                assert result.returncode == 0, (profile.slug, post.slug, result.stderr)
                part = raw.decode()
                plain = profile.format == "plaintext"
                copied = part if plain else signed_copy(part, profile.format)
                for what, text in forum_variants(copied).items():
                    result = gpg_verify(reader_keyring, text)
                    assert result.returncode == 0, (profile.slug, post.slug, what, result.stderr)
                assert f"\nPost: {post.language.code}/{post.slug}\n" in copied
                assert f"\nContent hash: {post.published_revision.content_hash}\n" in copied
                checked += 1
    assert checked >= len(SEEDED) * len(posts) + 1


@pytest.mark.parametrize("slug", ["dread", "reddit", "discourse", "phpbb", "xenforo"])
def test_the_signed_copy_is_readable_and_the_post_above_it_is_rendered(
    author_client: Any, posts: list[Post], signing_everywhere: list[ExportProfile], slug: str
) -> None:
    profile = next(p for p in signing_everywhere if p.slug == slug)
    (raw,) = downloaded_parts(author_client, posts[0], profile)
    html = rendered_html(raw.decode(), profile.format)
    copied = signed_copy(raw.decode(), profile.format)
    assert "~240 mg of MDMA" in copied and "10^3" in copied and "[b]tags[/b]" in copied
    assert "\\" not in copied and "**" not in copied
    formatted = html.split("Signed copy of this text")[0]
    assert "<li>" in formatted and "<strong>" in formatted
    assert "~240 mg" in formatted and "\\~" not in formatted
    # Only the signed copy is a code block: the post itself is not shown as source.
    assert [b for b in code_blocks(html) if "Start with a quarter" in b] == [copied]


def test_changing_one_character_of_the_copy_fails_verification(
    author_client: Any,
    posts: list[Post],
    signing_everywhere: list[ExportProfile],
    reader_keyring: str,
) -> None:
    profile = next(p for p in signing_everywhere if p.slug == "phpbb")
    (raw,) = downloaded_parts(author_client, posts[0], profile)
    copied = signed_copy(raw.decode(), "bbcode")
    assert gpg_verify(reader_keyring, copied.replace("240 mg", "24 mg")).returncode != 0


def paste_into_verify(text: str) -> str:
    """A reader with no cookies and no JavaScript pastes the text into /verify/."""
    reader = Client(enforce_csrf_checks=True)
    form = reader.get("/verify/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    response = reader.post("/verify/", {"text": text, "token": token})
    assert response.status_code == 200 and not response.cookies
    return " ".join(response.content.decode().split())


def test_the_verify_page_recognises_what_every_seeded_profile_signed(
    author_client: Any,
    posts: list[Post],
    signing_everywhere: list[ExportProfile],
    team_key: Any,
) -> None:
    post = posts[1]  # the Dutch one
    for profile in signing_everywhere:
        (raw,) = downloaded_parts(author_client, post, profile)
        part = raw.decode()
        copied = part if profile.format == "plaintext" else signed_copy(part, profile.format)
        page = paste_into_verify(copied.replace("\n", "\r\n"))
        assert f"Good signature by our key {team_key.grouped_fingerprint}." in page, profile.slug
        assert "This is the current published version" in page, profile.slug
        assert f"version {post.published_revision.number}" in page
        if profile.format != "plaintext":
            # The whole forum post, formatted part included: only the signed block counts.
            page = paste_into_verify(part)
            assert "Text outside the signed block was ignored" in page, profile.slug
            assert "This is the current published version" in page, profile.slug
