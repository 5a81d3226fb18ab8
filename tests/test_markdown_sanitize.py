"""How the Markdown pipeline calls bleach: one Cleaner per thread, and the memo of clean blocks.

Text seen for the first time goes through bleach in one call; a block is sanitized on its own
(and kept) the second time it is seen, and costs nothing the third time. Every path must give
exactly what one bleach call over the whole rendered text gives, which is what revisions store.
"""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content import markdown


@pytest.fixture(autouse=True)
def empty_memo() -> Iterator[None]:
    # The memo lives for the process; each test starts from a known state and leaves none.
    markdown._BLOCKS.clear()
    yield
    markdown._BLOCKS.clear()


@pytest.fixture
def bleach_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = markdown.sanitize

    def counting(html: str) -> str:
        calls.append(html)
        return real(html)

    monkeypatch.setattr(markdown, "sanitize", counting)
    return calls


def _post(paragraphs: int) -> str:
    # Unique words, so no other test can have put these blocks in the memo.
    tag = uuid.uuid4().hex
    blocks = [f"## Part {tag}", f"| a | b |\n|---|--:|\n| {tag} | 1 |", "---"]
    blocks += [f"Paragraph {n} *of* [{tag}](https://a.example/{n})." for n in range(paragraphs)]
    blocks += ["---", f"> - quoted {tag}\n\n```text\n{tag}\n```"]
    return "\n\n".join(blocks)


def test_text_seen_for_the_first_time_costs_one_bleach_call(bleach_calls: list[str]) -> None:
    markdown.render_html(_post(20))
    assert len(bleach_calls) == 1  # the rule repeated in the text does not split the call


def test_blocks_seen_again_are_sanitized_alone_once_then_kept(bleach_calls: list[str]) -> None:
    text = _post(20)
    first = markdown.render_html(text)
    bleach_calls.clear()
    assert markdown.render_html(text) == first
    assert len(bleach_calls) == 26 - 1  # every block once, the repeated rule only once
    bleach_calls.clear()
    assert markdown.render_html(text) == first
    assert bleach_calls == []


def test_an_edited_paragraph_is_the_only_thing_sanitized(bleach_calls: list[str]) -> None:
    text = _post(20)
    markdown.render_html(text)
    markdown.render_html(text)
    edited = text.replace("Paragraph 7 *of*", "Paragraph 7 **of**")
    bleach_calls.clear()
    rendered = markdown.render_html(edited)
    assert bleach_calls == ['<p>Paragraph 7 <strong>of</strong> <a href="https://a.example/7" '
                            f'rel="{markdown.LINK_REL}">{text.split()[2]}</a>.</p>\n']  # fmt: skip
    markdown._BLOCKS.clear()
    assert rendered == markdown.render_html(edited)


FRAGMENTS = [
    "word ", "*", "_", "**", "~~", "`", "\n", "\n\n", "# ", "> ", "- ", "1. ", "    ", "---\n",
    "| a | b |\n|---|:-:|\n| c | d |\n", "```py\n", "```\n", "[l](https://a.example/)",
    "[l](javascript:alert(1))", "[l](ftp://h/f)", "![i](/media/i.png)", "![i](https://x.example/i)",
    "<https://a.example>", "<b>", "</p>", "&amp;", "&", "<", '"', "\\", "\x00", "é", "\t",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join), min_size=1, max_size=8)
)
def test_every_path_through_the_memo_gives_the_html_of_one_bleach_call(parts: list[str]) -> None:
    text = "\n\n".join(parts)
    shorter = "\n\n".join(parts[1:])
    markdown._BLOCKS.clear()
    cold = markdown.render_html(text)  # no block seen before: one call over the whole text
    markdown._BLOCKS.clear()
    shorter_cold = markdown.render_html(shorter)
    # Now the blocks of `shorter` have been seen once: `text` mixes seen and new ones.
    assert markdown.render_html(text) == cold
    assert markdown.render_html(text) == cold
    assert markdown.render_html(text) == cold
    assert markdown.render_html(shorter) == shorter_cold


def test_a_block_too_large_to_keep_is_sanitized_every_time(bleach_calls: list[str]) -> None:
    memo = markdown._BlockMemo(budget=1_600)  # keeps blocks of up to 100 characters
    large, small = f"<p>{'x' * 200}</p>\n", "<p>small</p>\n"
    outputs = [memo.clean_blocks([large, small]) for _ in range(4)]
    assert outputs == [large + small] * 4
    assert bleach_calls == [large + small, large, small, large, large]


def test_the_memo_holds_at_most_its_budget() -> None:
    memo = markdown._BlockMemo(budget=2_000)
    blocks = [f"<p>{n} {'x' * 90}</p>\n" for n in range(100)]
    clean = memo.clean_blocks(blocks)
    assert memo.clean_blocks(blocks) == clean and memo.clean_blocks(blocks) == clean
    assert 0 < memo._held <= 2_000
    assert memo._held == sum(len(b) + len(c or "") for b, c in memo._entries.items())


def _in_threads(count: int, work: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_threads_sanitizing_at_the_same_time_each_get_their_own_result() -> None:
    # A Cleaner shared by threads mixed their documents up or raised IndexError from html5lib.
    documents = [markdown.render_html(_post(40)) for _ in range(4)]
    expected = [markdown.sanitize(html) for html in documents]
    results: list[list[str | BaseException]] = [[] for _ in documents]

    def work(i: int) -> None:
        for _ in range(8):
            try:
                results[i].append(markdown.sanitize(documents[i]))
            except Exception as error:  # reported by the assertion below
                results[i].append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, as a loaded server does
    try:
        _in_threads(len(documents), work)
    finally:
        sys.setswitchinterval(interval)
    assert results == [[clean] * 8 for clean in expected]
