"""How the Markdown pipeline calls bleach: one Cleaner per thread."""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Callable

from content import markdown


def _post(paragraphs: int) -> str:
    # Unique words: every call gives a different document.
    tag = uuid.uuid4().hex
    blocks = [f"## Part {tag}", f"| a | b |\n|---|--:|\n| {tag} | 1 |", "---"]
    blocks += [f"Paragraph {n} *of* [{tag}](https://a.example/{n})." for n in range(paragraphs)]
    blocks += ["---", f"> - quoted {tag}\n\n```text\n{tag}\n```"]
    return "\n\n".join(blocks)


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
