"""Translations of posts: the link to the source revision, drift, safety changes, overrides."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.utils.translation import gettext, override

from content import exports, translations
from content.models import (
    AuditEvent,
    ExportProfile,
    Post,
    PostKind,
    Revision,
    TranslationOverride,
)
from content.revision_schema import RevisionContent, SourceRef
from content.revisions import compare, create_post, save_revision
from content.states import publish_latest
from tests.support import content_of

DUTCH = dict(title="Ketamine en je blaas", body="Vaak gebruik kan je blaas **beschadigen**.")


def save(post: Post, author: Any, **changes: Any) -> Revision:
    post = Post.objects.get(pk=post.pk)
    base = RevisionContent.of(post.expect_latest_revision())
    revision = save_revision(
        post=post,
        author=author,
        content=dataclasses.replace(base, **changes),
        base_revision_id=post.latest_revision_id,
    )
    assert revision is not None
    return revision


def publish(post: Post, author: Any, reviewer: Any) -> Post:
    return publish_latest(Post.objects.get(pk=post.pk), author=author, reviewers=[reviewer])


def source_article(author: Any, reviewer: Any, english: Any) -> Post:
    """An English article whose revision 3 is published."""
    post = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())
    save(post, author, summary="Second.")
    save(post, author, summary="Third.")
    return publish(post, author, reviewer)


def translated(source: Post, author: Any, reviewer: Any, languages: Any) -> Post:
    """The Dutch translation of revision 3, translated and published."""
    post = translations.translate_post(source=source, language=languages["nl"], actor=author)
    save(post, author, **DUTCH)
    return publish(post, author, reviewer)


@pytest.fixture
def source(author: Any, reviewer: Any, english: Any) -> Post:
    return source_article(author, reviewer, english)


@pytest.fixture
def dutch(source: Post, author: Any, reviewer: Any, languages: Any) -> Post:
    return translated(source, author, reviewer, languages)


def test_translating_links_a_new_post_to_the_sources_published_revision(
    source: Post, author: Any, languages: Any
) -> None:
    post = translations.translate_post(source=source, language=languages["fr"], actor=author)
    first = post.expect_latest_revision()
    assert (post.language.code, post.kind) == ("fr", source.kind)
    assert post.translation_group == source.translation_group
    assert first.number == 1 and first.translates_id == source.published_revision_id
    assert (first.title, first.body) == (source.title, source.expect_latest_revision().body)
    assert RevisionContent.of(first).translates == SourceRef.of(source.expect_published_revision())
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSLATION_STARTED)
    assert (event.post_id, event.details["source_revision"]) == (post.pk, 3)


def test_a_second_translation_into_one_language_is_refused_and_names_the_first(
    dutch: Post, source: Post, editor: Any, languages: Any
) -> None:
    with pytest.raises(translations.TranslationExists) as refused:
        translations.translate_post(source=source, language=languages["nl"], actor=editor)
    assert refused.value.post == dutch
    with pytest.raises(translations.TranslationExists) as again:
        translations.translate_post(source=dutch, language=languages["en"], actor=editor)
    assert again.value.post == source
    with pytest.raises(translations.TranslationError, match="already in English"):
        translations.translate_post(source=source, language=languages["en"], actor=editor)
    assert Post.objects.count() == 2


def test_only_people_who_may_create_posts_translate(
    source: Post, reviewer: Any, languages: Any
) -> None:
    with pytest.raises(translations.TranslationNotPermitted):
        translations.translate_post(source=source, language=languages["fr"], actor=reviewer)
    assert Post.objects.count() == 1


def test_a_translation_never_published_translates_the_sources_latest_revision(
    author: Any, english: Any, languages: Any
) -> None:
    draft = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of()
    )
    post = translations.translate_post(source=draft, language=languages["nl"], actor=author)
    assert post.expect_latest_revision().translates_id == draft.latest_revision_id


def test_the_link_is_content_hashed_and_diffed_while_posts_without_it_keep_their_hash(
    dutch: Post, source: Post
) -> None:
    revision = dutch.expect_published_revision()
    content = RevisionContent.of(revision)
    assert content.content_hash == revision.content_hash
    unlinked = dataclasses.replace(content, translates=None)
    assert unlinked.content_hash != content.content_hash
    assert content_of().content_hash == source.revisions.get(number=1).content_hash
    rows = {diff.label: diff for diff in compare(unlinked, content)}
    assert rows["Translates"].changed
    assert "revision 3 of “Ketamine and your bladder”" in rows["Translates"].html
    assert "Translates" not in {diff.label for diff in compare(None, content_of())}


# --- The scenario the issue asks for -----------------------------------------------------------


def test_a_safety_change_of_the_source_flags_blocks_and_warns_until_translated(
    dutch: Post, source: Post, author: Any, reviewer: Any, client: Any
) -> None:
    assert translations.drift(dutch) is None
    assert exports.final_blocker(dutch) == ""
    save(source, author, body="Now **280 mg** pills.", safety_relevant=True,
         public_change_note="New dose.")  # fmt: skip
    publish(source, author, reviewer)  # revision 4, a safety change
    dutch = Post.objects.get(pk=dutch.pk)

    flagged = translations.drift(dutch)
    assert flagged is not None and flagged.since == 3 and flagged.newest.number == 4
    assert flagged.safety
    reason = exports.final_blocker(dutch)
    assert reason.startswith("An update of the source is not yet translated")
    assert "revision 4" in reason and "revision 3" in reason
    with pytest.raises(exports.NotExportable, match="not yet translated"):
        exports.export_post(post=dutch, profile=_profile(), actor=author, final=True)
    page = client.get(dutch.get_public_url()).content.decode()
    assert in_dutch(translations.NOTICE) in page  # the post's language, whatever the reader's

    # The translator follows revision 4, a reviewer approves, it is published: all clear.
    fourth = SourceRef.of(Revision.objects.get(post=source, number=4))
    save(dutch, author, body="Nu pillen van **280 mg**.", translates=fourth,
         public_change_note="Nieuwe dosis.")  # fmt: skip
    dutch = publish(dutch, author, reviewer)
    assert translations.drift(dutch) is None
    assert exports.final_blocker(dutch) == ""
    exports.export_post(post=dutch, profile=_profile(), actor=author, final=True)
    page = client.get(dutch.get_public_url()).content.decode()
    assert in_dutch(translations.NOTICE) not in page


def test_a_change_not_marked_for_safety_flags_the_studio_only(
    dutch: Post, source: Post, author: Any, reviewer: Any, client: Any
) -> None:
    save(source, author, summary="Reworded.")
    publish(source, author, reviewer)
    dutch = Post.objects.get(pk=dutch.pk)
    flagged = translations.drift(dutch)
    assert flagged is not None and not flagged.safety
    assert exports.final_blocker(dutch) == ""
    assert in_dutch(translations.NOTICE) not in client.get(dutch.get_public_url()).content.decode()


def test_a_safety_change_in_an_unpublished_revision_counts_when_a_later_one_is_published(
    dutch: Post, source: Post, author: Any, reviewer: Any
) -> None:
    save(source, author, body="280 mg.", safety_relevant=True, public_change_note="Dose.")
    save(source, author, summary="Typo fixed.")  # revision 5, not marked
    publish(source, author, reviewer)
    assert translations.untranslated_update(Post.objects.get(pk=dutch.pk)) is not None


def test_every_published_change_of_a_drug_alert_matters_for_safety(
    author: Any, reviewer: Any, editor: Any, english: Any, languages: Any
) -> None:
    alert = create_post(author=author, language=english, kind=PostKind.DRUG_ALERT,
                        content=content_of(title="Orange Tesla"))  # fmt: skip
    alert = publish_latest(alert, author=author, reviewers=[reviewer, editor])
    post = translations.translate_post(source=alert, language=languages["fr"], actor=author)
    publish_latest(post, author=author, reviewers=[reviewer, editor])
    save(alert, author, body="Seen in Ghent too.")  # not marked by the author
    publish_latest(Post.objects.get(pk=alert.pk), author=author, reviewers=[reviewer, editor])
    assert exports.final_blocker(Post.objects.get(pk=post.pk)).startswith("An update")


# --- Overrides ---------------------------------------------------------------------------------


@pytest.fixture
def behind(dutch: Post, source: Post, author: Any, reviewer: Any) -> Post:
    save(source, author, body="280 mg.", safety_relevant=True, public_change_note="Dose.")
    publish(source, author, reviewer)
    return Post.objects.get(pk=dutch.pk)


def test_an_editor_lets_a_translation_out_with_a_reason_and_the_warning_stays(
    behind: Post, editor: Any, author: Any, client: Any
) -> None:
    with pytest.raises(translations.TranslationError, match="Say why"):
        translations.override(post=behind, actor=editor, reason="  ")
    decision = translations.override(post=behind, actor=editor, reason="The clinic needs it now.")
    assert decision.revision_id == behind.published_revision_id
    assert decision.source_revision.number == 4
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSLATION_OVERRIDDEN)
    assert event.details["reason"] == "The clinic needs it now." and event.actor == editor
    assert exports.final_blocker(behind) == ""
    outcome = exports.export_post(post=behind, profile=_profile(), actor=author, final=True)
    assert in_dutch(translations.NOTICE) in outcome.parts[0]
    assert in_dutch(translations.NOTICE) in client.get(behind.get_public_url()).content.decode()
    with override("en"), pytest.raises(translations.TranslationError, match="nothing to override"):
        translations.override(post=behind, actor=editor, reason="Again.")


def test_an_override_does_not_cover_a_later_safety_change_of_the_source(
    behind: Post, source: Post, editor: Any, author: Any, reviewer: Any
) -> None:
    translations.override(post=behind, actor=editor, reason="Needed now.")
    save(source, author, body="300 mg.", safety_relevant=True, public_change_note="Dose again.")
    publish(source, author, reviewer)
    assert exports.final_blocker(Post.objects.get(pk=behind.pk)).startswith("An update")


def test_only_editors_override(behind: Post, author: Any, reviewer: Any) -> None:
    for person in (author, reviewer):
        with pytest.raises(translations.TranslationNotPermitted):
            translations.override(post=behind, actor=person, reason="Please.")
    assert not TranslationOverride.objects.exists()
    assert exports.final_blocker(behind).startswith("An update")


def in_dutch(message: str) -> str:
    """`message` as the Dutch catalogue says it, which must not be the English words again (or
    every check of "the Dutch words are there" would pass with no Dutch at all)."""
    with override("nl"):
        said = gettext(message)
    assert said != message, f"no Dutch for {message!r}"
    return said


def _profile() -> Any:
    return ExportProfile.objects.filter(sign=False, active=True).first()


@pytest.mark.django_db
def test_the_demo_has_an_english_alert_with_dutch_and_french_translations_one_behind() -> None:
    from django.core.management import call_command

    call_command("seed_demo", stdout=__import__("io").StringIO())
    source = Post.objects.get(slug="high-dose-mdma-pills-orange-tesla")
    versions = {
        post.language.code: post
        for post in Post.objects.filter(translation_group=source.translation_group)
    }
    assert set(versions) == {"en", "nl", "fr"}
    assert all(post.published_revision_id for post in versions.values())
    dutch, french = versions["nl"], versions["fr"]
    assert dutch.expect_published_revision().translates == source.published_revision
    assert translations.drift(dutch) is None
    behind = translations.drift(french)
    assert behind is not None and behind.since == 1 and behind.safety
    assert exports.final_blocker(french).startswith("An update of the source")
