"""The opsec lint's rules: what each check looks for, and the registry of checks.

A check is a function `(piece, ctx) -> hits` registered in CHECKS; adding one is one function and
one entry. `Context.load` reads what the checks compare against (the team, the phrases, the
allowed numbers, the overrides) once per run, not per rule or per word. Running the checks,
findings and overrides are in content.opsec.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from content import roles
from content.models import AllowedNumber, OpsecOverride, OpsecPhrase, Revision
from content.revisions import tag_key

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Role accounts whose names identify nobody: never matched as user names.
GENERIC_USERNAMES = frozenset(
    {"admin", "administrator", "author", "editor", "reviewer", "root", "staff", "team", "test",
     "user", "info", "contact", "support", "webmaster", "redactie", "redaction"}
)  # fmt: skip
MIN_USERNAME = 3
INTERNAL_SUFFIXES = ("local", "internal", "lan", "corp", "home.arpa", "localhost")
# A phone number has 8 to 15 digits (E.164); shorter emergency numbers (112, 113) never match.
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 8, 15


# --- Dose units ---------------------------------------------------------------------------------

MICRO, MILLI, GRAM = "µg", "mg", "g"
SCALE = {MICRO: 1, MILLI: 1_000, GRAM: 1_000_000}
UNIT_SPELLINGS = {"µg": MICRO, "μg": MICRO, "mcg": MICRO, "ug": MICRO, "mg": MILLI, "g": GRAM}


@dataclass(frozen=True)
class DoseUnits:
    """Substance tags (and aliases) whose doses are given in `unit`; `wrong` looks mistaken."""

    names: tuple[str, ...]
    unit: str
    wrong: frozenset[str]


# The one table of units that look wrong. Grams are left out for mg substances: a gram is a
# common amount to buy, not a dose typo.
DOSE_UNITS: tuple[DoseUnits, ...] = (
    DoseUnits(("MDMA", "ecstasy", "XTC", "molly"), MILLI, frozenset({MICRO})),
    DoseUnits(("LSD", "1P-LSD", "1cP-LSD", "AL-LAD"), MICRO, frozenset({MILLI, GRAM})),
    DoseUnits(("NBOMe", "25I-NBOMe", "25C-NBOMe", "25B-NBOMe"), MICRO, frozenset({MILLI, GRAM})),
    DoseUnits(("2C-B",), MILLI, frozenset({MICRO})),
    DoseUnits(("ketamine",), MILLI, frozenset({MICRO})),
    DoseUnits(("cocaine",), MILLI, frozenset({MICRO})),
    DoseUnits(("amphetamine", "speed"), MILLI, frozenset({MICRO})),
)
DOSE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s?(µg|μg|mcg|ug|mg|g)(?![^\W\d_])", re.IGNORECASE)


# --- What a run works on ------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One line of one field: what a check reads."""

    field: str  # title, summary, body, source, tag, slug
    where: str  # for people: "body, line 3", "source 2, URL"
    text: str


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    reason: str
    blocks: bool | None = None  # None: as the check says


def _alternation(terms: dict[str, str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for many terms; each must stand as a whole word."""
    if not terms:
        return None
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        body = r"[\s.,_-]+".join(re.escape(word) for word in term.split(" "))
        before = r"(?<!\w)" if re.match(r"\w", term) else ""
        after = r"(?!\w)" if re.search(r"\w$", term) else ""
        parts.append(before + body + after)
    return re.compile("|".join(parts), re.IGNORECASE)


def normal(text: str) -> str:
    return re.sub(r"[\s.,_-]+", " ", text).casefold().strip()


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").casefold()
    except ValueError:
        return ""


@dataclass
class Context:
    """Everything the checks compare against, read once per run."""

    team: re.Pattern[str] | None
    team_terms: dict[str, str]
    studio_hosts: tuple[str, ...]
    phrases: re.Pattern[str] | None
    allowed_numbers: tuple[str, ...]
    dose_rules: tuple[DoseUnits, ...]
    overrides: dict[str, OpsecOverride] = field(default_factory=dict)

    @classmethod
    def load(cls, revision: Revision, substances: list[str]) -> Context:
        phrases = OpsecPhrase.objects.values_list("phrase", flat=True)
        return cls(
            *_team_terms(),
            studio_hosts=_studio_hosts(),
            phrases=_alternation({normal(phrase): phrase for phrase in phrases}),
            allowed_numbers=tuple(n.digits for n in AllowedNumber.objects.all()),
            dose_rules=_dose_rules(substances),
            overrides={
                o.key: o for o in revision.opsec_overrides.select_related("actor").order_by("pk")
            },
        )


def team_members() -> QuerySet[User]:
    """Active people with a studio role, staff or superusers: whose identity must not go out."""
    studio = Q(groups__name__in=list(roles.ROLE_PERMISSIONS)) | Q(is_staff=True)
    return get_user_model().objects.filter(studio | Q(is_superuser=True), is_active=True).distinct()


def _team_terms() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    terms: dict[str, str] = {}
    rows = team_members().values_list("username", "first_name", "last_name", "email")
    for username, first, last, email in rows:  # one query for the whole team
        if first.strip() and last.strip():
            terms[normal(f"{first} {last}")] = _("a team member's full name")
            terms[normal(f"{last} {first}")] = _("a team member's full name")
        if email.strip():
            terms[email.strip().casefold()] = _("a team member's e-mail address")
        for handle in (username, email.partition("@")[0]):
            handle = normal(handle)
            if len(handle) >= MIN_USERNAME and handle not in GENERIC_USERNAMES:
                terms.setdefault(handle, _("a team member's user name"))
    return _alternation(terms), terms


def _studio_hosts() -> tuple[str, ...]:
    """The studio's own host, unless the public site is served from it (then it is public)."""
    public = {_host(settings.PUBLIC_SITE_URL), _host(settings.PUBLIC_ONION_URL)}
    studio = _host(settings.STUDIO_BASE_URL)
    if not studio or studio in public or _internal_host(studio):
        return ()  # an internal studio host is found by the internal-host check
    return (studio,)


def _dose_rules(substances: list[str]) -> tuple[DoseUnits, ...]:
    tagged = {tag_key(name) for name in substances}
    return tuple(rule for rule in DOSE_UNITS if tagged & {tag_key(name) for name in rule.names})


# --- The checks ---------------------------------------------------------------------------------


def find_team_identity(piece: Piece, ctx: Context) -> Iterator[Hit]:
    if ctx.team is None:
        return
    for match in ctx.team.finditer(piece.text):
        term = normal(match.group())
        reason = ctx.team_terms.get(term) or ctx.team_terms.get(match.group().casefold(), "")
        yield Hit(match.start(), match.end(), reason or _("a team member's identity"))


def find_studio_address(piece: Piece, ctx: Context) -> Iterator[Hit]:
    for host in ctx.studio_hosts:
        pattern = r"(?<![\w.-])" + re.escape(host) + r"(?![\w-]|\.\w)"
        for match in re.finditer(pattern, piece.text, re.IGNORECASE):
            yield Hit(
                match.start(), match.end(), _("the studio's own address (not the public site)")
            )


_HOSTNAME = re.compile(r"(?<![\w.-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*", re.I)
_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:])", re.I)
_URL_HOST = re.compile(r"\bhttps?://(?:[^/\s@]*@)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)", re.I)


def _internal_host(host: str) -> bool:
    host = host.casefold().rstrip(".")
    return host == "localhost" or any(host.endswith("." + s) for s in INTERNAL_SUFFIXES)


def _internal_ip(text: str) -> bool:
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local


def find_internal_host(piece: Piece, ctx: Context) -> Iterator[Hit]:
    seen: set[int] = set()
    for match in _HOSTNAME.finditer(piece.text):
        if _internal_host(match.group()):
            seen.add(match.start())
            yield Hit(match.start(), match.end(), _("an internal host name"))
    for pattern in (_IPV4, _IPV6):
        for match in pattern.finditer(piece.text):
            if _internal_ip(match.group()):
                seen.add(match.start())
                yield Hit(
                    match.start(), match.end(), _("a private, loopback or link-local address")
                )
    for match in _URL_HOST.finditer(piece.text):
        host = match.group(1)
        if match.start(1) not in seen and "." not in host and ":" not in host:
            yield Hit(match.start(1), match.end(1), _("a host with no domain: an internal name"))


def find_phrase(piece: Piece, ctx: Context) -> Iterator[Hit]:
    if ctx.phrases is None:
        return
    for match in ctx.phrases.finditer(piece.text):
        yield Hit(match.start(), match.end(), _("a phrase the editors marked as internal"))


_PHONE = re.compile(
    r"(?<![\w+/=#.,-])(?:\+|00|\(0|0)\d*(?:[\s./()-]{1,2}\d+)*(?![\w-])"
    r"|(?<![\w/=#.,-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w-])"
)
# Dates, opening hours and decimals that look like numbers to call.
_NOT_PHONE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{2}[.]\d{2}\s?-\s?\d{2}[.]\d{2}|0[.,]\d+"
)


def _allowed(digits: str, allowed: tuple[str, ...]) -> bool:
    """Same number, written nationally (078...) or internationally (+3278..., 003278...)."""
    national = digits.removeprefix("00").lstrip("0")
    for number in allowed:
        other = number.removeprefix("00").lstrip("0")
        short, long = sorted((national, other), key=len)
        if short and (short == long or (len(short) >= 7 and long.endswith(short))):
            return True
    return False


def find_phone_number(piece: Piece, ctx: Context) -> Iterator[Hit]:
    for match in _PHONE.finditer(piece.text):
        text = match.group().strip()
        digits = re.sub(r"\D", "", text)
        if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS or _NOT_PHONE.fullmatch(text):
            continue
        if not _allowed(digits, ctx.allowed_numbers):
            yield Hit(
                match.start(), match.start() + len(text), _("a phone number not on the list")
            )


def find_dose_unit(piece: Piece, ctx: Context) -> Iterator[Hit]:
    if not ctx.dose_rules or piece.field not in {"title", "summary", "body"}:
        return
    rules = ctx.dose_rules
    text = piece.text.casefold()
    named = tuple(r for r in rules if any(_mentions(text, name) for name in r.names))
    rules = named or rules  # on a line naming substances, only those count
    for match in DOSE.finditer(piece.text):
        unit = UNIT_SPELLINGS[match.group(1).casefold().replace("μ", "µ")]
        if all(unit in rule.wrong for rule in rules):
            expected = " or ".join(sorted({rule.unit for rule in rules}))
            names = ", ".join(rule.names[0] for rule in rules)
            bigger = SCALE[unit] > max(SCALE[rule.unit] for rule in rules)
            yield Hit(
                match.start(),
                match.end(),
                _("%(names)s is dosed in %(expected)s, not %(unit)s")
                % {"names": names, "expected": expected, "unit": unit},
                blocks=bigger,  # read as an overdose: blocks; as an underdose: warns
            )


def _mentions(text: str, name: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(name.casefold()) + r"(?!\w)", text) is not None


@dataclass(frozen=True)
class Check:
    code: str
    label: StrOrPromise  # translated when a finding is made
    advice: StrOrPromise
    find: Callable[[Piece, Context], Iterator[Hit]]
    blocks: bool = True


# The registry: every run applies these, in this order.
CHECKS: tuple[Check, ...] = (
    Check(
        "team",
        gettext_lazy("Team member"),
        gettext_lazy("Remove the name, user name or address."),
        find_team_identity,
    ),
    Check(
        "studio",
        gettext_lazy("Studio address"),
        gettext_lazy("Link the public site instead."),
        find_studio_address,
    ),
    Check(
        "host",
        gettext_lazy("Internal address"),
        gettext_lazy("Remove it, or use a public address."),
        find_internal_host,
    ),
    Check(
        "phrase",
        gettext_lazy("Internal phrase"),
        gettext_lazy("Remove the internal remark."),
        find_phrase,
    ),
    Check(
        "phone",
        gettext_lazy("Phone number"),
        gettext_lazy(
            "Remove it, or ask an editor to add a public helpline to the allowed numbers."
        ),
        find_phone_number,
    ),
    Check(
        "dose",
        gettext_lazy("Dose unit"),
        gettext_lazy("Check the unit with the reviewer."),
        find_dose_unit,
    ),
)
