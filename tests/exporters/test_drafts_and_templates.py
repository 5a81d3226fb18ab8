from __future__ import annotations

import pytest

from content.exporters import (
    DRAFT_BANNER,
    ExportSettings,
    SigningError,
    TemplateError,
    export,
    validate_template,
)
from content.exporters.signing import Signer
from tests.exporters.helpers import ALL_FORMATS, rich_document


@pytest.mark.parametrize(("fmt", "dialect"), ALL_FORMATS)
def test_every_part_of_a_draft_starts_with_the_draft_banner(fmt: str, dialect: str) -> None:
    profile = ExportSettings(format=fmt, dialect=dialect, max_length=900, header_template="{title}")
    result = export(rich_document(is_final=False), profile)
    assert len(result.parts) > 1
    for part in result.parts:
        assert DRAFT_BANNER in part.splitlines()[0]
    assert not result.signed


def test_a_final_document_has_no_draft_banner() -> None:
    (part,) = export(rich_document(), ExportSettings(format="plaintext")).parts
    assert DRAFT_BANNER not in part


def test_drafts_are_never_signed() -> None:
    profile = ExportSettings(format="plaintext", sign=True)
    with pytest.raises(SigningError, match="never signed"):
        export(rich_document(is_final=False), profile, signer=Signer("/nonexistent", "ABC"))


def test_header_and_footer_placeholders_are_filled() -> None:
    profile = ExportSettings(
        format="plaintext",
        header_template="{title} v{version}, {reviewers}, due {review_due}",
        footer_template="{url} {onion_url} {hash} {published}",
    )
    (part,) = export(rich_document(), profile).parts
    assert "v3, reviewed by 2 professionals, due 2025-04-01" in part
    assert part.endswith(
        "https://hr.example.org/posts/dosing http://hrexample.onion/posts/dosing abc123 2024-04-01"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("by {author}", "Unknown placeholder {author}"),
        ("{title.upper}", "Unknown placeholder {title.upper}"),
        ("{title!r}", "conversion or format"),
        ("{title", "unmatched brace"),
    ],
)
def test_bad_templates_are_refused_with_a_clear_message(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("{", r"\{").replace("}", r"\}")):
        validate_template(template)


def test_literal_braces_are_allowed_in_templates() -> None:
    validate_template("{{not a placeholder}} {title}")
