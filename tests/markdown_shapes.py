"""Pathological Markdown shapes, shared by the bounds tests and benchmarks/bench_markdown_worst.py.

Each family makes a text of about `size` characters (never more) by repeating one shape: the
inputs known to be slow in Markdown parsers (markdown-it issues #732-#737, markdown-it-py
#273/#367/#423, md4c #236/#238, cmark #214/#218) and those found while measuring this project.
"""

from __future__ import annotations

from collections.abc import Callable

from content import markdown


def repeat(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    def make(size: int) -> str:
        count = max(1, (size - len(prefix) - len(suffix)) // len(unit))
        return prefix + unit * count + suffix

    return make


def lines(line: Callable[[int], str]) -> Callable[[int], str]:
    """Lines made by `line(i)`, as many as fit in `size`."""

    def make(size: int) -> str:
        out: list[str] = []
        used = 0
        i = 0
        while True:
            next_line = line(i) + "\n"
            if used + len(next_line) > size:
                break
            out.append(next_line)
            used += len(next_line)
            i += 1
        return "".join(out)

    return make


def table(columns: int) -> Callable[[int], str]:
    """A table `columns` wide, with as many rows as fit."""

    def make(size: int) -> str:
        header = "|" + "|".join(f"h{i}" for i in range(columns)) + "|\n"
        rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
        row = "|" + "|".join("a" for _ in range(columns)) + "|\n"
        text = header + rule
        if len(text) > size:
            # Fewer columns than asked rather than more characters than the limit.
            return table(max(1, columns * size // len(text) - 1))(size)
        return text + row * ((size - len(text)) // len(row))

    return make


def nested(marker: str) -> Callable[[int], str]:
    """A list item indented one level deeper on each line, as far as fits."""

    def make(size: int) -> str:
        out: list[str] = []
        used = 0
        indent = ""
        while True:
            line = f"{indent}{marker} a\n"
            if used + len(line) > size:
                break
            out.append(line)
            used += len(line)
            indent += " " * (len(marker) + 1)
        return "".join(out)

    return make


def table_of(row: str) -> Callable[[int], str]:
    def make(size: int) -> str:
        head = "| h | h | h |\n|---|---|---|\n"
        return head + row * max(0, (size - len(head)) // len(row))

    return make


def _ref_definitions_and_uses(size: int) -> str:
    # md4c #238: one long destination, used many times: the output grows as uses x length.
    target = "/" + "x" * 1000
    head = f"[x]: {target}\n"
    return head + "\n[x]" * ((size - len(head)) // 4)


FAMILIES: dict[str, Callable[[int], str]] = {
    "[ run": repeat("["),
    "![ run": repeat("!["),
    "] run": repeat("]"),
    "( run": repeat("("),
    "< run": repeat("<"),
    "* run": repeat("*"),
    "_ run": repeat("_"),
    "` run": repeat("`"),
    "~ run": repeat("~"),
    "\\ run": repeat("\\"),
    "&# run": repeat("&#"),
    "& run": repeat("&"),
    "> deep quote": repeat(">"),
    "> quote lines": lines(lambda i: ">" * min(i, 40) + " a"),
    "- nested list": nested("-"),
    "1. nested list": nested("1."),
    "- flat list": repeat("- a\n"),
    "table 1,000 columns": table(1000),
    "table 5,000 columns": table(5000),
    "table 100 x rows": table(100),
    "table 20 x rows": table(20),
    "link definitions": lines(lambda i: f"[l{i}]: /p{i}"),
    "definition used often": _ref_definitions_and_uses,
    "*a_ alternation": repeat("*a_"),
    "**_* alternation": repeat("**_* "),
    "**a** alternation": repeat("**a**a"),
    "unclosed code spans": repeat("`a"),
    "\\`` code spans": repeat("\\``"),
    "backtick runs growing": lines(lambda i: "`" * (i % 200 + 1) + "a"),
    "long word": repeat("a"),
    "[a]( repeated": repeat("[a]("),
    "[]( repeated": repeat("[]("),
    "[](( repeated": repeat("[](("),
    "]([ lines": repeat("]([\n"),
    "[a](<b repeated": repeat("[a](<b"),
    "[ then ]": lambda size: "[" * (size // 2) + "]" * (size // 2),
    "![ then ]": lambda size: "![" * (size // 4) + "]" * (size // 2),
    "[a] repeated": repeat("[a]"),
    "<http:// repeated": repeat("<http://"),
    "<a@b repeated": repeat("<a@b"),
    "&amp; entities": repeat("&amp;"),
    "&#1234; entities": repeat("&#1234;"),
    "links": repeat("[a](http://x.org) "),
    "images": repeat("![a](/media/x.png) "),
    "paragraphs": repeat("a\n\n"),
    "headings": repeat("# a\n"),
    "code fences": repeat("```\n"),
    "hard breaks": repeat("a  \n"),
    "~~a~~ strikethrough": repeat("~~a~~ "),
    "| without table": repeat("|"),
    "setext underlines": repeat("a\n=\n"),
    "indented code": repeat("    a\n"),
    # Mixed: each limit reached at once, as far as the others allow.
    "list of bold, code, links": repeat("- **a** `b` [c](/d) _e_\n"),
    "table of bold and links": table_of("| **a** | [b](/c) | `d` |\n"),
    "quotes of emphasis": repeat("> *a* **b** ~~c~~\n>\n"),
    "[ x20 balanced": repeat("[" * 20 + "a" + "]" * 20 + " "),
    "[ x20 unclosed, then emphasis": lambda size: "[a " * 20 + repeat("*a* x ")(size - 60),
    "definition and many uses": lambda size: "[x]: /a\n\n" + repeat("[x] ")(size - 9),
}


def largest_accepted(make: Callable[[int], str], limit: int) -> str | None:
    """The family's largest text that the checks before parsing let through, or None.

    The worst accepted case sits just under a limit, so a family refused at the body limit is
    also measured there. Binary search over sizes; `check_shape` is linear and cheap.
    """
    low, high, best = 1, limit, None
    while low <= high:
        middle = (low + high) // 2
        text = make(middle)
        try:
            markdown.check_shape(text)
        except markdown.MarkdownRefused:
            high = middle - 1
        else:
            best, low = text, middle + 1
    return best
