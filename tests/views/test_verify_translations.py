"""/verify/ finds the source of a pasted translation export that carries the notice "an update
of the source is not yet translated": the notice is our words around the text, in every
language, like the export frames (content.public_words.frame_words)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from content import exports, public_words, translations
from content.models import Post
from tests.support import profile
from tests.test_translations import publish, save, source_article

pytestmark = pytest.mark.usefixtures("export_settings")

URL = reverse("public:verify")
DUTCH = dict(
    title="Ketamine en uw blaas",
    summary="Wat regelmatig gebruik met uw blaas doet en wanneer u hulp zoekt.",
    body=(
        "Regelmatig ketaminegebruik kan de blaaswand beschadigen. Vroege tekenen zijn vaak "
        "plassen, pijn bij het plassen en bloed in de urine.\n\n"
        "Stoppen of minder gebruiken helpt meestal. Drink voldoende water en zoek medische hulp "
        "wanneer de klachten aanhouden."
    ),
)


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> None:
    cache.clear()


@pytest.fixture
def behind(author: Any, reviewer: Any, editor: Any, english: Any, languages: Any) -> Post:
    """A published Dutch translation of revision 3, behind a safety change of its source that
    an editor let through: its final exports open with the notice."""
    source = source_article(author, reviewer, english)
    dutch = translations.translate_post(source=source, language=languages["nl"], actor=author)
    save(dutch, author, **DUTCH)
    publish(dutch, author, reviewer)
    save(source, author, body="Now 280 mg.", safety_relevant=True, public_change_note="Dose.")
    publish(source, author, reviewer)
    dutch = Post.objects.get(pk=dutch.pk)
    translations.override(post=dutch, actor=editor, reason="Needed at the festival tonight.")
    return dutch


def test_the_notice_is_among_the_frame_words_in_every_language() -> None:
    for language in ("en", "nl", "fr"):
        with translation.override(language):
            notice = translation.gettext(translations.NOTICE)
        assert set(public_words.indexed(public_words.words(notice))) == set()
    with translation.override("nl"):
        dutch = translation.gettext(translations.NOTICE)
    assert dutch != translations.NOTICE  # the Dutch words, not the English ones again
    assert "vertaald" in public_words.words(dutch) or "vertaling" in public_words.words(dutch)


@pytest.mark.parametrize("slug", ["phpbb", "reddit"], ids=["bbcode", "forum-markdown"])
def test_a_pasted_dutch_translation_export_with_the_notice_finds_its_post(
    behind: Post, author: Any, slug: str
) -> None:
    outcome = exports.export_post(post=behind, profile=profile(slug), actor=author, final=True)
    paste = outcome.parts[0]
    with translation.override("nl"):
        assert translation.gettext(translations.NOTICE) in paste
    reader = Client(enforce_csrf_checks=True)
    form = reader.get(URL).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    page = reader.post(URL, {"text": paste, "token": token}).content.decode()
    result = page[page.index('<section class="verify-result"') : page.index("</section>")]
    assert f"“{DUTCH['title']}”, version 2" in result
