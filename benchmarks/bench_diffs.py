"""Revision diffs: ms per compare and operations, the old word diff next to content.diffs.

Run: DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/bench_diffs.py
     ... bench_diffs.py --old-budget 60   give the old diff up to 60 s per case (default 10)

The old diff (SequenceMatcher over every word and space, as content/revisions.py had it) is kept
here for comparison only. It runs in a child process, stopped when it is over its budget: it is
quadratic, and two unrelated 95 KB bodies took it 48-55 s.
"""

from __future__ import annotations

import argparse
import difflib
import multiprocessing
import os
import random
import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.utils.html import escape  # noqa: E402

from content.diffs import diff_text  # noqa: E402

_WORDS = re.compile(r"\s+|[^\s]+")


def old_word_diff(old: str, new: str) -> str:
    """The diff content/revisions.py had before content/diffs.py, for comparison only."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if removed:
            out.append(f"<del>{escape(''.join(removed))}</del>")
        if added:
            out.append(f"<ins>{escape(''.join(added))}</ins>")
        removed.clear()
        added.clear()

    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        same = "".join(a[i1:i2])
        between_changes = 0 < index < len(opcodes) - 1 and (removed or added)
        if op == "equal" and not (between_changes and not same.strip()):
            flush()
            out.append(escape(same))
            continue
        removed.extend(a[i1:i2])
        added.extend(b[j1:j2])
    flush()
    return "".join(out)


# --- Texts ------------------------------------------------------------------------------------

RNG = random.Random(2026)  # noqa: S311 - made-up texts, not secrets
VOCABULARY = [
    "".join(RNG.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(RNG.randint(2, 9)))
    for _ in range(3_000)
]


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(20, 120)))


def body(size: int, rng: random.Random) -> str:
    """About `size` characters of random words in paragraphs, with a heading now and then."""
    parts: list[str] = []
    while sum(len(part) + 2 for part in parts) < size:
        parts.append(f"## {paragraph(rng)[:40]}" if rng.random() < 0.1 else paragraph(rng))
    return "\n\n".join(parts)[:size]


def edit(text: str, rng: random.Random) -> str:
    """One author's edit: change a few words, add, drop or move a paragraph."""
    parts = text.split("\n\n")
    n = rng.randrange(len(parts))
    # Adding and dropping balance out around 20 KB, as a post that is kept up to date does.
    resize = "drop" if len(text) > 20_000 else "add"
    what = rng.choice(["words", "words", "words", resize, "move"])
    if what == "words":
        words = parts[n].split(" ")
        for _ in range(rng.randint(1, 3)):
            words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
        parts[n] = " ".join(words)
    elif what == "add":
        parts.insert(n, paragraph(rng))
    elif what == "drop" and len(parts) > 1:
        del parts[n]
    else:
        parts.insert(rng.randrange(len(parts)), parts.pop(n))
    return "\n\n".join(parts)


def three_line_edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for n in rng.sample([i for i, line in enumerate(lines) if line], 3):
        words = lines[n].split(" ")
        words[len(words) // 2] = "changed"
        lines[n] = " ".join(words)
    return "\n".join(lines)


def cases() -> list[tuple[str, str, str]]:
    rng = random.Random(1)  # noqa: S311 - made-up texts, not secrets
    post = body(20_000, rng)
    history = [post]
    for _ in range(99):
        history.append(edit(history[-1], rng))
    return [
        ("(a) 3-line edit, 20 KB body", post, three_line_edit(post, rng)),
        ("(b) revision 99 vs 100, 20 KB", history[98], history[99]),
        ("(b) revision 1 vs 100, 20 KB", history[0], history[99]),
        ("(c) unrelated bodies, 95 KB", body(95_000, rng), body(95_000, rng)),
        ("(c) unrelated bodies, 100 KB", body(100_000, rng), body(100_000, rng)),
    ]


# --- Timing -----------------------------------------------------------------------------------


def timed(action: Callable[[], object], min_seconds: float) -> float:
    """Seconds per call, averaged over enough calls to last `min_seconds`."""
    calls, start = 0, time.perf_counter()
    while True:
        action()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls


def _time_old(old: str, new: str, results: multiprocessing.Queue[float]) -> None:
    start = time.perf_counter()
    old_word_diff(old, new)
    results.put(time.perf_counter() - start)


def time_old(old: str, new: str, budget: float) -> float | None:
    """Seconds for one old diff, or None when it was stopped after `budget` seconds."""
    results: multiprocessing.Queue[float] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_time_old, args=(old, new, results))
    child.start()
    child.join(budget)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return results.get()


def bench(min_seconds: float, old_budget: float) -> None:
    print(
        f"{'case':32} {'KB old+new':>10} {'old ms':>10} {'new ms':>8} "
        f"{'operations':>10} {'whole blocks':>12}"
    )
    stopped = False
    for name, old, new in cases():
        seconds = time_old(old, new, old_budget)
        stopped = stopped or seconds is None
        old_ms = f"{seconds * 1000:.1f}" if seconds is not None else f">{old_budget * 1000:.0f}*"
        result = diff_text(old, new)
        new_s = timed(partial(diff_text, old, new), min_seconds)
        size = (len(old) + len(new)) / 1000
        print(
            f"{name:32} {size:10.0f} {old_ms:>10} {new_s * 1000:8.2f} "
            f"{result.operations:10d} {result.whole_blocks:12d}"
        )
    if stopped:
        print(f"* the old diff was stopped after its budget of {old_budget:.0f} s (--old-budget)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--min-seconds", type=float, default=0.3, help="time each new diff at least this long"
    )
    parser.add_argument(
        "--old-budget", type=float, default=10, help="stop the old diff after this many seconds"
    )
    arguments = parser.parse_args()
    bench(arguments.min_seconds, arguments.old_budget)
