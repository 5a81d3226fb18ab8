"""Finding drug alerts by their facts: the substance found, what it was sold as, its colour and
its logo (`?found=mdma&colour=orange` on a language page and in the API).

A substance found matches by name, spelled as tags are (`tag_key`: "3 MMC" is "3-MMC") and,
where the interaction table knows the name, through its aliases (content.interactions: "XTC"
finds an alert that found MDMA). Sold as, colour and logo match when every word asked for is a
word of the fact ("orange" finds "Orange / pink", "tesla" finds "Ecstasy (orange Tesla)").

The facts are read from the published revisions of the alerts the list holds, in Python, with
the same reader every page uses (content.alerts.typed): aliases and words are then one rule on
SQLite and PostgreSQL, and no index over JSON is needed. A team publishes alerts by the
hundred, not by the million, and the public pages that filter are cached under their filters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

from django.utils.translation import gettext_lazy

from content import alerts
from content.models import PostKind, PostQuerySet
from content.revision_schema import tag_key

MAX_FILTER_CHARS = 80
ERROR_FILTER_TOO_LONG = gettext_lazy("A filter is at most {limit} characters; shorten it.")
_WORD = re.compile(r"\w+")


class AlertFilterInvalid(ValueError):
    """A filter that cannot be asked (too long): the page answers 404, the API 400."""


@dataclass(frozen=True)
class AlertFilters:
    """The facts a list of posts is narrowed to; "" asks nothing. Any filter set keeps drug
    alerts only."""

    found: str = ""
    sold_as: str = ""
    colour: str = ""
    logo: str = ""

    @classmethod
    def of(cls, params: Mapping[str, str]) -> AlertFilters:
        """The filters a query string asks for, white space squashed; AlertFilterInvalid for
        one longer than MAX_FILTER_CHARS."""
        values = {}
        for spec in fields(cls):
            value = " ".join(str(params.get(spec.name, "")).split())
            if len(value) > MAX_FILTER_CHARS:
                raise AlertFilterInvalid(ERROR_FILTER_TOO_LONG.format(limit=MAX_FILTER_CHARS))
            values[spec.name] = value
        return cls(**values)

    def __bool__(self) -> bool:
        return any(self.as_dict().values())

    def as_dict(self) -> dict[str, str]:
        return {spec.name: getattr(self, spec.name) for spec in fields(self)}


def words(text: str) -> frozenset[str]:
    """The words of `text`, case and accents folded as tag names are."""
    return frozenset(_WORD.findall(tag_key(text).replace("-", " ")))


def _has_words(value: str, wanted: str) -> bool:
    asked = words(wanted)
    return bool(asked) and asked <= words(value)


def substance_keys() -> Callable[[str], str]:
    """A substance name -> the key it is known by: the interaction table's substance for a name
    or alias it knows (content.interactions), else the name's tag key."""
    try:
        from content import interactions  # the aliases, when the table is installed
    except ImportError:  # pragma: no cover - the table is part of the app
        return tag_key
    index = interactions.substance_index()

    def key(name: str) -> str:
        substance = interactions.lookup(name, index)
        return f"substance:{substance.pk}" if substance is not None else tag_key(name)

    return key


def matches(
    facts: alerts.AlertFacts | None, wanted: AlertFilters, key: Callable[[str], str]
) -> bool:
    """Whether an alert's facts state everything `wanted` asks for."""
    if facts is None:
        return not wanted
    if wanted.found and key(wanted.found) not in {key(s.name) for s in facts.substances}:
        return False
    return all(
        _has_words(getattr(facts, name), asked)
        for name, asked in wanted.as_dict().items()
        if asked and name != "found"
    )


def matching(posts: PostQuerySet, wanted: AlertFilters) -> PostQuerySet:
    """The drug alerts among `posts` whose published facts match `wanted` (all of `posts` when
    nothing is asked). Costs one query for the facts and, for `found`, two for the aliases."""
    if not wanted:
        return posts
    key = substance_keys() if wanted.found else tag_key
    alerts_only = posts.filter(kind=PostKind.DRUG_ALERT).prefetch_related(None)
    rows = alerts_only.values_list("pk", "published_revision__facts")
    found = [pk for pk, facts in rows if matches(alerts.typed(facts or {}), wanted, key)]
    return posts.filter(pk__in=found)
