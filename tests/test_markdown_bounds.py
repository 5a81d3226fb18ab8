"""Pathological Markdown renders, or is refused, within a bound on the work done.

The bound is asserted by counting function calls (cProfile's count of every Python and builtin
call made while rendering), never by wall-clock time, which depends on the machine and on what
else runs on it. Before the shape limits, a run of '[' made markdown-it walk every nested label
from each bracket: tens of millions of calls and seconds of CPU (benchmarks/
bench_markdown_worst.py prints the times). Now every family, at the body limit and at the largest
size its limits let through, stays under a few hundred calls per character and a fixed ceiling.
"""

from __future__ import annotations

import cProfile
import pstats

import pytest
from django.test import Client
from django.urls import reverse

from content import demo_data, markdown
from tests.markdown_shapes import FAMILIES, largest_accepted
from tests.support import form_data

# Calls per character, plus a constant for the fixed cost of a short text (the renderer's set-up,
# the sanitizer's first call). The densest accepted families make about 190 calls per character
# and a real 95 KB post about 12; quadratic work at 100,000 characters would exceed both by far.
CALLS_PER_CHAR = 250
CALLS_BASE = 20_000
# Any text within the body limit: the limits bound the markup, so the work has a ceiling too
# (the worst accepted family makes about 3.3 million calls, ~290 ms here: the limits are set so
# that a real, dense fact sheet passes, see test_a_dense_real_fact_sheet_is_accepted).
CALLS_CEILING = 4_000_000


def _calls(text: str) -> tuple[int, bool]:
    """The calls made rendering `text` for the first time, and whether it was refused."""
    markdown.clear_memo()
    profile = cProfile.Profile()
    refused = False
    profile.enable()
    try:
        markdown.render_html(text)
    except markdown.MarkdownRefused:
        refused = True
    finally:
        profile.disable()
    return pstats.Stats(profile).total_calls, refused  # type: ignore[attr-defined]


def _assert_bounded(text: str) -> bool:
    calls, refused = _calls(text)
    assert calls <= CALLS_BASE + CALLS_PER_CHAR * len(text), (len(text), calls)
    assert calls <= CALLS_CEILING, (len(text), calls)
    return refused


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_at_the_body_limit_renders_or_is_refused_within_the_bound(family: str) -> None:
    text = FAMILIES[family](markdown.max_body_chars())
    assert len(text) <= markdown.max_body_chars()
    _assert_bounded(text)


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_just_under_its_limits_renders_within_the_bound(family: str) -> None:
    text = largest_accepted(FAMILIES[family], markdown.max_body_chars())
    if text is None:
        pytest.skip("no size of this family passes the checks before parsing")
    _assert_bounded(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Intro\n\n" + "![" * 49_000, "Line 3 has 49,000 '![' in a row"),
        ("[" * 99_999, "Line 1 has 99,999 '[' in a row"),
        ("|a" * 1000 + "|\n" + "|-" * 1000 + "|\n", "Line 1 has 1,000 table columns"),
        ("*a_" * 20_000, f"at most {markdown.MAX_MARKUP_CHARS:,} are allowed"),
        ("- a\n" * 3_000, f"at most {markdown.MAX_LINES:,} are allowed"),
        (("|a|b|\n" * 2_100), f"at most {markdown.MAX_TABLE_CELLS:,} are allowed"),
        ("[x]: /" + "a" * 1000 + "\n\n" + "[x] " * 900, "characters of addresses"),
    ],
)
def test_refusals_name_the_line_or_the_limit(text: str, expected: str) -> None:
    with pytest.raises(markdown.MarkdownTooComplex) as refused:
        markdown.parse(text)
    assert expected in str(refused.value)


def test_the_reported_cases_are_refused_with_little_work() -> None:
    # From the production issue: 10 s, 5 s and 3.6 s of CPU before.
    table = "|a" * 1000 + "|\n" + "|-" * 1000 + "|\n" + "|a" * 1000 + "|\n"
    for text in ("![" * 49_000, "[" * 99_999, table):
        calls, refused = _calls(text)
        assert refused and calls < 300_000, calls


def test_real_posts_are_all_accepted() -> None:
    texts = [
        value
        for name, value in vars(demo_data).items()
        if name.isupper() and isinstance(value, str) and name.endswith("BODY")
    ]
    assert texts, "the demo posts' bodies are module constants ending in BODY"
    for text in texts:
        markdown.check_shape(text)
        markdown.render_html(text)


def test_the_limits_sit_above_a_dense_real_post() -> None:
    # The 95 KB body of benchmarks/bench_markdown.py: denser markup than any post we publish.
    from benchmarks.bench_markdown import body

    text = body(95)
    markdown.parse(text)
    assert _assert_bounded(text) is False


@pytest.mark.django_db
def test_a_refused_shape_is_a_form_error_and_the_text_stays_in_the_form(
    author_client: Client,
) -> None:
    body = "A warning.\n\n" + "![" * 49_000
    response = author_client.post(reverse("content:post_create"), form_data(body=body))
    assert response.status_code == 200
    form = response.context["form"]
    assert "Line 3 has 49,000 '![' in a row" in " ".join(form.errors["body"])
    assert form["body"].value() == body
    assert body.encode() in response.content


def test_a_dense_real_fact_sheet_is_accepted() -> None:
    # 20 dose tables of 6 columns and 14 rows, and 300 references with real-looking addresses:
    # what a substance fact sheet holds. Refusing it would keep harm-reduction text off the site.
    table = "| substance | route | threshold | light | common | strong |\n" + "|---" * 6 + "|\n"
    table += "| MDMA | oral | 30 mg | 40-75 mg | 75-140 mg | 140-180 mg |\n" * 14
    tables = "\n\n".join(f"## Doses {n}\n\n{table}" for n in range(20))
    refs = "".join(
        f"- **Source {n}**: [drug_info](https://example.org/drug_info?id={n}&lang=en_GB)\n"
        for n in range(300)
    )
    text = tables + "\n\n## Sources\n\n" + refs
    assert len(text) > 40_000
    markdown.parse(text)  # no MarkdownRefused
    calls, refused = _calls(text)
    assert not refused and calls <= CALLS_CEILING
