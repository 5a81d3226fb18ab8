"""A final export never loses the address readers use to check it."""

from __future__ import annotations

import pytest

from content import exports, reposts, workflow
from content.exporters import ExportError
from content.exporters.placeholders import ADDRESS_NOT_SET
from content.models import Repost
from tests.support import ONION, profile


def test_a_tor_export_without_an_onion_address_is_refused_clearly(published, author, settings):
    settings.PUBLIC_ONION_URL = ""
    with pytest.raises(ExportError, match="PUBLIC_ONION_URL is not set") as refused:
        exports.export_post(post=published, profile=profile("dread"), actor=author, final=True)
    assert "{onion_url}" in str(refused.value)


def test_a_preview_shows_that_the_address_is_missing(published, author, settings):
    settings.PUBLIC_ONION_URL = ""
    outcome = exports.export_post(
        post=published, profile=profile("dread"), actor=author, final=False
    )
    assert ADDRESS_NOT_SET in outcome.result.parts[-1]


def test_with_the_onion_address_set_the_final_export_carries_it(published, author):
    outcome = exports.export_post(
        post=published, profile=profile("dread"), actor=author, final=True
    )
    assert ONION + published.get_public_url() in outcome.result.parts[-1]


def test_a_withdrawal_notice_also_needs_the_address(published, author, editor, settings):
    repost = reposts.record_repost(
        post=published,
        profile=profile("dread"),
        actor=author,
        where="Dread thread",
        posted_on=published.published_at.date(),
    )
    workflow.withdraw(post=published, actor=editor, reason="Wrong")
    settings.PUBLIC_ONION_URL = ""
    with pytest.raises(ExportError, match="PUBLIC_ONION_URL"):
        exports.withdrawal_notice(repost=Repost.objects.get(pk=repost.pk), actor=editor)
