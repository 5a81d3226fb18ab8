"""Pathological Markdown: the slowest inputs within the body limit, step by step.

Run: DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/bench_markdown_worst.py
     ... bench_markdown_worst.py --sizes 10000,100000   other sizes (characters)
     ... bench_markdown_worst.py --family '!['          only families whose name contains this
     ... bench_markdown_worst.py --no-limit    only the given sizes, not also each family's
                                                largest text the limits let through (size<)
     ... bench_markdown_worst.py --full                 also run sizes a smaller one shows to
                                                        take seconds (they can take minutes)

Every family repeats one shape (a run of `[`, a 1,000-column table, deep lists, ...) up to each
size; the families are the ones known to be slow in Markdown parsers (markdown-it issues #732-737,
markdown-it-py #273/#367/#423, md4c #236/#238, cmark #214/#218) and the ones found here. For each
it prints the CPU milliseconds of content.markdown's steps, taken apart: `parse()` (with the
module's checks, so a refused text shows what refusing costs), rendering the tokens, and
sanitizing the HTML (bleach, with the block memo emptied first, as for a text seen for the first
time). "refused" means `parse()` raised MarkdownRefused; its message is printed under the table.

CPU time of this process, not wall-clock time, so that other work on a shared machine does not
show up as Markdown cost. The bound the module aims for is BOUND_MS for any text within the body
limit, on the machine of the README's figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from content import markdown  # noqa: E402
from tests.markdown_shapes import FAMILIES, largest_accepted  # noqa: E402

BOUND_MS = 200.0
# A size that took longer than this is not followed by larger ones (without --full): the
# quadratic families would take minutes at the limit, and the smaller size already says so.
SKIP_AFTER_MS = 3_000.0


def _ms(step: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    result = step()
    return (time.process_time() - start) * 1000, result


def measure(text: str) -> tuple[float, float, float, str | None]:
    """CPU ms of parse, render and sanitize; the refusal message when the text is refused."""
    markdown.clear_memo()
    start = time.process_time()
    try:
        tokens = markdown.parse(text)
    except markdown.MarkdownRefused as error:
        return (time.process_time() - start) * 1000, 0.0, 0.0, str(error)
    parse_ms = (time.process_time() - start) * 1000
    render_ms, blocks = _ms(lambda: markdown.render_blocks(tokens))
    assert isinstance(blocks, list)
    sanitize_ms, _ = _ms(lambda: markdown.sanitize_blocks(blocks))
    return parse_ms, render_ms, sanitize_ms, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--family", default="")
    parser.add_argument("--full", action="store_true")
    parser.add_argument(
        "--no-limit", action="store_true", help="skip the largest accepted text of each family"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    limit = markdown.max_body_chars()

    print(f"CPU ms per step; bound {BOUND_MS:.0f} ms; body limit {limit:,} characters")
    header = f"{'family':<28} {'size':>9} {'parse':>9} {'render':>9} {'sanitize':>9} {'total':>9}"
    print(f"{header}  verdict")
    messages: dict[str, str] = {}
    worst: tuple[float, str, int] = (0.0, "", 0)
    for name, make in FAMILIES.items():
        if args.family not in name:
            continue
        previous_total = 0.0
        texts = [make(min(size, limit)) for size in sizes]
        if not args.no_limit:
            under = largest_accepted(make, limit)
            if under is not None and len(under) < len(texts[-1]):
                texts.append(under)
        for index, text in enumerate(texts):
            # The last row past the given sizes is the largest text the checks let through.
            size_label = f"{len(text):,}" + ("<" if index >= len(sizes) else "")
            if previous_total > SKIP_AFTER_MS and not args.full:
                print(f"{name:<28} {size_label:>9} {'':>39}  skipped (slow at a smaller size)")
                continue
            parse_ms, render_ms, sanitize_ms, refusal = measure(text)
            total = parse_ms + render_ms + sanitize_ms
            previous_total = total
            if refusal is not None:
                verdict = "refused"
                messages.setdefault(name, refusal)
            else:
                verdict = "ok" if total <= BOUND_MS else "SLOW"
            if total > worst[0]:
                worst = (total, name, len(text))
            print(
                f"{name:<28} {size_label:>9} {parse_ms:>9.1f} {render_ms:>9.1f} "
                f"{sanitize_ms:>9.1f} {total:>9.1f}  {verdict}",
                flush=True,
            )
    print(f"\nworst: {worst[1]} at {worst[2]:,} characters, {worst[0]:.0f} ms")
    if messages:
        print("\nrefusals:")
        for name, message in messages.items():
            print(f"  {name}: {message}")


if __name__ == "__main__":
    main()
