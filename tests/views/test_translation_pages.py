"""The studio's and the public site's pages about translations of posts."""

from __future__ import annotations

import datetime
from typing import Any

import html5lib
import pytest
from django.urls import reverse

from content import translations
from content.languages import set_studio_language
from content.models import AuditEvent, Post, Revision, TranslationOverride
from tests.support import form_data
from tests.test_translations import DUTCH, in_dutch, publish, save, source_article, translated
from tests.untranslated import english_left

NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def source(author: Any, reviewer: Any, english: Any) -> Post:
    return source_article(author, reviewer, english)


@pytest.fixture
def dutch(source: Post, author: Any, reviewer: Any, languages: Any) -> Post:
    return translated(source, author, reviewer, languages)


@pytest.fixture
def behind(dutch: Post, source: Post, author: Any, reviewer: Any) -> Post:
    save(source, author, body="Now 280 mg.", safety_relevant=True, public_change_note="Dose.")
    publish(source, author, reviewer)
    return Post.objects.get(pk=dutch.pk)


def test_translate_into_starts_a_linked_post_and_opens_it_for_editing(
    author_client: Any, source: Post, languages: Any
) -> None:
    response = author_client.post(
        reverse("content:post_translate", args=[source.pk]), {"language": languages["fr"].pk}
    )
    french = Post.objects.get(language__code="fr")
    assert response.status_code == 302
    assert response["Location"] == reverse("content:post_edit", args=[french.pk])
    assert french.translation_group == source.translation_group
    page = author_client.get(reverse("content:post_detail", args=[source.pk])).content.decode()
    assert "Language versions" in page and french.get_absolute_url() in page


def test_translate_into_a_language_already_there_leads_to_that_version(
    author_client: Any, dutch: Post, source: Post, languages: Any
) -> None:
    response = author_client.post(
        reverse("content:post_translate", args=[source.pk]), {"language": languages["nl"].pk}
    )
    assert response["Location"] == dutch.get_absolute_url()
    assert Post.objects.count() == 2


def test_a_reviewer_cannot_start_a_translation(
    client: Any, reviewer: Any, source: Post, languages: Any
) -> None:
    client.force_login(reviewer)
    response = client.post(
        reverse("content:post_translate", args=[source.pk]), {"language": languages["fr"].pk}
    )
    assert response.status_code == 403
    assert Post.objects.count() == 1
    page = client.get(reverse("content:post_detail", args=[source.pk])).content.decode()
    assert reverse("content:post_translate", args=[source.pk]) not in page


def test_the_post_page_flags_a_translation_behind_its_source_with_the_sources_diff(
    author_client: Any, behind: Post, source: Post
) -> None:
    page = author_client.get(behind.get_absolute_url()).content.decode()
    assert "Source changed since revision 3" in page
    assert "<ins>280 mg.</ins>" in page or "280 mg" in page.split("Source changed")[1]
    assert "Final exports are refused" in page
    assert "Let it through" not in page  # an author may not override
    source_page = author_client.get(source.get_absolute_url()).content.decode()
    assert "source changed since revision 3" in source_page


def test_an_editor_overrides_from_the_post_page_and_an_author_cannot(
    client: Any, author: Any, editor: Any, behind: Post
) -> None:
    url = reverse("content:translation_override", args=[behind.pk])
    client.force_login(author)
    assert client.post(url, {"reason": "Please."}).status_code == 403
    client.force_login(editor)
    assert "Let it through" in client.get(behind.get_absolute_url()).content.decode()
    client.post(url, {"reason": "Needed at the festival tonight."})
    decision = TranslationOverride.objects.get()
    assert decision.reason == "Needed at the festival tonight." and decision.actor == editor
    page = client.get(behind.get_absolute_url()).content.decode()
    assert "let this translation be exported as final anyway" in page


def test_update_to_the_newest_source_moves_the_link_in_a_new_revision(
    author_client: Any, behind: Post, source: Post
) -> None:
    edit = reverse("content:post_edit", args=[behind.pk])
    assert "Update to the newest source" in author_client.get(edit).content.decode()
    data = form_data(behind, **(DUTCH | {"body": "Nu 280 mg."}), update_source="on",
                     public_change_note="Nieuwe dosis.")  # fmt: skip
    author_client.post(edit, data)
    latest = Post.objects.get(pk=behind.pk).expect_latest_revision()
    assert latest.translates == Revision.objects.get(post=source, number=4)
    assert translations.drift(Post.objects.get(pk=behind.pk)) is None


def test_the_safety_checkbox_is_stored_on_the_revision_and_shown_in_the_diff(
    author_client: Any, source: Post
) -> None:
    edit = reverse("content:post_edit", args=[source.pk])
    author_client.post(edit, form_data(source, body="Now 280 mg.", safety_relevant="on",
                                       public_change_note="Dose."))  # fmt: skip
    latest = Post.objects.get(pk=source.pk).expect_latest_revision()
    assert latest.number == 4 and latest.safety_relevant
    compare = author_client.get(reverse("content:revision_compare", args=[source.pk]))
    assert "This change matters for safety" in compare.content.decode()


def test_the_review_page_of_a_translation_shows_the_source_beside_it(
    client: Any, reviewer: Any, author: Any, dutch: Post
) -> None:
    save(dutch, author, summary="Waarom vaak gebruik pijn doet.")
    from content import workflow

    workflow.submit_for_review(post=Post.objects.get(pk=dutch.pk), actor=author)
    client.force_login(reviewer)
    page = client.get(reverse("content:review_post", args=[dutch.pk])).content.decode()
    tree = html5lib.parse(page)
    side = tree.find(f".//{NS}section[@class='side-by-side']")
    assert side is not None
    columns = side.findall(f"./{NS}div/{NS}div")
    assert [column.get("lang") for column in columns] == ["en", "nl"]
    assert "Frequent use" in "".join(columns[0].itertext())
    assert "Vaak gebruik" in "".join(columns[1].itertext())


def test_the_public_page_links_every_published_language_version_with_hreflang(
    client: Any, dutch: Post, source: Post, author: Any, languages: Any
) -> None:
    translations.translate_post(source=source, language=languages["fr"], actor=author)  # a draft
    tree = html5lib.parse(client.get(dutch.get_public_url()).content.decode())
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in tree.iter(f"{NS}link")
        if link.get("rel") == "alternate" and link.get("hreflang")
    }
    assert alternates == {"nl": dutch.get_public_url(), "en": source.get_public_url()}
    body_links = {a.get("hreflang") for a in tree.iter(f"{NS}a") if a.get("hreflang")}
    assert body_links == {"en"}


def test_the_public_page_warns_once_the_source_publishes_a_safety_change(
    client: Any, dutch: Post, source: Post, author: Any, reviewer: Any
) -> None:
    assert in_dutch(translations.NOTICE) not in client.get(dutch.get_public_url()).content.decode()
    save(source, author, body="Now 280 mg.", safety_relevant=True, public_change_note="Dose.")
    publish(source, author, reviewer)
    page = client.get(dutch.get_public_url()).content.decode()  # the cache was renewed
    tree = html5lib.parse(page)
    banner = tree.find(f".//{NS}p[@class='untranslated-banner']")
    assert banner is not None
    assert "".join(banner.itertext()) == in_dutch(translations.NOTICE)


def test_an_editor_lets_a_refused_translation_out_from_the_export_page(
    client: Any, editor: Any, behind: Post
) -> None:
    export = reverse("content:post_export", args=[behind.pk])
    client.force_login(editor)
    page = client.get(export).content.decode()
    assert "An update of the source is not yet translated" in page
    override = reverse("content:translation_override", args=[behind.pk])
    assert f'action="{override}"' in page and "Let it through" in page
    refused = client.post(override, {"reason": "  ", "back": "export"})
    assert refused["Location"] == export and not TranslationOverride.objects.exists()
    done = client.post(override, {"reason": "Needed at the festival tonight.", "back": "export"})
    assert done["Location"] == export
    decision = TranslationOverride.objects.get()
    assert (decision.actor, decision.reason) == (editor, "Needed at the festival tonight.")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.TRANSLATION_OVERRIDDEN, post=behind
    ).exists()
    after = client.get(export).content.decode()
    assert "Let it through" not in after and 'value="final"' in after


def test_an_author_is_told_to_ask_an_editor_on_the_export_page_and_cannot_override(
    author_client: Any, behind: Post
) -> None:
    page = author_client.get(reverse("content:post_export", args=[behind.pk])).content.decode()
    assert "An update of the source is not yet translated" in page
    assert "Only an editor may let this translation be exported" in page
    override = reverse("content:translation_override", args=[behind.pk])
    assert override not in page
    response = author_client.post(override, {"reason": "Please.", "back": "export"})
    assert response.status_code == 403 and not TranslationOverride.objects.exists()


def test_an_export_refused_for_another_reason_offers_no_translation_override(
    client: Any, editor: Any, source: Post
) -> None:
    Post.objects.filter(pk=source.pk).update(review_due=datetime.date(2020, 1, 1))
    client.force_login(editor)
    page = client.get(reverse("content:post_export", args=[source.pk])).content.decode()
    assert '<p class="notice" role="note">' in page and 'value="final"' not in page  # overdue
    assert "Let it through" not in page and "Only an editor may" not in page


@pytest.mark.parametrize("role", ["author", "editor"])
def test_the_refused_export_page_of_a_translation_speaks_dutch_to_each_role(
    client: Any, author: Any, editor: Any, behind: Post, role: str
) -> None:
    person = {"author": author, "editor": editor}[role]
    set_studio_language(user=person, language="nl")
    client.force_login(person)
    page = client.get(reverse("content:post_export", args=[behind.pk])).content.decode()
    assert '<html lang="nl">' in page and english_left(page, "nl") == []
    for english in ("An update of the source", "Only an editor may", "Let it through"):
        assert english not in page, english
