"""content.forum_preview without the database: forum Markdown draws strikethrough and bare
addresses as links, BBCode only the dialect's tags (the rest stays text, as on the forum),
HTML shows as it is, and sizes and fonts are not drawn."""

from __future__ import annotations

from content.forum_preview import preview_html


def test_forum_markdown_draws_strikethrough_and_makes_bare_addresses_links() -> None:
    for dialect in ("commonmark", "reddit"):
        rendered = preview_html(
            "~~500 mg~~ 250 mg, see https://www.euda.europa.eu/",
            format="forum_markdown",
            dialect=dialect,
        )
        assert "<s>500 mg</s>" in rendered or "<del>500 mg</del>" in rendered
        assert '<a href="https://www.euda.europa.eu/"' in rendered


def test_bbcode_draws_only_the_dialects_tags() -> None:
    # MyBB has [s] and [hr]; phpBB 3 has neither, so its readers see the brackets.
    markup = "[s]old[/s] new\n[hr]"
    assert "<s>old</s>" in preview_html(markup, format="bbcode", dialect="mybb18")
    phpbb = preview_html(markup, format="bbcode", dialect="phpbb3")
    assert "[s]old[/s]" in phpbb and "<s>" not in phpbb and "<hr" not in phpbb


def test_html_shows_as_it_is() -> None:
    part = '<h2>Dose</h2><p><strong>Start low</strong>, <a href="https://example.org/">read</a></p>'
    rendered = preview_html(part, format="html")
    assert "<h2>Dose</h2>" in rendered and "<strong>Start low</strong>" in rendered
    assert 'href="https://example.org/"' in rendered


def test_sizes_and_fonts_are_not_drawn() -> None:
    rendered = preview_html(
        "[size=200]big[/size] [font=Arial]plain[/font]", format="bbcode", dialect="vbulletin4"
    )
    assert "big" in rendered and "plain" in rendered
    assert "style" not in rendered and "[size" not in rendered and "<font" not in rendered
