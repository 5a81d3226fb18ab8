"""The expiry notice of a Dutch drug alert is Dutch, whatever the language of the editor who
fetches it, and has none of the English words; the French one French."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from content import exports, languages, reposts, roles
from content.models import Language, Repost
from tests.readers import rendered_html, visible_text
from tests.support import profile
from tests.test_alert_expiry import DAY_AFTER, EXPIRES, REAL_TODAY, TESTED, make_alert, on_day

__all__ = ["on_day"]  # a fixture of the expiry tests, used here

EXPECTED = {
    "nl": (
        "Verlopen: Oranje Tesla",
        f"Deze drugwaarschuwing is verlopen op {EXPIRES.isoformat()}. Het was versie 1",
    ),
    "fr": (
        "Expirée : Oranje Tesla",
        f"Cette alerte drogue a expiré le {EXPIRES.isoformat()}. C'était la version 1",
    ),
}
ENGLISH = ("Expired:", "This drug alert expired", "It was version", "do not rely on it")


@pytest.mark.parametrize("code", ["nl", "fr"])
def test_the_expiry_notice_of_an_alert_speaks_the_alerts_language(
    author: Any, reviewer: Any, make_user: Any, editor: Any, export_settings: Any, on_day: Any,
    code: str,
) -> None:  # fmt: skip
    language, _ = Language.objects.get_or_create(code=code, defaults={"name": code})
    second = make_user("second_reviewer", roles.REVIEWERS)
    alert = make_alert(author, [reviewer, second], language, title="Oranje Tesla")
    reposts.record_repost(
        post=alert, profile=profile("phpbb"), actor=author, where="thread", posted_on=TESTED
    )
    languages.set_studio_language(user=editor, language="en")
    on_day(DAY_AFTER)
    repost = Repost.objects.select_related("post", "post__language", "revision", "profile").get()
    with translation.override("en"):  # the editor's language does not matter
        outcome = exports.notice_for(repost=repost, actor=editor)
    text = " ".join(visible_text(rendered_html("\n".join(outcome.parts), "bbcode")).split())
    for words in EXPECTED[code]:
        assert words in text, (words, text)
    assert repost.revision.content_hash in text and REAL_TODAY.isoformat() in text
    for english in ENGLISH:
        assert english not in text, (english, text)
