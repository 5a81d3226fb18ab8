"""The rules a drug alert's facts follow, one set for the studio's form and for save_revision().

Each problem is a FactError naming the fact (and the substance row) with a message for the
author: units that make sense per substance, amounts within the plausible ranges editors keep
(SubstanceBound, in the admin), a test date not in the future and an expiry after it, a photo
that is an image uploaded through content.images (so its metadata was removed), and, for a new
alert, the facts every alert states.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content.alerts import PER_UNITS, SEVERITIES, UNITS, parse_amount, parse_date
from content.images import UPLOAD_DIR
from content.models import PerUnit, SubstanceBound
from content.models.alerts import substance_key
from content.revision_schema import DRUG_ALERT_FACTS, FactsInvalid

ERROR_REQUIRED = gettext_lazy("{label}: a drug alert states this; fill it in.")
ERROR_NO_SUBSTANCE = gettext_lazy(
    "Substances found: name at least one substance the lab found (its amount may be unknown)."
)
ERROR_NOT_A_DATE = gettext_lazy("{label}: “{value}” is not a date; give it as YYYY-MM-DD.")
ERROR_TESTED_IN_FUTURE = gettext_lazy(
    "Tested on: {date} is in the future; give the day the sample was tested."
)
ERROR_EXPIRES_BEFORE_TEST = gettext_lazy(
    "Valid until: {expires} is not after the test date ({tested}); give a later day."
)
ERROR_NOT_A_NUMBER = gettext_lazy("{label}: “{value}” is not a number; give e.g. 180 or 0.5.")
ERROR_NOT_POSITIVE = gettext_lazy("{label}: give a number above 0.")
ERROR_WEIGHT_TOO_HIGH = gettext_lazy(
    "Weight (mg): {value} mg is more than {limit} mg; give the weight of one unit in mg."
)
ERROR_NOT_A_CHOICE = gettext_lazy("{label}: “{value}” is not one of the listed values; choose one.")
ERROR_PHOTO = gettext_lazy(
    "Photo: give the address of an image uploaded in the editor (it starts with {prefix}), so "
    "that its metadata is removed."
)
ERROR_ROW_NAME = gettext_lazy("Substance {number}: name the substance, or empty the row.")
ERROR_ROW_UNIT = gettext_lazy(
    "Substance {number} ({name}): give the amount's unit and what it is per, e.g. mg per pill."
)
ERROR_PERCENT_PER_GRAM = gettext_lazy(
    "Substance {number} ({name}): a percentage is per gram; choose “gram”, or give mg or µg."
)
ERROR_MASS_PER_GRAM = gettext_lazy(
    "Substance {number} ({name}): per gram, give the purity as a percentage, not in {unit}."
)
ERROR_PERCENT_ABOVE_100 = gettext_lazy("Substance {number} ({name}): a percentage is at most 100.")
ERROR_UNIT_FOR_SUBSTANCE = gettext_lazy(
    "Substance {number} ({name}): amounts of {name} are given as {allowed}; change the unit "
    "or what it is per."
)
ERROR_OUT_OF_BOUNDS = gettext_lazy(
    "Substance {number} ({name}): {amount} {unit} per {per} is outside the plausible range "
    "{minimum} to {maximum} {unit}; check the lab result (editors keep the ranges)."
)
ERROR_SEVERITY_FOR = gettext_lazy("Severity: {name} was found, so state how severe this alert is.")

LABELS = {fact.name: fact.label for fact in DRUG_ALERT_FACTS}
# A new alert states these (the form asks for them; an older alert without facts is exempt).
REQUIRED = ("sold_as", "tested_on", "tested_by", "severity", "expires_on")
MAX_WEIGHT_MG = Decimal(100_000)
PHOTO_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp)")


@dataclass(frozen=True)
class FactError:
    """One problem with an alert's facts: the fact (and substance row, from 0) it is about."""

    fact: str
    message: str
    row: int | None = None


class AlertFactsInvalid(FactsInvalid):
    """The facts of a drug alert break its rules; `errors` says which fact (and row) and why."""

    def __init__(self, errors: list[FactError]) -> None:
        super().__init__(" ".join(str(error.message) for error in errors))
        self.errors = errors


def check_facts(
    facts: Mapping[str, Any], *, required: bool, today: datetime.date | None = None
) -> list[FactError]:
    """Every problem with a drug alert's `facts` (as RevisionContent cleaned them), each with a
    message naming the fact or the substance row. `required`: the alert must state its facts
    (a new alert, one that stated them before, or any fact given at all)."""
    today = today or timezone.localdate()
    errors: list[FactError] = []
    if required:
        errors += [
            FactError(name, ERROR_REQUIRED.format(label=LABELS[name]))
            for name in REQUIRED
            if not facts.get(name)
        ]
        if not facts.get("substances"):
            errors.append(FactError("substances", str(ERROR_NO_SUBSTANCE)))
    errors += _check_dates(facts, today)
    errors += _check_appearance(facts)
    rows = facts.get("substances")
    if isinstance(rows, (list, tuple)):
        for index, row in enumerate(rows):
            errors += [
                FactError("substances", message, index)
                for message in _check_row(index + 1, row, facts)
            ]
    return errors


def validate(facts: Mapping[str, Any], *, required: bool) -> None:
    """Raise AlertFactsInvalid when check_facts() finds anything."""
    errors = check_facts(facts, required=required)
    if errors:
        raise AlertFactsInvalid(errors)


def _check_dates(facts: Mapping[str, Any], today: datetime.date) -> list[FactError]:
    errors: list[FactError] = []
    dates: dict[str, datetime.date | None] = {}
    for name in ("tested_on", "expires_on"):
        value = facts.get(name)
        dates[name] = parse_date(value)
        if value and dates[name] is None:
            label = LABELS[name]
            errors.append(FactError(name, ERROR_NOT_A_DATE.format(label=label, value=value)))
    tested, expires = dates["tested_on"], dates["expires_on"]
    if tested and tested > today:
        errors.append(FactError("tested_on", ERROR_TESTED_IN_FUTURE.format(date=tested)))
    if tested and expires and expires <= tested:
        message = ERROR_EXPIRES_BEFORE_TEST.format(expires=expires, tested=tested)
        errors.append(FactError("expires_on", message))
    return errors


def _check_appearance(facts: Mapping[str, Any]) -> list[FactError]:
    errors: list[FactError] = []
    weight = facts.get("weight_mg")
    if weight:
        amount = parse_amount(weight)
        label = LABELS["weight_mg"]
        if amount is None:
            errors.append(
                FactError("weight_mg", ERROR_NOT_A_NUMBER.format(label=label, value=weight))
            )
        elif amount <= 0:
            errors.append(FactError("weight_mg", ERROR_NOT_POSITIVE.format(label=label)))
        elif amount > MAX_WEIGHT_MG:
            message = ERROR_WEIGHT_TOO_HIGH.format(value=weight, limit=MAX_WEIGHT_MG)
            errors.append(FactError("weight_mg", message))
    severity = facts.get("severity")
    if severity and severity not in SEVERITIES:
        label = LABELS["severity"]
        errors.append(FactError("severity", ERROR_NOT_A_CHOICE.format(label=label, value=severity)))
    photo = facts.get("photo")
    if photo and not is_uploaded_image(photo):
        errors.append(FactError("photo", ERROR_PHOTO.format(prefix=upload_prefix())))
    return errors


def upload_prefix() -> str:
    return default_storage.url(f"{UPLOAD_DIR}/")


def is_uploaded_image(url: str) -> bool:
    """`url` is an image stored by content.images (re-encoded, its metadata removed)."""
    prefix = upload_prefix()
    return url.startswith(prefix) and bool(PHOTO_NAME.fullmatch(url[len(prefix) :]))


def _per_label(per: str) -> str:
    return str(PerUnit(per).label) if per in PerUnit.values else per


def _check_row(number: int, row: Mapping[str, Any], facts: Mapping[str, Any]) -> list[str]:
    name, unit, per = (str(row.get(column, "")) for column in ("name", "unit", "per"))
    value = str(row.get("amount", ""))
    if not name:
        return [str(ERROR_ROW_NAME.format(number=number))]
    where = {"number": number, "name": name}
    label = f"{LABELS['substances']} {number} ({name})"
    bounds = list(SubstanceBound.objects.filter(key=substance_key(name)))
    errors: list[str] = []
    if any(b.severity_required for b in bounds) and not facts.get("severity"):
        errors.append(str(ERROR_SEVERITY_FOR.format(name=name)))
    if unit and unit not in UNITS:
        errors.append(str(ERROR_NOT_A_CHOICE.format(label=label, value=unit)))
    if per and per not in PER_UNITS:
        errors.append(str(ERROR_NOT_A_CHOICE.format(label=label, value=per)))
    if not value:
        return errors
    amount = parse_amount(value)
    if amount is None:
        return [*errors, str(ERROR_NOT_A_NUMBER.format(label=label, value=value))]
    if amount <= 0:
        return [*errors, str(ERROR_NOT_POSITIVE.format(label=label))]
    if not unit or not per:
        return [*errors, str(ERROR_ROW_UNIT.format(**where))]
    if unit == "%" and per != "gram":
        return [*errors, str(ERROR_PERCENT_PER_GRAM.format(**where))]
    if unit != "%" and per == "gram":
        return [*errors, str(ERROR_MASS_PER_GRAM.format(unit=unit, **where))]
    if unit == "%" and amount > 100:
        return [*errors, str(ERROR_PERCENT_ABOVE_100.format(**where))]
    return errors + _check_bounds(where, amount, unit, per, bounds)


def _check_bounds(
    where: dict[str, Any], amount: Decimal, unit: str, per: str, bounds: list[SubstanceBound]
) -> list[str]:
    fitting = [b for b in bounds if b.unit in ("", unit) and b.per in ("", per)]
    if bounds and not fitting:
        allowed = ", ".join(f"{b.unit} / {_per_label(b.per)}" for b in bounds)
        return [str(ERROR_UNIT_FOR_SUBSTANCE.format(allowed=allowed, **where))]
    for bound in fitting:
        low, high = bound.minimum, bound.maximum
        if (low is not None and amount < low) or (high is not None and amount > high):
            return [
                str(
                    ERROR_OUT_OF_BOUNDS.format(
                        amount=_number(amount),
                        unit=unit,
                        per=_per_label(per),
                        minimum=_number(low) if low is not None else "",
                        maximum=_number(high) if high is not None else "",
                        **where,
                    )
                )
            ]
    return []


def _number(amount: Decimal) -> str:
    """180, 0.5, 1.25: no exponent, no trailing zeros."""
    text = f"{amount.normalize():f}"
    return text
