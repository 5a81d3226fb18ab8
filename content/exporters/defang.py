"""Clear-net addresses as text that no forum turns into a link, for exports to Tor forums.

A Tor reader who clicks a clear-net link leaves Tor, or tells a third party what they read.
Forums link far more than Markdown links: Discourse (linkify-it), Reddit and GitHub-style
Markdown (GFM autolinks) and most BBCode parsers also link `www.example.org`,
`example.org/path` and `info@example.org` written as plain text. In a Tor export every such
address is written *defanged*, the convention readers of security advisories know:

    https://www.trimbos.nl/drugs/   ->  www[.]trimbos[.]nl/drugs/
    see druglijn.be/help            ->  see druglijn[.]be/help
    mailto:info@druglijn.be         ->  info[@]druglijn[.]be

The scheme goes; every dot of the host becomes "[.]" (the one after "www" too: GFM links
"www.anything", whatever follows) and the "@" of an e-mail address "[@]". The path stays as it
is, so a reader can still find the resource by typing it. `.onion` addresses stay exactly as
written, scheme included.

Detection is linkify-it-py, the matcher Discourse and markdown-it use, with linkify-it's own
copy of the IANA list of top-level domains (so `example.health` is found, not only
`example.org`). Four patterns then catch what other autolinkers accept without a known TLD:
"scheme://host", "www.host" (cmark-gfm, BBCode parsers), `name@host.x` (cmark-gfm's e-mail rule
has no TLD list) and `host.ab/` (the liberal URL pattern many BBCode parsers share). The text is
scanned again until nothing more is found, so a path cannot hide a second address:
`a.org/x/https://b.org/y` becomes `a[.]org/x/b[.]org/y`. IPv4 addresses count as addresses
(`10[.]0[.]0[.]1`); other numbers ("0.5 mg", "v1.2.3") never match, as a top-level domain has
no digits. Words a file name shares with a country's domain are defanged too (`script[.]py`):
Discourse would link them.
"""

from __future__ import annotations

import re
from functools import cache

from linkify_it import LinkifyIt
from linkify_it.tlds import TLDS

DOT = "[.]"
AT = "[@]"
ONION = ".onion"

# Text without any of these cannot hold an address; most text tokens end here.
_MAYBE_ADDRESS = re.compile(r"[.@:]")
_PREFIX = re.compile(r"^(?:[a-z][a-z0-9+.\-]*://|//|mailto:|xmpp:)", re.IGNORECASE)
_HOST_END = re.compile(r"[/?#\\]")
# What autolinkers other than linkify-it accept without a known top-level domain.
_CATCH_ALL = (
    re.compile(
        r"(?<![\w+.\-])[a-z][a-z0-9+.\-]*+://"
        r"(?:\[[0-9a-f:.]+\]|[^\s<>\"'`\[\]()])[^\s<>\"'`\[\]()]*+",
        re.IGNORECASE,
    ),
    re.compile(r"\bwww\d{0,3}\.[\w\-.]*+", re.IGNORECASE),
    re.compile(r"(?<![\w.+\-])[\w.+\-]++@[\w\-]++(?:\.[\w\-]++)+"),
    re.compile(r"(?<![a-z0-9.\-])[a-z0-9.\-]+\.[a-z]{2,4}(?=/)", re.IGNORECASE),
)
# Every pattern above starts only where a run of its characters starts and never backtracks
# into a possessive run, so a long text costs linear time, not quadratic.
_MAX_PASSES = 8


@cache
def _linkify() -> LinkifyIt:
    matcher = LinkifyIt(options={"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": True})
    return matcher.tlds([tld.lower() for tld in TLDS], True)


def defang(text: str) -> str:
    """`text` with every clear-net address defanged; `.onion` addresses are left as they are.

    Pure and idempotent: defang(defang(t)) == defang(t).
    """
    for _pass in range(_MAX_PASSES):
        if not _MAYBE_ADDRESS.search(text):
            return text
        changed = _defang_once(text)
        if changed == text:
            return text
        text = changed
    return text


def defang_address(address: str) -> str:
    """One address (a URL or an e-mail address) as text: no scheme, its host defanged."""
    if is_onion_address(address):
        return address
    body = _PREFIX.sub("", address, count=1)
    cut = _HOST_END.search(body)
    host, rest = (body[: cut.start()], body[cut.start() :]) if cut else (body, "")
    return host.replace(".", DOT).replace("@", AT) + rest


def is_onion_address(address: str) -> bool:
    """Whether `address` (a URL, an e-mail address or a bare host) is on a `.onion` host."""
    authority = _HOST_END.split(_PREFIX.sub("", address.strip(), count=1), maxsplit=1)[0]
    host = authority.rpartition("@")[2].split(":")[0]
    return host.lower().rstrip(".").endswith(ONION)


def _defang_once(text: str) -> str:
    """One pass: linkify-it's matches, then the catch-all patterns between them.

    The text of an onion address is never touched, not even a path inside it.
    """
    out, position = [], 0
    for match in _linkify().match(text) or []:
        out.append(_catch_all(text[position : match.index]))
        out.append(defang_address(text[match.index : match.last_index]))
        position = match.last_index
    out.append(_catch_all(text[position:]))
    return "".join(out)


def _catch_all(text: str) -> str:
    for pattern in _CATCH_ALL:
        text = pattern.sub(lambda match: defang_address(match.group(0)), text)
    return text
