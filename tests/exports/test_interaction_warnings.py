"""Interaction warnings in exports and on the public page: a post that names MDMA and tramadol
(or XTC and tramadol) warns in every export format, read back by the forums' kind of parser
(cmark-gfm, the `bbcode` package, html5lib), and on its public page, in the post's language."""

from __future__ import annotations

from typing import Any

import html5lib
import pytest

from content import exports, interactions
from content.models import (
    ExportProfile,
    InteractionLevel,
    InteractionProposal,
    Language,
    Post,
    PostKind,
    Substance,
)
from content.revisions import create_post
from tests.readers import shown
from tests.support import content_of, publish_latest

ENGLISH_WARNING = "Both raise serotonin: risk of serotonin syndrome and of seizures."
DUTCH_WARNING = "Beide verhogen serotonine: kans op serotoninesyndroom"
FRENCH_WARNING = "Les deux augmentent la sérotonine : risque de syndrome sérotoninergique"


@pytest.fixture
def html_profile(db: Any) -> ExportProfile:
    return ExportProfile.objects.create(name="HTML", slug="html-test", format="html", dialect="")


def naming(substances: tuple[str, ...], code: str, author: Any, reviewer: Any) -> Post:
    language, _created = Language.objects.get_or_create(code=code, defaults={"name": code})
    post = create_post(
        author=author,
        language=language,
        kind=PostKind.ARTICLE,
        content=content_of(title=f"Mixing in {code}", substances=substances),
    )
    return publish_latest(post, author=author, reviewer=reviewer)


def html_text(html: str) -> str:
    """The text of an HTML document or fragment as html5lib (a browser's parser) reads it."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join("".join(tree.itertext()).split())


def visible(part: str, profile: ExportProfile) -> str:
    if profile.format == "html":
        return html_text(part)
    return shown(part, profile.format, profile.dialect)


# The pair is named as the post names it, in the order of its tags (alphabetical).
@pytest.mark.parametrize(("substances", "code", "pair", "explanation"), [
    (("MDMA", "tramadol"), "en", "MDMA + tramadol", ENGLISH_WARNING),
    (("XTC", "tramadol"), "nl", "tramadol + XTC", DUTCH_WARNING),
    (("ecstasy", "Tramal"), "fr", "ecstasy + Tramal", FRENCH_WARNING),
])  # fmt: skip
def test_a_dangerous_pair_is_in_every_export_format_in_the_posts_language(
    substances: tuple[str, ...],
    code: str,
    pair: str,
    explanation: str,
    author: Any,
    reviewer: Any,
    html_profile: ExportProfile,
) -> None:
    post = naming(substances, code, author, reviewer)
    profiles = list(ExportProfile.objects.filter(active=True))
    assert {p.format for p in profiles} == {"bbcode", "forum_markdown", "plaintext", "html"}
    for profile in profiles:
        for final in (True, False):
            outcome = exports.export_post(post=post, profile=profile, actor=author, final=final)
            text = visible("\n".join(outcome.parts), profile)
            assert pair in text, (profile.slug, text[:400])
            assert explanation in text, (profile.slug, text[:400])
            # Before the text of the post.
            assert text.index(explanation) < text.index("damage the bladder"), profile.slug


def test_the_public_page_warns_in_the_posts_language(
    client: Any, author: Any, reviewer: Any
) -> None:
    post = naming(("XTC", "tramadol"), "nl", author, reviewer)
    html = client.get(post.get_public_url()).content.decode()
    text = html_text(html)
    assert "tramadol + XTC" in text and DUTCH_WARNING in text
    assert text.index(DUTCH_WARNING) < text.index("damage the bladder")


def test_a_post_naming_one_substance_or_a_harmless_pair_has_no_warning(
    author: Any, reviewer: Any
) -> None:
    alone = naming(("MDMA",), "en", author, reviewer)
    low = naming(("MDMA", "ketamine"), "en", author, reviewer)
    plain = ExportProfile.objects.get(slug="plain-text")
    for post in (alone, low):
        outcome = exports.export_post(post=post, profile=plain, actor=author, final=True)
        assert "Warning: dangerous combinations" not in outcome.parts[0]
    assert interactions.warnings_markdown(low.expect_latest_revision(), "en") == ""
    # The studio still lists the low-risk pair.
    (found,) = interactions.interactions_for(low.expect_latest_revision())
    assert found.level == InteractionLevel.LOW_SYNERGY


def test_a_profile_may_show_the_lower_levels_too_or_only_the_dangerous_ones(
    author: Any, reviewer: Any
) -> None:
    # MDMA + alcohol is "caution", MDMA + tramadol and tramadol + alcohol "dangerous".
    post = naming(("MDMA", "tramadol", "alcohol"), "en", author, reviewer)
    profile = ExportProfile.objects.get(slug="plain-text")

    def exported() -> str:
        profile.refresh_from_db()
        return exports.export_post(post=post, profile=profile, actor=author, final=True).parts[0]

    default = exported()
    assert "MDMA + tramadol" in default and "alcohol + tramadol" in default
    assert "alcohol + MDMA" not in default and "dehydration" not in default
    assert (
        default.index("alcohol + tramadol")
        < default.index("MDMA + tramadol")
        < default.index("Frequent use")
    )
    ExportProfile.objects.filter(pk=profile.pk).update(interaction_min_level="caution")
    assert "Warning: dangerous combinations" in default
    everything = exported()
    assert "alcohol + MDMA" in everything and "dehydration" in everything
    assert "Warning: combining these substances" in everything
    ExportProfile.objects.filter(pk=profile.pk).update(interaction_min_level="dangerous")
    dangerous_only = exported()
    assert "MDMA + tramadol" in dangerous_only and "dehydration" not in dangerous_only


def test_an_approved_change_reaches_exports_and_the_public_page_at_once(
    client: Any, author: Any, reviewer: Any, editor: Any
) -> None:
    post = naming(("MDMA", "ketamine"), "en", author, reviewer)
    profile = ExportProfile.objects.get(slug="plain-text")
    before = exports.export_post(post=post, profile=profile, actor=author, final=True)
    page = client.get(post.get_public_url()).content.decode()
    assert "Confusion is likely" not in before.parts[0] and "Confusion is likely" not in page
    mdma, ketamine = Substance.objects.get(name="MDMA"), Substance.objects.get(name="ketamine")
    proposal = interactions.propose(
        actor=editor, first=mdma, second=ketamine, level="dangerous",
        explanations={"en": "Confusion is likely.", "nl": "", "fr": ""},
    )  # fmt: skip
    # Proposed only: nothing changes yet (the cached export and page stay right).
    assert (
        "Confusion is likely"
        not in exports.export_post(post=post, profile=profile, actor=author, final=True).parts[0]
    )
    interactions.approve(proposal=proposal, actor=reviewer)
    assert InteractionProposal.objects.get(pk=proposal.pk).status == "approved"
    after = exports.export_post(post=post, profile=profile, actor=author, final=True)
    assert "Confusion is likely" in after.parts[0]
    assert "Confusion is likely" in client.get(post.get_public_url()).content.decode()


def test_a_language_the_table_has_no_explanation_in_reads_the_english_one(
    author: Any, reviewer: Any
) -> None:
    post = naming(("MDMA", "tramadol"), "de", author, reviewer)
    block = interactions.warnings_markdown(post.expect_published_revision(), "de")
    assert ENGLISH_WARNING in block


def test_the_signed_copy_readers_download_carries_the_warning(
    author: Any, reviewer: Any, signed_profile: ExportProfile
) -> None:
    post = naming(("MDMA", "tramadol"), "en", author, reviewer)
    outcome = exports.reader_copy(post, signed_profile.slug)
    assert outcome.result.signed
    text = "\n".join(outcome.parts)
    assert ENGLISH_WARNING in text
    assert text.count("MDMA + tramadol") >= 2  # the formatted post and its signed copy


def test_the_warning_costs_the_public_page_two_queries_whatever_the_table_holds(
    client: Any, author: Any, reviewer: Any, django_assert_num_queries: Any
) -> None:
    post = naming(("XTC", "tramadol", "alcohol", "ketamine"), "en", author, reviewer)
    mdma = Substance.objects.get(name="MDMA")
    for number in range(30):
        mdma.aliases.create(name=f"pill {number}")
    url = post.get_public_url()
    # version, post, approvals, translations, tags, signing profiles + names, pairs
    with django_assert_num_queries(8):
        page = client.get(url)
    assert "tramadol + XTC" in page.content.decode()
