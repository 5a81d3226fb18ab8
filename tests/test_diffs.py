"""Revision diffs: lines then words, escaped, lossless, and with work linear in the input.

The work is asserted through DiffResult.operations, never through the clock.
"""

from __future__ import annotations

import html
import random
import re
from typing import Any

from django.urls import reverse

from content.diffs import (
    MAX_BLOCK_TOKENS,
    MAX_DEPTH,
    NOTE_LINE_ENDINGS,
    NOTE_TOO_DIFFERENT,
    diff_text,
)
from content.models import Post
from content.revisions import save_revision
from tests.support import content_of

TOKENS = re.compile(r"\s+|\S+")  # a word or a run of white space, as the diff counts them
NOTE = re.compile(r'<p class="diff-note">[^<]*</p>')
# What DiffResult documents: at most about 4 operations per item per level of alignment.
PER_TOKEN = 4 * (MAX_DEPTH + 1)


def prose(size: int, *, seed: int, vocabulary: int = 3_000) -> str:
    """`size` characters of random words in paragraphs of 20 to 120 words."""
    rng = random.Random(seed)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(vocabulary)
    ]
    paragraphs: list[str] = []
    length = 0
    while length < size:
        paragraph = " ".join(rng.choice(words) for _ in range(rng.randint(20, 120)))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size]


def sides(diff: str) -> tuple[str, str]:
    """The old and the new text a diff shows (notes left out), unescaped."""
    diff = NOTE.sub("", diff)
    old = re.sub(r"<ins>.*?</ins>", "", diff, flags=re.DOTALL)
    new = re.sub(r"<del>.*?</del>", "", diff, flags=re.DOTALL)
    strip = re.compile(r"</?(?:del|ins)>")
    return html.unescape(strip.sub("", old)), html.unescape(strip.sub("", new))


def tokens(*texts: str) -> int:
    return sum(len(TOKENS.findall(text)) for text in texts)


# --- Work -------------------------------------------------------------------------------------


def test_two_unrelated_100_kb_bodies_are_compared_with_work_linear_in_their_size() -> None:
    old, new = prose(100_000, seed=1), prose(100_000, seed=2)
    result = diff_text(old, new)
    bound = PER_TOKEN * tokens(old, new)
    assert result.operations <= bound
    # Comparing every token with every other, as SequenceMatcher over words did, is far past it.
    assert tokens(old) * tokens(new) > 100 * bound
    assert sides(result.html) == (old, new)


def test_the_work_grows_linearly_with_the_texts_even_without_the_bounds() -> None:
    unbounded = {"max_block_tokens": 10**9, "max_field_tokens": 10**9}
    small = diff_text(prose(25_000, seed=3), prose(25_000, seed=4), **unbounded)
    large = diff_text(prose(100_000, seed=3), prose(100_000, seed=4), **unbounded)
    assert small.whole_blocks == large.whole_blocks == 0
    # Four times the text: about four times the work (a quadratic diff would do sixteen).
    assert large.operations < 6 * small.operations


def test_rewritten_sections_under_unchanged_headings_stay_within_the_bounds() -> None:
    def sectioned(seed: int) -> str:
        parts = prose(100_000, seed=seed).split("\n\n")
        return "\n\n".join(f"## Section {n}\n\n{part}" for n, part in enumerate(parts[:400]))

    old, new = sectioned(5), sectioned(6)
    result = diff_text(old, new)
    assert result.operations <= PER_TOKEN * tokens(old, new)
    assert "## Section 7\n\n" in NOTE.sub("", result.html).replace("<del>", "").replace("<ins>", "")
    assert sides(result.html) == (old, new)


# --- What a reader sees -----------------------------------------------------------------------


def test_a_small_edit_in_a_long_body_shows_only_that_edit() -> None:
    old = prose(20_000, seed=7)
    paragraphs = old.split("\n\n")
    middle = len(paragraphs) // 2
    words = paragraphs[middle].split(" ")
    changed = [*words[:5], "250 mg", *words[6:]]
    paragraphs[middle] = " ".join(changed)
    new = "\n\n".join(paragraphs)

    result = diff_text(old, new)

    assert result.html.count("<del>") == result.html.count("<ins>") == 1
    assert f"<del>{words[5]}</del><ins>250 mg</ins>" in result.html
    assert " ".join(words[:5]) + " <del>" in result.html  # the words around it are plain text
    assert "</ins> " + " ".join(words[6:10]) in result.html
    assert result.operations <= PER_TOKEN * (old.count("\n") + new.count("\n") + 200)


def test_a_block_over_the_bound_is_shown_whole_under_a_note() -> None:
    # One paragraph per side, no line in common: a single run of changed lines.
    old = prose(80_000, seed=8).replace("\n\n", " ")
    new = "Intro <b>\n" + prose(80_000, seed=9).replace("\n\n", " ")
    assert tokens(old, new) > MAX_BLOCK_TOKENS

    result = diff_text(old, new)

    assert result.whole_blocks == 1
    assert result.html.startswith(f'<p class="diff-note">{NOTE_TOO_DIFFERENT}</p><del>')
    assert f"<del>{html.escape(old)}</del><ins>{html.escape(new)}</ins>" in result.html
    assert sides(result.html) == (old, new)


def test_blocks_past_the_field_budget_are_shown_whole_and_earlier_ones_word_by_word() -> None:
    # Six changed lines, each between two unchanged ones: six runs of changed lines.
    old = "".join(f"Dose {n}.\nTake one pill and wait.\n" for n in range(6)) + "End."
    new = "".join(f"Dose {n}.\nTake half a pill and wait.\n" for n in range(6)) + "End."

    # Each changed middle is four tokens ("one" against "half", " ", "a"): two fit in ten.
    result = diff_text(old, new, max_field_tokens=10)

    assert result.whole_blocks == 4
    assert result.html.startswith("Dose 0.\nTake <del>one</del><ins>half a</ins> pill")
    assert result.html.count(str(NOTE_TOO_DIFFERENT)) == result.whole_blocks
    assert sides(result.html) == (old, new)


def test_html_in_either_text_comes_out_escaped() -> None:
    old = "Same <script>alert(1)</script>\nold <img src=x onerror=alert(2)>\n"
    new = "Same <script>alert(1)</script>\nnew <script>alert(3)</script>\n"
    for result in (diff_text(old, new), diff_text(old, new, max_block_tokens=1)):
        assert "<script>" not in result.html and "<img" not in result.html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.html
        assert "&lt;script&gt;alert(3)&lt;/script&gt;" in result.html
        assert "&lt;img src=x" in result.html
        assert sides(result.html) == (old, new)


def test_a_moved_paragraph_is_shown_removed_where_it_was_and_added_where_it_is() -> None:
    first, moved, last = "Test your pills.", "Start low, go slow.", "Never use alone."
    result = diff_text(f"{first}\n\n{moved}\n\n{last}\n", f"{first}\n\n{last}\n\n{moved}\n")
    assert result.html.startswith(f"{first}\n\n<del>{moved}")
    assert f"{last}\n<ins>\n{moved}\n</ins>" in result.html
    assert sides(result.html) == (
        f"{first}\n\n{moved}\n\n{last}\n",
        f"{first}\n\n{last}\n\n{moved}\n",
    )


def test_an_empty_old_text_shows_everything_as_added() -> None:
    assert diff_text("", "Dose: 10 mg\n\nWait.").html == "<ins>Dose: 10 mg\n\nWait.</ins>"
    assert diff_text("Wait.", "").html == "<del>Wait.</del>"


def test_identical_texts_cost_nothing_and_mark_nothing() -> None:
    text = prose(20_000, seed=10) + "\n<b>"
    result = diff_text(text, text)
    assert result.operations == 0
    assert result.html == html.escape(text)


def test_line_endings_alone_mark_nothing_and_say_so() -> None:
    lf = "First line\nSecond line\n\nThird"
    result = diff_text(lf.replace("\n", "\r\n"), lf)
    assert "<del>" not in result.html and "<ins>" not in result.html
    assert result.html == f'<p class="diff-note">{NOTE_LINE_ENDINGS}</p>{lf}'


def test_a_word_changed_next_to_changed_line_endings_is_all_that_is_marked() -> None:
    old = "Take one pill.\r\nWait two hours.\r\n"
    new = "Take one pill.\nWait three hours.\n"
    assert diff_text(old, new).html == (
        "Take one pill.\nWait <del>two</del><ins>three</ins> hours.\n"
    )


def test_white_space_changes_are_shown_as_white_space() -> None:
    assert diff_text("a b", "a  b").html == "a<del> </del><ins>  </ins>b"
    assert diff_text("one\ntwo\n", "one two\n").html == "one<del>\n</del><ins> </ins>two\n"


def test_changes_separated_only_by_white_space_are_one_pair() -> None:
    assert diff_text("alpha\n\nbeta\n", "gamma\n\ndelta\n").html == (
        "<del>alpha\n\nbeta</del><ins>gamma\n\ndelta</ins>\n"
    )
    assert diff_text("take one pill now", "take half a tab now").html == (
        "take <del>one pill</del><ins>half a tab</ins> now"
    )


# --- Through the compare page -----------------------------------------------------------------


def test_the_compare_page_of_two_unrelated_95_kb_revisions_answers(
    author_client: Any, post: Post, author: Any
) -> None:
    first = post.expect_latest_revision()
    save_revision(
        post=post,
        author=author,
        content=content_of(body=prose(95_000, seed=11)),
        base_revision_id=first.pk,
        change_note="Long version",
    )
    post.refresh_from_db()
    save_revision(
        post=post,
        author=author,
        content=content_of(body=prose(95_000, seed=12)),
        base_revision_id=post.latest_revision_id,
        change_note="Rewritten",
    )

    response = author_client.get(
        reverse("content:revision_compare", args=[post.pk]), {"from": 2, "to": 3}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert str(NOTE_TOO_DIFFERENT) in page  # unrelated bodies: shown whole, under the note
