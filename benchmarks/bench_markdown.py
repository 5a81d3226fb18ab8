"""Markdown rendering: ms per step and per KB of `render_html`, next to cmark-gfm + nh3.

Run: DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/bench_markdown.py
     ... bench_markdown.py --profile   cProfile of one sanitize() of the 20 KB body's HTML:
                                       where bleach spends its time

Bodies of about 2, 20 and 95 KB are generated from a fixed seed (headings, paragraphs with
emphasis, code and links, lists, tables, quotes, code blocks, our own and foreign images).
Per body it prints content.markdown's steps, cmark-gfm + nh3 doing the same job, and the ways of
calling bleach: once per document or per top-level block, with one Cleaner or a new one per call.
nh3 gets the same allowlist as content.markdown (tags, attribute names and values through the
same predicate, protocols); it is measured here only and never used by content/.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

import bleach  # noqa: E402
import cmarkgfm  # noqa: E402
import nh3  # noqa: E402
from markdown_it.token import Token  # noqa: E402

from content import markdown  # noqa: E402

WORDS = [
    "dose", "onset", "peak", "duration", "tolerance", "redose", "scale", "milligram", "water",
    "friend", "alcohol", "heart", "temperature", "overheating", "benzodiazepine", "opioid",
    "naloxone", "fentanyl", "testing", "reagent", "kit", "pill", "pressed", "powder", "crystal",
    "swallow", "wait", "hours", "minutes", "risk", "mixing", "sleep", "hydrate", "cool", "rest",
    "help", "ambulance", "breathing", "unconscious", "recovery", "position", "service",
    "anonymous", "strength", "batch", "lab", "result", "warning", "dizzy", "nausea", "anxiety",
    "support", "night", "festival", "shared",
]  # fmt: skip


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    # Inline markup at the density of real posts: emphasis, code, a link every few sentences.
    i = rng.randrange(len(words))
    words[i] = rng.choice(
        [
            f"**{words[i]}**",
            f"*{words[i]}*",
            f"`{words[i]}`",
            f"~~{words[i]}~~",
            f"[{words[i]}](https://www.euda.europa.eu/{words[i]})",
            f"[{words[i]}](/facts/{words[i]}/)",
            f"<mailto:info@{words[i]}.example>",
            words[i] + " & co",
        ]
    )
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _section(rng: random.Random, n: int) -> str:
    blocks = [f"## {n}. {' '.join(rng.choices(WORDS, k=3)).capitalize()}", _paragraph(rng)]
    kinds = ["list", "ordered", "table", "quote", "code", "image", "paragraph", "h3"]
    for kind in rng.sample(kinds, 5):
        if kind == "list":
            items = [f"- {_sentence(rng)}" for _ in range(rng.randint(3, 6))]
            items.insert(1, f"  - {_sentence(rng)}")
            blocks.append("\n".join(items))
        elif kind == "ordered":
            start = rng.choice([1, 1, 3])
            items = [f"{start + k}. {_sentence(rng)}" for k in range(rng.randint(3, 5))]
            blocks.append("\n".join(items))
        elif kind == "table":
            rows = [
                f"| {rng.choice(WORDS)} | {rng.randint(1, 300)} mg | {rng.randint(5, 90)} min |"
                for _ in range(rng.randint(3, 8))
            ]
            blocks.append("| Substance | Dose | Onset |\n|:--|--:|:--:|\n" + "\n".join(rows))
        elif kind == "quote":
            blocks.append("> " + _paragraph(rng) + "\n>\n> - " + _sentence(rng))
        elif kind == "code":
            blocks.append(f"```text\n{rng.randint(10, 500)} mg / 10 ml = x mg per ml\n```")
        elif kind == "image":
            local = f"![{rng.choice(WORDS)} pill](/media/uploads/{n}.webp)"
            foreign = f"![lab photo](https://lab.example/{n}.jpg)"
            blocks.append(f"{local} {foreign}")
        elif kind == "h3":
            blocks.append(f"### {rng.choice(WORDS).capitalize()}\n\n{_paragraph(rng)}")
        else:
            blocks.append(_paragraph(rng))
    return "\n\n".join(blocks)


def body(kilobytes: float, seed: int = 2026) -> str:
    """A post of about `kilobytes` KB of UTF-8 Markdown, the same on every run."""
    rng = random.Random(seed)  # noqa: S311  (a fixed corpus, not a secret)
    sections: list[str] = [f"# A guide of {kilobytes:g} KB\n\n{_paragraph(rng)}"]
    target = kilobytes * 1024
    while len("\n\n".join(sections).encode()) < target:
        sections.append(_section(rng, len(sections)))
    # Stop at the section boundary nearest the target, so the sizes read as asked.
    shorter = "\n\n".join(sections[:-1])
    if len(sections) > 2 and target - len(shorter.encode()) < len("\n\n".join(sections)) - target:
        sections.pop()
    return "\n\n".join(sections)


MIN_SECONDS = 0.3


ROUNDS = 3


def timed(action: Callable[[], object], *, min_seconds: float | None = None) -> float:
    """CPU seconds per call: the best of ROUNDS rounds, each averaged over at least 3 calls and
    `min_seconds` / ROUNDS.

    This process's CPU time and the best round, because other work on a shared machine only
    ever adds wall-clock time (everything measured here runs in this one thread).
    """
    min_seconds = MIN_SECONDS if min_seconds is None else min_seconds
    best = float("inf")
    for _ in range(ROUNDS):
        calls, start = 0, time.process_time()
        while True:
            action()
            calls += 1
            elapsed = time.process_time() - start
            if elapsed >= min_seconds / ROUNDS and calls >= 3:
                break
        best = min(best, elapsed / calls)
    return best


def new_cleaner() -> bleach.Cleaner:
    """A Cleaner built as content.markdown builds its own (same allowlist and options)."""
    return bleach.Cleaner(
        tags=markdown.ALLOWED_TAGS,
        attributes=markdown._allowed_attribute,
        protocols=markdown.ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def _nh3_attribute(tag: str, name: str, value: str) -> str | None:
    return value if markdown._allowed_attribute(tag, name, value) else None


# The attribute names content.markdown._allowed_attribute can accept; their values go through
# the same predicate (above). rel is written by our renderer, so nh3 must not add its own.
NH3 = nh3.Cleaner(
    tags=set(markdown.ALLOWED_TAGS),
    attributes={
        "a": {"href", "title", "rel"},
        "img": {"src", "alt", "title"},
        "th": {"class"},
        "td": {"class"},
        "ol": {"start"},
        "code": {"class"},
    },
    attribute_filter=_nh3_attribute,
    url_schemes=set(markdown.ALLOWED_PROTOCOLS),
    strip_comments=True,
    link_rel=None,
)
CMARK_EXTENSIONS = ["table", "strikethrough", "autolink"]  # unsafe stays off: raw HTML omitted


def cmark_html(text: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(text, extensions=CMARK_EXTENSIONS)


def forget_blocks() -> None:
    """Empty content.markdown's memo of sanitized blocks, so a call starts cold.

    Looked up with getattr so that the script also measures revisions from before the memo.
    """
    memo = getattr(markdown, "_BLOCKS", None)
    if memo is not None:
        memo.clear()


def blocks(tokens: list[Token]) -> list[list[Token]]:
    """Top-level blocks, as the HTML exporter groups them."""
    from content.exporters.base import top_level_groups

    return top_level_groups(tokens)


def row(label: str, seconds: float, kilobytes: float, note: str = "") -> None:
    ms = seconds * 1000
    print(f"  {label:44} {ms:8.2f} ms  {ms / kilobytes:6.3f} ms/KB  {note}".rstrip())


def bench(kb: float) -> tuple[float, float, float]:
    text = body(kb)
    size = len(text.encode()) / 1024
    md = markdown._parser()
    tokens = markdown.parse(text)
    html = md.renderer.render(tokens, md.options, {})
    groups = [md.renderer.render(group, md.options, {}) for group in blocks(tokens)]
    print(
        f"\nBody of {size:.1f} KB Markdown: {len(groups)} top-level blocks, "
        f"{len(html.encode()) / 1024:.1f} KB HTML before sanitizing"
    )

    print(" content.markdown (markdown-it-py + bleach)")
    parse_s = timed(lambda: markdown.parse(text))
    render_s = timed(lambda: md.renderer.render(tokens, md.options, {}))
    sanitize_s = timed(lambda: markdown.sanitize(html))

    def cold() -> None:
        forget_blocks()
        markdown.render_html(text)

    total_s = timed(cold)
    row("parse (with the length and depth checks)", parse_s, size)
    row("render (markdown-it-py renderer)", render_s, size)
    row("sanitize (bleach, once over the document)", sanitize_s, size)
    row("render_html, first time this text is seen", total_s, size)
    markdown.render_html(text)
    row("render_html, same text again", timed(lambda: markdown.render_html(text)), size)
    # A live preview while the author types: each call has one paragraph the last did not.
    edits = itertools.count()
    middle = text.find("\n\n", len(text) // 2)

    def edited() -> None:
        markdown.render_html(f"{text[:middle]}\n\nEdit number {next(edits)}.{text[middle:]}")

    row("render_html, one new paragraph each call", timed(edited), size)

    print(" cmark-gfm + nh3, same allowlist")
    cmark_s = timed(lambda: cmark_html(text))
    cmark_output = cmark_html(text)
    nh3_s = timed(lambda: NH3.clean(cmark_output))
    nh3_ours_s = timed(lambda: NH3.clean(html))
    row("cmark-gfm (tables, strikethrough, autolink)", cmark_s, size)
    row("nh3 over cmark-gfm's HTML", nh3_s, size)
    row("cmark-gfm + nh3", cmark_s + nh3_s, size, f"{total_s / (cmark_s + nh3_s):.0f}x faster")
    same = "same output as bleach" if NH3.clean(html) == markdown.sanitize(html) else "differs"
    row("nh3 over our renderer's HTML", nh3_ours_s, size, same)

    print(" sanitizing our renderer's HTML with bleach")
    cleaner = new_cleaner()
    per_document = timed(lambda: cleaner.clean(html))
    row("once per document, one Cleaner reused", per_document, size)
    row("once per document, new Cleaner per call", timed(lambda: new_cleaner().clean(html)), size)
    per_block = timed(lambda: [cleaner.clean(g) for g in groups])
    row(
        f"per block ({len(groups)} calls), one Cleaner reused",
        per_block,
        size,
        f"{per_block / per_document - 1:+.0%} against once per document",
    )
    row(
        f"per block ({len(groups)} calls), new Cleaner per call",
        timed(lambda: [new_cleaner().clean(g) for g in groups]),
        size,
    )
    row("constructing one Cleaner", timed(new_cleaner), size)
    if "".join(cleaner.clean(g) for g in groups) != cleaner.clean(html):
        print("  !! per block and once per document give different HTML")
    if markdown.render_html(text) != cleaner.clean(html):
        print("  !! render_html differs from one bleach pass over the rendered document")
    return size, total_s, cmark_s + nh3_s


def profile(kb: float) -> None:
    md = markdown._parser()
    html = md.renderer.render(markdown.parse(body(kb)), md.options, {})
    markdown.sanitize(html)
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [markdown.sanitize(html) for _ in range(10)])
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", action="store_true", help="cProfile sanitize() on 20 KB")
    parser.add_argument(
        "--min-seconds", type=float, default=0.3, help="time each measurement at least this long"
    )
    arguments = parser.parse_args()
    MIN_SECONDS = arguments.min_seconds
    if arguments.profile:
        profile(20)
        sys.exit()
    results = [bench(kb) for kb in (2, 20, 95)]
    print("\nrender_html against cmark-gfm + nh3 (first time a text is seen)")
    print(f"  {'body':>9}  {'render_html':>17}  {'cmark-gfm + nh3':>17}  ratio")
    for size, ours, theirs in results:
        print(
            f"  {size:6.1f} KB  {ours * 1000:8.2f} ms {ours * 1000 / size:5.2f}/KB"
            f"  {theirs * 1000:8.2f} ms {theirs * 1000 / size:5.3f}/KB  {ours / theirs:4.0f}x"
        )
