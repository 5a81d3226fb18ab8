"""The demo and the interaction table: every substance the demo posts name is in the table, and
a published demo post names MDMA, tramadol and alcohol, so its page and exports warn at once."""

from __future__ import annotations

from io import StringIO
from itertools import combinations
from typing import Any

import html5lib
import pytest
from django.core.management import call_command

from content import exports, interactions
from content.demo_data import DEMO_POSTS
from content.models import ExportProfile, Post


@pytest.mark.django_db
def test_every_substance_a_demo_post_names_is_in_the_interaction_table() -> None:
    index = interactions.substance_index()
    for demo in DEMO_POSTS:
        for _note, content in demo.versions:
            named = {interactions.lookup(name, index) for name in content.substances}
            assert None not in named, (demo.slug, content.substances)
            if len(named) >= 2:
                pairs = [interactions.current(a, b) for a, b in combinations(named, 2)]  # type: ignore[arg-type]
                assert any(pairs), demo.slug


@pytest.mark.django_db
def test_the_demo_post_naming_mdma_tramadol_and_alcohol_warns_on_its_page_and_exports(
    client: Any, export_settings: Any
) -> None:
    call_command("seed_demo", stdout=StringIO())
    post = Post.objects.get(slug="mdma-tramadol-alcohol")
    assert post.published_revision_id == post.latest_revision_id
    page = html5lib.parse(client.get(post.get_public_url()).content, namespaceHTMLElements=False)
    text = " ".join("".join(page.itertext()).split())
    assert "Warning: dangerous combinations" in text
    assert "MDMA + tramadol (Dangerous): Both raise serotonin" in text
    assert "alcohol + tramadol (Dangerous)" in text
    assert "alcohol + MDMA" not in text  # "caution": below the public page's level
    editor = post.created_by
    outcome = exports.export_post(
        post=post, profile=ExportProfile.objects.get(slug="plain-text"), actor=editor, final=True
    )
    assert "MDMA + tramadol (Dangerous)" in outcome.parts[0]
