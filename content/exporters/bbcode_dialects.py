"""What each forum's stock BBCode can express, from the forums' own references and sources.

- phpBB 3.x (phpbb/textformatter/s9e/factory.php, default definitions): b, i, u, code, color,
  email, img, list (list=1/a/A/i/I) with [*], quote, size (a percentage, 200 at most by default),
  url. No [s], no headings, no [hr], no table, no inline code, no "do not parse" tag.
- XenForo 2 (help/bb-codes): B, I, U, S, HEADING=1..3, LIST/LIST=1 with [*], QUOTE, CODE, ICODE,
  PLAIN (stops parsing), SPOILER, TABLE/TR/TH/TD, URL. [HR] is not in every 2.x release.
- vBulletin 4 (misc.php?do=bbcode): b, i, u, color, size=1..7, font, highlight, left/center/right,
  indent, email, url, list/list=1 with [*], img, video, code, php, html, quote, noparse, attach.
  No strikethrough, no [hr], no table.
- SMF 2.1 (Sources/Subs.php parse_bbc): b, i, u, s, size (Npt/em/named), font, hr, quote, code,
  list / list type=decimal with [li]..[/li], table/tr/td (no th), nobbc, url.
- MyBB 1.8 (inc/class_parser.php): b, i, u, s, hr, size=named, font, align, color, url, email,
  quote, code, php, list/list=1 with [*], img, video. No "do not parse" tag; it also turns
  (c), (tm) and (r) into symbols.

Where a dialect has no way to keep `[` literal, an empty [b][/b] is put right after it: the
bracket then never starts a tag, and the reader sees exactly the original characters.

Adding a sixth dialect (say FluxBB 1.5):

1. Data: one `BBCodeDialect(name="fluxbb15", label="FluxBB 1.5", ...)` below, written from the
   forum's own BBCode reference (add it to the list above with its source), and its name in
   `DIALECTS`. Only tags the forum has go in `tags`; a feature it lacks is left `None` and the
   renderer falls back (bold headings, "~~" strikethrough, a drawn rule, "|" tables). The
   registry, the profile form's choices, `ExportSettings` and `ExportProfile.clean()` pick it
   up from here; no migration is needed (the choices are a callable).
2. Oracle: the forum's full tag list, typed again from its documentation (not copied from
   `tags`), under the same key in `DIALECT_TAGS` in tests/exporters/helpers.py. Every test
   parametrized over `DIALECT_TAGS` or `ALL_FORMATS` then runs for it too: balanced tags, only
   the dialect's tags, the same visible text as the Markdown, splitting, signing, Tor, links.
3. Tests: a test in tests/exporters/test_bbcode.py of what is particular to it (its heading,
   list or table tags), in the style of `test_smf_lists_use_li_and_a_decimal_type`.
   tests/exporters/test_registry.py fails until data and oracle agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Pair = tuple[str, str]


@dataclass(frozen=True)
class BBCodeDialect:
    """One forum's BBCode: the key stored in profiles, the label editors see, and its tags."""

    name: str
    label: str
    tags: frozenset[str]  # every tag name the renderer may write in this dialect
    headings: dict[int, Pair]  # levels without an entry fall back to bold
    bullet_list: Pair
    ordered_list: Pair
    item: Pair
    open_bracket: str  # what a literal "[" in text becomes
    strike: Pair | None = None
    inline_code: Pair | None = None
    hr: str | None = None
    table: dict[str, Pair] | None = None  # keys: table, tr, th, td
    text_fixes: tuple[tuple[re.Pattern[str], str], ...] = field(default=())


BOLD = ("[b]", "[/b]")
FALLBACK_HR = "\u2500" * 20


def _sized(size: str) -> Pair:
    return (f"[size={size}][b]", "[/b][/size]")


def _table(th: Pair | None, upper: bool = False) -> dict[str, Pair]:
    def pair(name: str) -> Pair:
        name = name.upper() if upper else name
        return (f"[{name}]", f"[/{name}]")

    return {"table": pair("table"), "tr": pair("tr"), "th": th or pair("td"), "td": pair("td")}


PHPBB3 = BBCodeDialect(
    name="phpbb3",
    label="phpBB 3",
    tags=frozenset({"b", "i", "size", "list", "*", "quote", "code", "url"}),
    headings={1: _sized("150"), 2: _sized("130"), 3: _sized("115")},
    bullet_list=("[list]", "[/list]"),
    ordered_list=("[list=1]", "[/list]"),
    item=("[*]", ""),
    open_bracket="[[b][/b]",
)

XENFORO2 = BBCodeDialect(
    name="xenforo2",
    label="XenForo 2",
    tags=frozenset(
        [
            "b",
            "i",
            "s",
            "heading",
            "list",
            "*",
            "quote",
            "code",
            "icode",
            "url",
            "plain",
            "table",
            "tr",
            "th",
            "td",
        ]
    ),
    headings={n: (f"[HEADING={n}]", "[/HEADING]") for n in (1, 2, 3)},
    bullet_list=("[LIST]", "[/LIST]"),
    ordered_list=("[LIST=1]", "[/LIST]"),
    item=("[*]", ""),
    open_bracket="[PLAIN][[/PLAIN]",
    strike=("[S]", "[/S]"),
    inline_code=("[ICODE]", "[/ICODE]"),
    table=_table(("[TH]", "[/TH]"), upper=True),
)

VBULLETIN4 = BBCodeDialect(
    name="vbulletin4",
    label="vBulletin 4",
    tags=frozenset({"b", "i", "size", "font", "list", "*", "quote", "code", "url", "noparse"}),
    headings={1: _sized("5"), 2: _sized("4"), 3: _sized("3")},
    bullet_list=("[list]", "[/list]"),
    ordered_list=("[list=1]", "[/list]"),
    item=("[*]", ""),
    open_bracket="[noparse][[/noparse]",
    inline_code=("[font=courier new]", "[/font]"),
)

SMF21 = BBCodeDialect(
    name="smf21",
    label="SMF 2.1",
    tags=frozenset(
        [
            "b",
            "i",
            "s",
            "size",
            "font",
            "hr",
            "list",
            "li",
            "quote",
            "code",
            "url",
            "nobbc",
            "table",
            "tr",
            "td",
        ]
    ),
    headings={1: _sized("18pt"), 2: _sized("15pt"), 3: _sized("13pt")},
    bullet_list=("[list]", "[/list]"),
    ordered_list=("[list type=decimal]", "[/list]"),
    item=("[li]", "[/li]"),
    open_bracket="[nobbc][[/nobbc]",
    strike=("[s]", "[/s]"),
    inline_code=("[font=monospace]", "[/font]"),
    hr="[hr]",
    table=_table(None),
)

MYBB18 = BBCodeDialect(
    name="mybb18",
    label="MyBB 1.8",
    tags=frozenset({"b", "i", "s", "size", "font", "hr", "list", "*", "quote", "code", "url"}),
    headings={1: _sized("x-large"), 2: _sized("large"), 3: _sized("medium")},
    bullet_list=("[list]", "[/list]"),
    ordered_list=("[list=1]", "[/list]"),
    item=("[*]", ""),
    open_bracket="[[b][/b]",
    strike=("[s]", "[/s]"),
    inline_code=("[font=monospace]", "[/font]"),
    hr="[hr]",
    text_fixes=((re.compile(r"\((c|tm|r)\)", re.IGNORECASE), r"(\1[b][/b])"),),
)

# In the order editors see them; the registry and the model's choices read this.
DIALECTS = {d.name: d for d in (PHPBB3, XENFORO2, VBULLETIN4, SMF21, MYBB18)}
