"""Export throughput: ms per export and MB/s for every format and dialect, next to a bare parse.

Run: DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/bench_exports.py
The core, `bench(documents)`, takes any documents, so seeded posts can be fed to it later.
"""

from __future__ import annotations

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
from content.exporters.base import DIALECTS  # noqa: E402
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
    for fmt, dialects in DIALECTS.items():
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


def timed(action: Callable[[], object], *, min_seconds: float = 0.3) -> float:
    """Seconds per call, averaged over enough calls to last `min_seconds`."""
    calls, start = 0, time.perf_counter()
    while True:
        action()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / calls


def bench(documents: Sequence[ExportDocument], settings: Sequence[ExportSettings]) -> None:
    for doc in documents:
        size = len(doc.body.encode())
        parse_s = timed(lambda doc=doc: parse(doc.body))
        print(f"\n{doc.title}: {size / 1024:.1f} KB Markdown")
        print(f"  {'bare parse':28} {parse_s * 1000:8.2f} ms  {size / parse_s / 1e6:7.2f} MB/s")
        for profile in settings:
            name = f"{profile.format} {profile.dialect}".strip()
            seconds = timed(lambda doc=doc, profile=profile: export(doc, profile))
            parts = len(export(doc, profile).parts)
            print(
                f"  {name:28} {seconds * 1000:8.2f} ms  {size / seconds / 1e6:7.2f} MB/s"
                f"  {seconds / parse_s:5.1f}x parse  {parts} part(s)"
            )


if __name__ == "__main__":
    bench([document(n) for n in (4, 20, 170)], profiles())
