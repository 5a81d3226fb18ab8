"""Exports speak the post's language: the profile's frame in that language and our own words
(reviewers, "Sources", banner, signed copy, notices) from its catalogue, whatever the studio
language of the person exporting. Read back with the forums' own kind of parser (tests.readers)."""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from dataclasses import replace
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from content import approval_rules, demo, export_cache, exports, reposts, workflow
from content import languages as studio_languages
from content.exporters import ExportDocument, ExportSettings, export
from content.exporters.frames import DEFAULT_FRAMES
from content.models import AuditEvent, ExportProfile, ExportProfileFrame, Language, Post, Repost
from content.public_words import frame_words, indexed, words
from content.revisions import RevisionContent, Source, create_post, save_revision
from content.verification import Verdict, check_text
from tests.readers import gpg_verify, shown, signed_copy
from tests.support import profile, profile_admin_data, publish_latest

BODIES = {
    "nl": "Pillen verkocht als **Blue Punisher** bevatten ~240 mg MDMA. Begin met een kwart, "
    "wacht twee uur en neem niet opnieuw. Bel de DrugLijn bij twijfel.",
    "fr": "Des comprimés vendus comme **Blue Punisher** contiennent ~240 mg de MDMA. Commencez "
    "par un quart, attendez deux heures et ne reprenez pas. Appelez Infor-Drogues.",
    "de": "Als **Blue Punisher** verkaufte Pillen enthalten ~240 mg MDMA. Beginne mit einem "
    "Viertel, warte zwei Stunden und nimm nicht nach.",
}
# (profile slug, format, dialect): one profile per format, the seeded ones where there is one.
FORMATS = [
    ("phpbb", "bbcode", "phpbb3"),
    ("reddit", "forum_markdown", "reddit"),
    ("plain-text", "plaintext", ""),
    ("html-frames", "html", ""),
]


def dutch_professionals(count: int) -> str:
    return f"beoordeeld door {count} professional" + ("" if count == 1 else "s")


def french_professionals(count: int) -> str:
    return f"relu par {count} professionnel" + ("" if count <= 1 else "s")


@pytest.mark.parametrize(("code", "label", "unset"), [
    ("nl", "afbeelding: pillen", "(adres niet ingesteld)"),
    ("fr", "image: pillen", "(adresse non configurée)"),
    ("de", "image: pillen", "(address not configured)"),
])  # fmt: skip
def test_image_labels_and_a_missing_address_are_in_the_posts_language(
    code: str, label: str, unset: str
) -> None:
    document = ExportDocument(
        title="T", summary="", body="Zie ![pillen](https://example.org/p.png).", language=code
    )
    settings = ExportSettings(format="bbcode", dialect="phpbb3", footer_template="{url}")
    with translation.override("en"):  # the studio's language does not matter
        (part,) = export(document, settings).parts
    assert f"]{label}[/url]" in part and part.endswith(unset)


@pytest.fixture
def html_profile(db: Any) -> ExportProfile:
    """An HTML profile (none is seeded) with the default frame in English, Dutch and French."""
    made = ExportProfile.objects.create(
        name="HTML with frames", slug="html-frames", format="html", dialect="",
        header_template=DEFAULT_FRAMES["en"].header, footer_template=DEFAULT_FRAMES["en"].footer,
    )  # fmt: skip
    for code in ("nl", "fr"):
        ExportProfileFrame.objects.create(
            profile=made,
            language=Language.objects.get(code=code),
            header_template=DEFAULT_FRAMES[code].header,
            footer_template=DEFAULT_FRAMES[code].footer,
        )
    return made


def published_in(code: str, author: Any, reviewer: Any) -> Post:
    language, _created = Language.objects.get_or_create(code=code, defaults={"name": code})
    post = create_post(
        author=author,
        language=language,
        kind="article",
        content=RevisionContent(
            title=f"Blue Punisher {code}",
            summary="240 mg.",
            body=BODIES[code],
            sources=(Source("Trimbos DIMS", "https://www.trimbos.nl/", "2026-10-02"),),
            substances=("MDMA",),
        ),
    )
    publish_latest(post, author=author, reviewer=reviewer)
    return Post.objects.select_related("language", "published_revision").get(pk=post.pk)


def studio_client(user: Any, language: str) -> Client:
    """A signed-in person whose studio speaks `language`."""
    studio_languages.set_studio_language(user=user, language=language)
    client = Client()
    client.force_login(user)
    return client


def downloaded(client: Client, post: Post, slug: str, version: str = "final") -> list[str]:
    response = client.post(
        reverse("content:post_export", args=[post.pk]),
        {"profile": slug, "version": version, "download": "1"},
    )
    assert response.status_code == 200, response.content[:500]
    if response["Content-Type"] == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return [archive.read(name).decode() for name in archive.namelist()]
    return [response.content.decode()]


def facts(post: Post) -> tuple[int, str, str]:
    """(approvals, date published, review due) as the frame shows them."""
    assert post.published_revision is not None and post.published_at and post.review_due
    count = approval_rules.approvals(post.published_revision)
    return count, timezone.localdate(post.published_at).isoformat(), post.review_due.isoformat()


@pytest.mark.parametrize("studio", ["en", "fr"])
@pytest.mark.parametrize(("slug", "fmt", "dialect"), FORMATS)
def test_a_dutch_post_exports_with_dutch_header_footer_and_words_whatever_the_studio_language(
    author: Any, reviewer: Any, html_profile: ExportProfile, studio: str, slug: str, fmt: str,
    dialect: str,
) -> None:  # fmt: skip
    post = published_in("nl", author, reviewer)
    count, published, due = facts(post)
    (part,) = downloaded(studio_client(author, studio), post, slug)
    text = shown(part, fmt, dialect)
    assert f"Blue Punisher nl (versie {post.published_revision.number}, " in text
    assert dutch_professionals(count) + ")" in text
    assert f"Gepubliceerd op {published}, volgende beoordeling {due}. " in text
    assert "Controleer deze tekst: " in text
    assert "Bronnen" in text and "(geraadpleegd op 2026-10-02)" in text
    for english in ("reviewed by", "Published", "next review", "Check this text", "Sources"):
        assert english not in text, english


@pytest.mark.parametrize("studio", ["en", "nl"])
@pytest.mark.parametrize(("slug", "fmt", "dialect"), FORMATS)
def test_a_french_post_exports_with_french_header_footer_and_words(
    author: Any, reviewer: Any, html_profile: ExportProfile, studio: str, slug: str, fmt: str,
    dialect: str,
) -> None:  # fmt: skip
    post = published_in("fr", author, reviewer)
    count, published, due = facts(post)
    (part,) = downloaded(studio_client(author, studio), post, slug)
    text = shown(part, fmt, dialect)
    assert f"(version {post.published_revision.number}, {french_professionals(count)})" in text
    assert f"Publié le {published}, prochaine relecture {due}. Vérifiez ce texte : " in text
    assert "(consulté le 2026-10-02)" in text
    for other in ("reviewed by", "Published", "Check this text", "consulted", "Bronnen"):
        assert other not in text, other


def test_the_export_page_speaks_the_studio_language_and_the_export_the_posts(
    author: Any, reviewer: Any
) -> None:
    post = published_in("nl", author, reviewer)
    response = studio_client(author, "fr").post(
        reverse("content:post_export", args=[post.pk]), {"profile": "phpbb", "version": "final"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'lang="fr"' in page
    assert "beoordeeld door" in page and "reviewed by" not in page


@pytest.mark.parametrize(("slug", "fmt", "dialect"), FORMATS)
def test_a_post_in_a_language_without_a_catalogue_or_frame_gets_english_words(
    author: Any, reviewer: Any, html_profile: ExportProfile, slug: str, fmt: str, dialect: str
) -> None:
    post = published_in("de", author, reviewer)
    count, published, _due = facts(post)
    (part,) = downloaded(studio_client(author, "nl"), post, slug)
    text = shown(part, fmt, dialect)
    noun = "professional" if count == 1 else "professionals"
    assert f"(version {post.published_revision.number}, reviewed by {count} {noun})" in text
    assert f"Published {published}, next review" in text and "Check this text: " in text
    assert "Sources" in text and "(consulted 2026-10-02)" in text
    assert "beoordeeld" not in text and "Bronnen" not in text


def test_a_profile_without_a_dutch_frame_uses_its_own_with_our_words_in_dutch(
    author: Any, reviewer: Any
) -> None:
    ExportProfileFrame.objects.filter(profile=profile("phpbb"), language__code="nl").delete()
    post = published_in("nl", author, reviewer)
    count, published, _due = facts(post)
    (part,) = downloaded(studio_client(author, "en"), post, "phpbb")
    text = shown(part, "bbcode", "phpbb3")
    # The profile's own (English) frame, with the reviewers phrase and heading in Dutch.
    assert f"(version {post.published_revision.number}, {dutch_professionals(count)})" in text
    assert f"Published {published}, next review" in text and "Bronnen" in text
    assert "Gepubliceerd" not in text


def test_a_dutch_preview_carries_the_dutch_draft_banner(
    author: Any, languages: dict[str, Language]
) -> None:
    post = create_post(
        author=author, language=languages["nl"], kind="article",
        content=RevisionContent(title="Concepttekst", body=BODIES["nl"]),
    )  # fmt: skip
    (part,) = downloaded(studio_client(author, "en"), post, "phpbb", version="preview")
    assert part.startswith("[b]CONCEPT - NIET BEOORDEELD[/b]")
    assert "DRAFT" not in part


# --- Signed, and checked by readers --------------------------------------------------------------


@pytest.mark.parametrize("code", ["nl", "fr"])
def test_a_signed_dutch_or_french_export_verifies_with_gpg_as_downloaded_and_on_verify(
    author: Any, reviewer: Any, signed_profile: ExportProfile, reader_keyring: str, code: str
) -> None:
    post = published_in(code, author, reviewer)
    (part,) = downloaded(studio_client(author, "en"), post, "phpbb")
    assert gpg_verify(reader_keyring, part.encode()).returncode == 0
    lead = {"nl": "Ondertekende kopie van deze tekst. Controleer ze op ",
            "fr": "Copie signée de ce texte. Vérifiez-la sur "}[code]  # fmt: skip
    assert lead in shown(part, "bbcode", "phpbb3") and "Signed copy" not in part
    copied = signed_copy(part, "bbcode")
    assert gpg_verify(reader_keyring, copied).returncode == 0
    # The attestation's lines stay English: /verify/ and readers' scripts read them.
    assert f"\nPost: {code}/{post.slug}\nVersion: 1\n" in copied
    result = check_text(copied)
    assert result.verdict == Verdict.GOOD and result.match is not None
    assert result.match.revision == post.published_revision


def paste_into_verify(text: str) -> str:
    reader = Client(enforce_csrf_checks=True)
    form = reader.get("/verify/").content.decode()
    found = re.search(r'name="token" value="([^"]+)"', form)
    assert found is not None
    response = reader.post("/verify/", {"text": text, "token": found.group(1)})
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.parametrize("code", ["nl", "fr"])
@pytest.mark.parametrize(("slug", "fmt", "dialect"), FORMATS)
def test_verify_finds_the_source_of_a_pasted_unsigned_dutch_or_french_export(
    author: Any, reviewer: Any, html_profile: ExportProfile, code: str, slug: str, fmt: str,
    dialect: str,
) -> None:  # fmt: skip
    post = published_in(code, author, reviewer)
    (part,) = downloaded(studio_client(author, "en"), post, slug)
    pasted = shown(part, fmt, dialect)  # as a reader copies it from the forum
    result = check_text(pasted)
    assert result.verdict == Verdict.UNSIGNED and result.match is not None
    assert result.match.revision == post.published_revision
    # Every word of the export that the post does not have is a frame word or an address's.
    revision = post.published_revision
    texts = [revision.title, revision.summary, revision.body, "Trimbos DIMS"]
    own = indexed(words(" ".join(texts)))
    addresses = indexed(words(" ".join(exports.public_urls(post)) + " https://www.trimbos.nl/"))
    assert indexed(words(pasted)) - own <= addresses


def test_the_verify_page_finds_a_pasted_dutch_export(author: Any, reviewer: Any) -> None:
    post = published_in("nl", author, reviewer)
    (part,) = downloaded(studio_client(author, "nl"), post, "reddit")
    page = paste_into_verify(part)
    assert "This text is unsigned, so it proves nothing by itself" in page
    assert "This is the current published version" in page


def test_frame_words_cover_every_language_of_the_default_frames_and_our_words() -> None:
    found = frame_words()
    for word in ("gepubliceerd", "beoordeling", "controleer", "professionals", "bronnen"):
        assert word in found, word
    for word in ("publié", "prochaine", "relecture", "vérifiez", "professionnels", "consulté"):
        assert word in found, word
    for word in ("published", "reviewed", "professional", "consulted", "sources", "signed"):
        assert word in found, word


# --- Withdrawal notices -------------------------------------------------------------------------


def test_a_withdrawal_notice_of_a_dutch_post_is_dutch(
    author: Any, reviewer: Any, editor: Any
) -> None:
    post = published_in("nl", author, reviewer)
    reposts.record_repost(post=post, profile=profile("phpbb"), actor=author,
                          where="Forum thread", posted_on=timezone.localdate())  # fmt: skip
    studio_languages.set_studio_language(user=editor, language="fr")
    workflow.withdraw(post=post, actor=editor, reason="intern", public_reason="Dosis fout.")
    repost = Repost.objects.select_related("post", "revision", "profile").get()
    text = " ".join("\n".join(exports.withdrawal_notice(repost=repost, actor=editor).parts).split())
    withdrawn = timezone.localdate().isoformat()
    assert "Ingetrokken: Blue Punisher nl" in text
    assert f"Deze informatie werd ingetrokken op {withdrawn}. Het was versie 1, " in text
    assert "Waarom: Dosis fout." in text and "withdrew" not in text and "Why:" not in text


def test_a_replacement_of_a_dutch_post_says_what_changed_in_dutch(
    author: Any, reviewer: Any
) -> None:
    post = published_in("nl", author, reviewer)
    repost = reposts.record_repost(
        post=post, profile=profile("phpbb"), actor=author, where="Forum thread",
        posted_on=timezone.localdate(),
    )  # fmt: skip
    revision = post.published_revision
    assert revision is not None
    save_revision(
        post=post,
        author=author,
        content=replace(
            RevisionContent.of(revision), body=BODIES["nl"] + " Nu ook in poeder.",
            public_change_note="Nu ook als poeder verkocht.",
        ),
        base_revision_id=revision.pk,
    )  # fmt: skip
    publish_latest(post, author=author, reviewer=reviewer)
    post = Post.objects.get(pk=post.pk)
    outcome = exports.export_post(
        post=post, profile=profile("phpbb"), actor=author, final=True, replaces=repost
    )
    text = shown(outcome.parts[0], "bbcode", "phpbb3")
    assert "Wat er veranderde sinds versie 1: Nu ook als poeder verkocht." in text
    assert "What changed" not in text


# --- Frames: the admin, the migration, the demo, the cache ----------------------------------------


def test_an_editor_edits_the_dutch_frame_in_the_admin_and_it_is_audited(
    client: Any, editor: Any, author: Any, reviewer: Any
) -> None:
    post = published_in("nl", author, reviewer)
    before = exports.export_post(post=post, profile=profile("phpbb"), actor=author, final=True)
    record = profile("phpbb")
    values = profile_admin_data(record)
    values["frames-1-header_template"] = "{title} - versie {version}"
    client.force_login(editor)
    url = reverse("admin:content_exportprofile_change", args=[record.pk])
    assert client.post(url, values).status_code == 302
    assert record.frame_for("nl")[0] == "{title} - versie {version}"
    # The export cache gives the new frame at once (the frame is part of its key).
    after = exports.export_post(post=post, profile=profile("phpbb"), actor=author, final=True)
    assert "Blue Punisher nl - versie 1" in after.parts[0]
    assert "Blue Punisher nl - versie 1" not in before.parts[0]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_PROFILE_CHANGED).last()
    assert event is not None and event.details["frames"] == ["nl"]


@pytest.mark.parametrize(
    ("slug", "header", "message"),
    [
        ("phpbb", "{title} {auteur}", "Unknown placeholder {auteur}"),
        ("phpbb-tor", "{title} {url}", "may not show {url}"),
    ],
)
def test_a_frame_is_checked_like_the_profiles_own(
    client: Any, editor: Any, slug: str, header: str, message: str
) -> None:
    record = profile(slug)
    values = profile_admin_data(record) | {"frames-0-header_template": header}
    client.force_login(editor)
    response = client.post(reverse("admin:content_exportprofile_change", args=[record.pk]), values)
    assert response.status_code == 200 and message in response.content.decode()
    assert header not in {frame.header_template for frame in record.frames.all()}


def test_a_profile_switched_to_tor_is_refused_while_a_frame_still_shows_the_clear_net_url(
    client: Any, editor: Any
) -> None:
    record = profile("phpbb")  # its Dutch and French footers show {url}
    values = profile_admin_data(record) | {
        "tor": "on", "link_policy": "onion_internal",
        "footer_template": DEFAULT_FRAMES["en"].footer_tor,
    }  # fmt: skip
    client.force_login(editor)
    response = client.post(reverse("admin:content_exportprofile_change", args=[record.pk]), values)
    assert response.status_code == 200 and "may not show {url}" in response.content.decode()
    assert not profile("phpbb").tor


def test_a_new_tor_profile_with_a_clear_net_url_in_a_frame_is_refused(
    client: Any, editor: Any
) -> None:
    values = {
        "name": "New Tor forum", "slug": "new-tor", "format": "bbcode", "dialect": "phpbb3",
        "link_policy": "onion_internal", "image_policy": "drop", "tor": "on", "active": "on",
        "header_template": "{title}", "footer_template": "{onion_url}",
        "interaction_min_level": "unsafe",
        "frames-TOTAL_FORMS": 1, "frames-INITIAL_FORMS": 0,
        "frames-0-language": Language.objects.get(code="nl").pk,
        "frames-0-header_template": "{title}", "frames-0-footer_template": "Zie {url}",
    }  # fmt: skip
    client.force_login(editor)
    response = client.post(reverse("admin:content_exportprofile_add"), values)
    assert response.status_code == 200 and "may not show {url}" in response.content.decode()
    assert not ExportProfile.objects.filter(slug="new-tor").exists()
    values["frames-0-footer_template"] = "Zie {onion_url}"
    assert client.post(reverse("admin:content_exportprofile_add"), values).status_code == 302
    assert profile("new-tor").frame_for("nl") == ("{title}", "Zie {onion_url}")


def test_the_seeded_profiles_have_dutch_and_french_frames_for_their_kind_of_forum(db: Any) -> None:
    for slug in ("dread", "phpbb-tor", "phpbb", "xenforo", "reddit", "discourse", "plain-text"):
        record = profile(slug)
        for code in ("nl", "fr"):
            default = DEFAULT_FRAMES[code]
            footer = default.footer_tor if record.tor else default.footer
            assert record.frame_for(code) == (default.header, footer), (slug, code)
        assert record.frame_for("de") == (record.header_template, record.footer_template)


def test_the_migration_leaves_a_profile_whose_frame_an_editor_changed_alone(db: Any) -> None:
    ExportProfileFrame.objects.all().delete()
    ExportProfile.objects.filter(slug="reddit").update(header_template="Our own: {title}")
    migration = importlib.import_module("content.migrations.0024_export_languages")
    migration.add_frames(apps, None)
    assert not profile("reddit").frames.exists()
    assert profile("phpbb").frames.count() == 2


def test_the_demo_profiles_have_dutch_and_french_frames(db: Any) -> None:
    demo.seed(password="demo-password-1")
    for slug in ("vbulletin", "smf", "mybb", "html"):
        frames = {f.language.code: f for f in profile(slug).frames.select_related("language")}
        assert set(frames) == {"nl", "fr"}
        assert frames["nl"].header_template == DEFAULT_FRAMES["nl"].header


def test_the_catalogues_are_part_of_the_exports_cache_key() -> None:
    catalogues = {path.parent.parent.name for path in export_cache._CODE_FILES
                  if path.suffix == ".mo"}  # fmt: skip
    assert {"nl", "fr"} <= catalogues
