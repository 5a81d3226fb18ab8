"""export_post and export_posts: output, files, exit codes and messages."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from content.exporters import DRAFT_BANNER
from content.models import AuditEvent
from content.revisions import create_post
from tests.support import content_of, publish_latest


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_post_prints_the_final_export_and_audits_it(published) -> None:
    out, _err = run("export_post", published.slug, "--profile", "phpbb", "--language", "en")
    assert out.startswith("Ketamine and your bladder (version 1, reviewed by 1 professional)")
    assert "[list]" in out and DRAFT_BANNER not in out
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert event.actor is None and event.details["profile"] == "phpbb"


def test_export_post_of_a_draft_fails_with_a_clear_message_and_exit_code_1(post) -> None:
    with pytest.raises(CommandError, match="no published text yet") as failure:
        run("export_post", post.slug, "--profile", "dread")
    assert failure.value.returncode == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_export_post_can_print_a_draft_preview(post) -> None:
    out, _err = run("export_post", post.slug, "--profile", "dread", "--preview")
    assert DRAFT_BANNER in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-post", "--profile", "dread"], "No post with the slug"),
        (["{slug}", "--profile", "nope"], "No active export profile “nope”. Profiles:"),
        (["{slug}", "--profile", "dread", "--language", "fr"], "in language “fr”"),
    ],
)
def test_export_post_explains_bad_arguments(published, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        run("export_post", *[a.format(slug=published.slug) for a in args])


def test_export_post_asks_for_a_language_when_a_slug_is_shared(
    published, author, reviewer, languages
) -> None:
    create_post(author=author, language=languages["nl"], kind="article", content=content_of(),
                slug=published.slug)  # fmt: skip
    with pytest.raises(CommandError, match=r"\(en, nl\); add --language"):
        run("export_post", published.slug, "--profile", "dread")


def test_export_posts_writes_every_published_post_with_a_progress_bar(
    published, post, author, reviewer, english, tmp_path
) -> None:
    other = create_post(author=author, language=english, kind="article",
                        content=content_of(title="GHB and sleep"))  # fmt: skip
    publish_latest(other, author=author, reviewer=reviewer)
    create_post(author=author, language=english, kind="article",
                content=content_of(title="A draft"))  # fmt: skip
    out, err = run("export_posts", "--profile", "reddit", "--out", str(tmp_path / "out"))
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [f"en-{other.slug}-v1-reddit.txt", f"en-{published.slug}-v1-reddit.txt"]
    assert "Wrote 2 post(s)" in out
    assert "Exporting (reddit)" in err and "2/2" in err


def test_export_posts_with_an_unknown_profile_fails(tmp_path, db) -> None:
    with pytest.raises(CommandError, match="No active export profile"):
        run("export_posts", "--profile", "nope", "--out", str(tmp_path))
