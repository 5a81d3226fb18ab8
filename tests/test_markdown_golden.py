"""The stored HTML of existing revisions never changes: today's pipeline against a frozen corpus.

`tests/data/markdown_golden.json` holds inputs and the HTML the pipeline gave for them when the
file was written (before the sanitizer was made faster). Revisions store their HTML at save time,
so any difference here means an old revision and a new one of the same text would disagree.

The file is self-contained (inputs and outputs). Regenerate it only on purpose, when an output is
meant to change, and review the diff:

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python -m tests.test_markdown_golden
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from content import markdown
from content.exporters.base import top_level_groups

GOLDEN = Path(__file__).resolve().parent / "data" / "markdown_golden.json"

# A copy of tests/test_markdown.py's vectors when this corpus was frozen (test modules do not
# import each other), with a few more that aim at the sanitizer rather than the parser.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](/media/a.png" onerror="alert(1))',
    '[a](http://x.org "title" onclick="alert(1)")',
    '[a](http://x.org "\\" onmouseover=alert(1) x=\\"")',
    "<javascript:alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "***<b onmouseover=alert(1)>nested</b>***",
    "_*<u>__<i onclick=alert(1)>x</i>__</u>*_",
    '```"><script>alert(1)</script>\ncode\n```',
    "``` onerror=alert(1)\nx\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "[![img](/media/a.png)](javascript:alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
    "[x]: javascript:alert(1)\n\n[link][x]",
    "<form action=https://evil.example><button>go</button></form>",
    # More for the sanitizer: entities, control characters, odd quoting.
    "[x](java&#09;script:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](&#0000106&#0000097vascript:alert(1))",
    "[x](\x00javascript:alert(1))",
    "[x](jav\u200bascript:alert(1))",
    '[x](https://a.example/"><script>alert(1)</script>)',
    "[x](<javascript:alert(1)>)",
    "![x](//evil.example/p.png)",
    "![x](/\\evil.example/p.png)",
    "![x](/media/a.png 'x\" onload=\"alert(1)')",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "```html\n<script>alert(1)</script>\n```",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<![CDATA[<script>alert(1)</script>]]>",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\u202eevil\u202c and \ufeffBOM and \x0bvertical tab and \x7fdel",
]

SCHEMES = [
    "http://a.example/p?q=1&r=2#f", "https://a.example/", "HTTPS://A.EXAMPLE/",
    "mailto:a@b.example", "MailTo:a@b.example", "ftp://host/file", "tel:+3212345678", "sms:123",
    "data:text/plain,hi",
    "blob:https://a.example/uuid", "javascript:alert(1)", "vbscript:x", "file:///etc/passwd",
    "irc://net/chan", "ws://a.example/", "feed:https://a.example/", "/relative/path", "relative",
    "//protocol.relative/x", "#anchor", "?query=1", "https://a.example/a_(b)", "http://[::1]:80/",
    "https://ä.example/ü?ß=€", "https://a.example/%3Cscript%3E", "https://a.example/&amp;x",
    "mailto:a@b.example?subject=hi&body=x", "HTTP://A.EXAMPLE", "  https://spaced.example  ",
    "https:/one-slash.example", "http:x", ":nothing", "x:y", "/\\backslash.example",
]  # fmt: skip

IMAGES = [
    "/media/a.png", "/media/dir/b c.jpg", "/media/x.webp?v=2", "//evil.example/p.png",
    "https://tracker.example/p.png", "http://tracker.example/p.png", "media/relative.png",
    "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)", "/\\evil.example/p.png", "",
    "/media/a.png#frag", "/media/%2e%2e/secret.png", "/MEDIA/UPPER.PNG",
]  # fmt: skip

STRUCTURES = [
    "# H1\n## H2\n### H3\n#### H4\n##### H5\n###### H6\n####### not a heading",
    "Setext one\n==========\n\nSetext two\n----------",
    "para one\nsoft break\\\nhard break  \ntrailing spaces hard break\n\n---\n\n***\n\n___",
    "| left | center | right | none |\n|:--|:--:|--:|---|\n"
    "| a | **b** | `c` | [d](/x) |\n| \\| pipe | ~~e~~ | ![i](/media/i.png) | |",
    "| only header |\n|---|",
    "| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |",
    "1. one\n2. two\n   - nested\n     - deeper\n       1. ordered\n3. three",
    "5. five\n6. six",
    "0. zero",
    "007. padded",
    "123456789. large",
    "- tight\n- list\n\n- loose\n\n- list",
    "* star\n+ plus\n- dash",
    "> quote\n> > nested\n> > > deeper\n>\n> - list in quote\n>   > quote in list",
    "```python\nprint('hi') < 3 & 4\n```\n\n```c++\nx\n```\n\n```1abc\nx\n```\n\n"
    "```py thon\nx\n```\n\n~~~\ntilde\n~~~",
    "```\nunclosed fence\n",
    "    indented code <b>\n    & more",
    "inline `code <b>&amp;` and ``double `tick` code``",
    "*em* _em_ **strong** __strong__ ***both*** ~~strike~~ ~single~ **unclosed *mixed",
    "a*b*c a_b_c __init__ snake_case_word 2*3*4",
    "&amp; &copy; &nbsp; &#0; &#x110000; &#xD800; &bogus; &amp &lt;&gt; & < > \" '",
    "CRLF\r\nline\r\n\r\nparagraph\rCR only",
    "tab\tseparated\t\tcells and non-BMP 😀 and RTL \u202b text \u202c",
    '[ref][r] [collapsed][] [shortcut]\n\n[r]: https://a.example/r "Title"\n'
    "[collapsed]: /c 'single'\n[shortcut]: <https://a.example/s> (paren)",
    '[t](https://a.example "a title with <b> & \'quotes\' and \\"double\\"")',
    "<https://auto.example/path> <mailto:a@b.example> <a@b.example> <ftp://host/f> <tel:+32> <HTTPS://UP.EXAMPLE>",
    "bare https://not-linkified.example and www.example.org stay text",
    "[![inner](/media/i.png)](https://a.example/) [![outer](https://x.example/i.png)](/local)",
    "![alt with *emphasis* and `code` and [link](/x)](/media/a.png)",
    "![](/media/no-alt.png) ![](https://x.example/no-alt.png)",
    '![t](/media/a.png "image title") ![t](https://x.example/a.png "foreign title")',
    "[link *with* **inline** `code`](https://a.example/) [](https://empty.example/)",
    "\\*escaped\\* \\[not link\\](x) \\<b\\> \\# \\` \\\\",
    "line with <br> and <br/> raw and </p> stray closers </div>",
    "- [ ] task\n- [x] done",
    "Footnote[^1]\n\n[^1]: not enabled",
    "",
    "   ",
    "\n\n\n",
]

NESTED = [
    "> " * 10 + "ten quotes",
    "> " * 29 + "near the limit",
    "\n".join("  " * i + "- level" for i in range(14)),
    "*" * 12 + "deep emphasis" + "*" * 12,
    "> - > - > - > 1. > **_~~all of it~~_**",
]


def _links() -> list[str]:
    out = [f"[label]({url})" for url in SCHEMES]
    out += [f"[label](<{url}>)" for url in SCHEMES]
    out += [f"<{url}>" for url in SCHEMES]
    out += [f"[r]\n\n[r]: {url}" for url in SCHEMES]
    return out


def _images() -> list[str]:
    return [f"![alt {i}]({src})" for i, src in enumerate(IMAGES)] + [
        f'![quote " amp & lt <]({src} "t")' for src in IMAGES
    ]


_ALPHABET = [
    *"abc xyz 123 \n\n\n*_~`#>-+|[]()!<>&;:/\\\"'=.", "\t", "    ", "1. ", "- ", "> ",
    "http://", "https://", "javascript:", "mailto:", "/media/", "&amp;", "&#x3A;", "<b>",
    "| a | b |\n|---|---|\n", "```\n", "\n---\n", "![", "](", "é", "\u00a0", "\x00", "\u2028",
]  # fmt: skip


def _fuzz(count: int, seed: int) -> list[str]:
    # Deterministic soup of Markdown and HTML fragments: odd corners the lists above miss.
    rng = random.Random(seed)  # a fixed corpus, not a secret
    return ["".join(rng.choices(_ALPHABET, k=rng.randint(5, 120))) for _ in range(count)]


def _documents() -> list[str]:
    # Whole posts: every construct together, so per-block and per-document sanitizing both show.
    parts = STRUCTURES + _links()[:40] + _images() + XSS_VECTORS[:20]
    rng = random.Random(20261)
    return ["\n\n".join(rng.sample(parts, 25)) for _ in range(12)]


def corpus() -> list[str]:
    return (
        XSS_VECTORS + SCHEMES + _links() + _images() + STRUCTURES + NESTED
        + _fuzz(300, 1) + _documents()
    )  # fmt: skip


# Direct calls of sanitize(): what the HTML exporter hands it, and HTML that no parser wrote.
RAW_HTML = [
    "<p>plain</p>",
    "<p><strong>line one<br>\nline &amp; two &lt;b&gt;</strong></p>",
    '<p onclick="x()">hi<script>alert(1)</script><a href="javascript:x">l</a></p>',
    '<a href="https://a.example/" rel="nofollow noopener noreferrer" title="t">ok</a>',
    '<a href="https://a.example/" rel="nofollow">wrong rel</a>',
    '<a href="ftp://host/f">ftp</a><a href="/local">local</a><a href="#f">frag</a>',
    '<img src="/media/a.png" alt="a"><img src="https://x.example/a.png" alt="b">',
    '<td class="align-left">x</td><th class="align-middle">y</th>',
    '<ol start="3"><li>x</li></ol><ol start="-1"><li>y</li></ol>',
    '<pre><code class="language-python">x</code></pre><code class="language-c++">y</code>',
    "<div><span>unknown tags</span></div><!-- comment --><table><tr><td>no tbody</td></tr></table>",
    "<p>unclosed <em>emphasis <strong>and more",
    "</p></p>stray closing tags<p>",
    "text with & and < and > and \" and ' and \x00 and \x0b",
    "<a href=\"mailto:a@b.example\">mail</a><a href='  https://spaced.example'>s</a>",
    "",
]


def _blocks(text: str) -> list[str]:
    # What the HTML exporter does with a document: one tokens_to_html() per top-level block.
    groups = top_level_groups(markdown.parse(text))
    return [markdown.tokens_to_html(group) for group in groups]


def generate() -> dict[str, Any]:
    texts = corpus()
    documents = _documents()
    return {
        "render_html": [{"markdown": t, "html": markdown.render_html(t)} for t in texts],
        "blocks": [{"markdown": t, "html": _blocks(t)} for t in documents + STRUCTURES],
        "sanitize": [{"html_in": h, "html": markdown.sanitize(h)} for h in RAW_HTML],
    }


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


def _cases(kind: str) -> list[dict[str, Any]]:
    return _load()[kind] if GOLDEN.exists() else []


def _id(case: dict[str, Any]) -> str:
    return repr(case.get("markdown", case.get("html_in")))[:40]


@pytest.mark.parametrize("case", _cases("render_html"), ids=_id)
def test_render_html_matches_the_stored_output(case: dict[str, Any]) -> None:
    assert markdown.render_html(case["markdown"]) == case["html"]


@pytest.mark.parametrize("case", _cases("blocks"), ids=_id)
def test_block_by_block_html_matches_the_stored_output(case: dict[str, Any]) -> None:
    assert _blocks(case["markdown"]) == case["html"]


@pytest.mark.parametrize("case", _cases("sanitize"), ids=_id)
def test_sanitize_matches_the_stored_output(case: dict[str, Any]) -> None:
    assert markdown.sanitize(case["html_in"]) == case["html"]


def test_every_path_through_the_memo_of_clean_blocks_gives_the_stored_output() -> None:
    # content.markdown sanitizes text seen for the first time in one call, blocks seen again on
    # their own, and serves blocks seen three times from memory: all three must match.
    markdown._BLOCKS.clear()
    cases = _cases("render_html") + [
        {"markdown": case["markdown"], "html": "".join(case["html"])} for case in _cases("blocks")
    ]
    for sight in ("first", "second", "third"):
        wrong = [c["markdown"] for c in cases if markdown.render_html(c["markdown"]) != c["html"]]
        assert wrong == [], sight
        wrong = [c["markdown"] for c in _cases("blocks") if _blocks(c["markdown"]) != c["html"]]
        assert wrong == [], sight
    markdown._BLOCKS.clear()


def test_the_golden_file_is_there_and_covers_the_corpus() -> None:
    data = _load()
    assert len(data["render_html"]) >= 500
    assert len(data["blocks"]) >= 40 and len(data["sanitize"]) == len(RAW_HTML)
    # Every construct the corpus names was rendered into it at least once.
    html = "".join(case["html"] for case in data["render_html"])
    for tag in ("<table>", "<img ", "<blockquote>", '<ol start="5">', "<s>", "<pre>", "<h6>"):
        assert tag in html, tag


if __name__ == "__main__":
    import django

    django.setup()
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(generate(), ensure_ascii=True, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {GOLDEN}\n")
