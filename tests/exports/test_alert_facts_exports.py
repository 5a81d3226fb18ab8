"""A drug alert's facts in every export format and on its public page, read back by the forums'
kind of parser (cmark-gfm, the `bbcode` package per dialect, html5lib): each fact is there,
before the text, in the post's language; a table where the format has one."""

from __future__ import annotations

from typing import Any

import cmarkgfm
import html5lib
import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from content import exports, markdown, roles, states
from content.alerts import facts_markdown
from content.exporters.bbcode_dialects import DIALECTS
from content.models import ExportProfile, Language, Post, PostKind
from content.revisions import create_post
from tests.exports.test_reader_verification import (  # noqa: F401 - fixtures
    downloaded_parts,
    paste_into_verify,
    signing_everywhere,
)
from tests.readers import gpg_verify, shown, signed_copy
from tests.support import content_of
from tests.test_alert_facts import FACTS

# What a reader must see of FACTS, whatever the format and the language.
SEEN = ["MDMA", "240 mg", "Caffeine", "Ecstasy (orange Tesla)", "orange", "Tesla", "shield",
        "410 mg", "2026-11-20", "Brussels", "Modus Vivendi drug checking",
        "2027-02-20"]  # fmt: skip
WORDS = ["Sold as", "pill", "High dose", "Valid until", "not measured"]


def words(code: str) -> list[str]:
    """Our words of the block in the post's language (the catalogue's), whatever the
    language of the person exporting (English in these tests)."""
    with translation.override(code):
        said = [pgettext("per unit", word) if word == "pill" else gettext(word) for word in WORDS]
    if code != "en":  # an untranslated word comes back in English: that must fail, not pass
        assert [word for word, english in zip(said, WORDS, strict=True) if word == english] == []
    return said


BODY_START = "damage the bladder"


@pytest.fixture
def html_profile(db: Any) -> ExportProfile:
    return ExportProfile.objects.create(name="HTML", slug="html-test", format="html", dialect="")


def alert_in(code: str, people: tuple[Any, ...], facts: dict[str, Any] | None = FACTS) -> Post:
    author, *reviewers = people
    language, _created = Language.objects.get_or_create(code=code, defaults={"name": code})
    post = create_post(
        author=author,
        language=language,
        kind=PostKind.DRUG_ALERT,
        content=content_of(title=f"Orange Tesla ({code})", facts=facts or {}),
    )
    return states.publish_latest(post, author=author, reviewers=reviewers)


@pytest.fixture
def people(author: Any, reviewer: Any, make_user: Any) -> tuple[Any, ...]:
    return author, reviewer, make_user("second_reviewer", roles.REVIEWERS)


def html_text(html: str) -> str:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join("".join(tree.itertext()).split())


def visible(part: str, profile: ExportProfile) -> str:
    if profile.format == "html":
        return html_text(part)
    return shown(part, profile.format, profile.dialect)


def profiles() -> list[ExportProfile]:
    """Every active profile, and the BBCode profile once per dialect."""
    found = list(ExportProfile.objects.filter(active=True))
    bbcode = next(p for p in found if p.format == "bbcode")
    for name in DIALECTS:
        variant = ExportProfile.objects.get(pk=bbcode.pk)
        if variant.dialect != name:
            variant.pk, variant.slug, variant.name = None, f"bb-{name}", f"BBCode {name}"
            variant.dialect = name
            variant.save()
            found.append(variant)
    return found


@pytest.mark.parametrize("code", ["en", "nl", "fr"])
def test_every_fact_is_in_every_export_format_before_the_text(
    code: str, people: tuple[Any, ...], html_profile: ExportProfile
) -> None:
    post = alert_in(code, people)
    chosen = profiles()
    assert {p.format for p in chosen} == {"bbcode", "forum_markdown", "plaintext", "html"}
    assert {p.dialect for p in chosen if p.format == "bbcode"} == set(DIALECTS)
    for profile in chosen:
        outcome = exports.export_post(post=post, profile=profile, actor=people[0], final=True)
        part = "\n".join(outcome.parts)
        text = visible(part, profile)
        for fact in SEEN + words(code):
            assert fact in text, (profile.slug, fact, text[:600])
        assert text.index("Ecstasy (orange Tesla)") < text.index(BODY_START), profile.slug


def test_the_substances_are_a_table_where_the_format_has_one(
    people: tuple[Any, ...], html_profile: ExportProfile
) -> None:
    post = alert_in("en", people)
    for profile in profiles():
        part = exports.export_post(post=post, profile=profile, actor=people[0], final=True).parts[0]
        if profile.format == "forum_markdown":
            html = cmarkgfm.github_flavored_markdown_to_html(part)
            assert "<td>MDMA</td>" in html and "<td>240 mg</td>" in html, profile.slug
        elif profile.format == "html":
            assert "<td>MDMA</td>" in part.replace('<td style="text-align:left">', "<td>")
        elif profile.format == "bbcode" and DIALECTS[profile.dialect].table:
            assert "[td]MDMA[/td]" in part.replace("[TD]", "[td]").replace("[/TD]", "[/td]")
        elif profile.format == "bbcode":
            assert "\nMDMA | 240 mg | pill\n" in part, profile.slug
        elif profile.format == "plaintext":
            # Aligned: the amount column starts at the same place on each row.
            rows = [line for line in part.splitlines() if "MDMA" in line or "Caffeine" in line]
            columns = {row.index("240 mg") if "240 mg" in row else row.index("not measured")
                       for row in rows}  # fmt: skip
            assert len(rows) == 2 and len(columns) == 1, rows


def test_the_public_page_shows_the_facts_before_the_text(client: Any, people: Any) -> None:
    post = alert_in("nl", people)
    text = html_text(client.get(post.get_public_url()).content.decode())
    for fact in SEEN + words("nl"):
        assert fact in text, fact
    assert text.index(words("nl")[0]) < text.index(BODY_START)


def test_an_old_alert_without_facts_still_exports_and_renders(
    client: Any, people: tuple[Any, ...]
) -> None:
    post = alert_in("en", people, facts=None)
    assert facts_markdown(post.published_revision, "en") == ""
    for profile in ExportProfile.objects.filter(active=True):
        part = exports.export_post(post=post, profile=profile, actor=people[0], final=True).parts[0]
        assert "Frequent use" in part and "Sold as" not in part
    page = client.get(post.get_public_url())
    assert page.status_code == 200 and "Sold as" not in page.content.decode()


def test_authors_text_in_the_facts_never_becomes_a_link_or_markup(people: Any) -> None:
    sneaky = FACTS | {"sold_as": "[click](https://evil.example) **now** | <b>x</b>"}
    post = alert_in("en", people, facts=sneaky)
    # Read by the one parser every export and the public page use (content.markdown): a bare
    # address is then left to each format's link policy, as in the body.
    html = markdown.render_html(facts_markdown(post.published_revision, "en"))
    assert "<a " not in html and "<strong>now" not in html and "<b>" not in html
    assert "[click](https://evil.example) **now** | &lt;b&gt;x&lt;/b&gt;" in html


def test_a_signed_alert_with_its_facts_verifies_with_gpg_and_on_the_verify_page(
    author_client: Any, people: tuple[Any, ...], team_key: Any, request: pytest.FixtureRequest
) -> None:
    # The fixtures of the reader's end-to-end test: every seeded profile signs; a reader's
    # keyring holds nothing but our public key from /pgp.txt.
    keyring = request.getfixturevalue("reader_keyring")
    post = alert_in("en", people)
    for profile in request.getfixturevalue("signing_everywhere"):
        for raw in downloaded_parts(author_client, post, profile):
            assert gpg_verify(keyring, raw).returncode == 0, profile.slug
            part = raw.decode()
            copied = part if profile.format == "plaintext" else signed_copy(part, profile.format)
            assert "Ecstasy (orange Tesla)" in copied and "240 mg" in copied, profile.slug
            assert gpg_verify(keyring, copied).returncode == 0, profile.slug
            page = paste_into_verify(copied)
            assert f"Good signature by our key {team_key.grouped_fingerprint}." in page
            assert "This is the current published version" in page, profile.slug
