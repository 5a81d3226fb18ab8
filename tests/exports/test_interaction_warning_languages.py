"""The interaction warning's own words (its heading and the level) are in the post's language
in every export format, whatever the language of the person exporting: literal Dutch and French
here, so an untranslated word fails (the explanations come from the table, in each language)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from content import exports
from content.models import ExportProfile
from tests.exports.test_interaction_warnings import html_profile, naming, visible

__all__ = ["html_profile"]  # a fixture of the interaction warning tests, used here

WORDS = {
    "nl": ("Waarschuwing: gevaarlijke combinaties", "tramadol + XTC (Gevaarlijk)"),
    "fr": ("Attention : mélanges dangereux", "ecstasy + Tramal (Dangereux)"),
}
NAMED = {"nl": ("XTC", "tramadol"), "fr": ("ecstasy", "Tramal")}
ENGLISH = ("Warning: dangerous combinations", "(Dangerous)")


@pytest.mark.parametrize("code", ["nl", "fr"])
def test_the_warnings_heading_and_level_are_in_the_posts_language_in_every_format(
    code: str, author: Any, reviewer: Any, html_profile: ExportProfile
) -> None:
    post = naming(NAMED[code], code, author, reviewer)
    for profile in ExportProfile.objects.filter(active=True):
        with translation.override("en"):  # the studio's language does not matter
            outcome = exports.export_post(post=post, profile=profile, actor=author, final=True)
        text = visible("\n".join(outcome.parts), profile)
        for words in WORDS[code]:
            assert words in text, (profile.slug, words, text[:600])
        for english in ENGLISH:
            assert english not in text, (profile.slug, english)
