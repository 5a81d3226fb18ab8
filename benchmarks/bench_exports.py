"""Export throughput: ms per export and MB/s for every format and dialect, next to a bare parse.

Run: DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/bench_exports.py
     ... bench_exports.py --seeded   every post in the database (e.g. after `manage.py seed_demo`)
                                     in every export profile stored there, unsigned
The core, `bench(documents, settings)`, takes any documents and profiles.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from content.exporters import ExportDocument, ExportSettings, ExportSource, export  # noqa: E402
from content.exporters.registry import dialects_by_format  # noqa: E402
from content.markdown import parse  # noqa: E402

SECTION = """\
## Section {n}: what to know

Start **low** and go *slow*: ~100 mg is a lot for a first time, 10^3 µg = 1 mg. See
[the study](https://example.org/study/{n}) and [our fact sheet](/facts/{n}).

1. Weigh with a 0.001 g scale
2. Dissolve in water (volumetric dosing)
   - 10 ml of water
   - label the bottle
3. Wait ~~30~~ 90 minutes before redosing

> Mixing with alcohol raises the risk. Tell a friend what you took.

| Substance | Common dose | Onset |
|-----------|------------:|-------|
| A | 10 mg | 30 min |
| B | 5 mg | 60 min |

```
100 mg / 10 ml = 10 mg per ml
```
"""


def document(sections: int) -> ExportDocument:
    body = "\n\n".join(SECTION.format(n=n) for n in range(sections))
    return ExportDocument(
        title=f"A guide in {sections} sections",
        summary="Dosing, interactions and when to get help.",
        body=body,
        sources=(ExportSource("A study", "https://pubmed.example.org/1", date(2024, 1, 1)),),
        version=2,
        content_hash="0" * 64,
        approvals=2,
        canonical_url="https://hr.example.org/posts/guide",
        onion_url="http://hrexample.onion/posts/guide",
        is_final=True,
    )


def profiles() -> list[ExportSettings]:
    out = []
    for fmt, dialects in dialects_by_format().items():
        for dialect in dialects:
            out.append(
                ExportSettings(
                    format=fmt,
                    dialect=dialect,
                    max_length=20_000,
                    link_policy="onion_internal" if fmt == "bbcode" else "keep",
                    header_template="{title} (v{version}, {reviewers})",
                    footer_template="Checked against {url} - hash {hash}",
                )
            )
    return out


MIN_SECONDS = 0.3


def timed(action: Callable[[], object], *, min_seconds: float | None = None) -> float:
    """Seconds per call, averaged over enough calls to last `min_seconds`."""
    min_seconds = MIN_SECONDS if min_seconds is None else min_seconds
    calls, start = 0, time.perf_counter()
    while True:
        action()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls


def seeded() -> tuple[list[ExportDocument], list[tuple[str, ExportSettings]]]:
    """Every post's latest revision, and every stored profile (signing left out: gpg's cost is
    the key's, not the exporter's)."""
    from content.exports import document_for, settings_for
    from content.models import ExportProfile, Post

    posts = Post.objects.select_related("language", "latest_revision").order_by("pk")
    documents = [
        document_for(post, post.latest_revision, final=False)
        for post in posts
        if post.latest_revision_id
    ]
    profiles = [(p.slug, settings_for(p, final=False)) for p in ExportProfile.objects.all()]
    return documents, profiles


def bench(
    documents: Sequence[ExportDocument],
    settings: Sequence[ExportSettings | tuple[str, ExportSettings]],
) -> None:
    named = [
        item if isinstance(item, tuple) else (f"{item.format} {item.dialect}".strip(), item)
        for item in settings
    ]
    total_bytes, total_seconds = 0, 0.0
    for doc in documents:
        size = len(doc.body.encode())
        parse_s = timed(lambda doc=doc: parse(doc.body))
        print(f"\n{doc.title}: {size / 1024:.1f} KB Markdown")
        print(f"  {'bare parse':28} {parse_s * 1000:8.2f} ms  {size / parse_s / 1e6:7.2f} MB/s")
        for name, profile in named:
            seconds = timed(lambda doc=doc, profile=profile: export(doc, profile))
            total_bytes, total_seconds = total_bytes + size, total_seconds + seconds
            parts = len(export(doc, profile).parts)
            print(
                f"  {name:28} {seconds * 1000:8.2f} ms  {size / seconds / 1e6:7.2f} MB/s"
                f"  {seconds / parse_s:5.1f}x parse  {parts} part(s)"
            )


    if total_seconds:
        count = len(documents) * len(named)
        print(
            f"\n{count} exports: {total_seconds / count * 1000:.2f} ms per export on average, "
            f"{total_bytes / total_seconds / 1e6:.2f} MB/s"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--seeded", action="store_true", help="export the database's posts in its profiles"
    )
    parser.add_argument(
        "--min-seconds", type=float, default=0.3, help="time each measurement at least this long"
    )
    arguments = parser.parse_args()
    MIN_SECONDS = arguments.min_seconds
    if arguments.seeded:
        seeded_documents, seeded_profiles = seeded()
        if not seeded_documents:
            sys.exit("No posts in the database; run `manage.py seed_demo` first.")
        bench(seeded_documents, seeded_profiles)
    else:
        bench([document(n) for n in (4, 20, 170)], profiles())
