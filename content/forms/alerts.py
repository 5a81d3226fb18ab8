"""The "Alert facts" fieldset of the post form: a drug alert's facts and its substances found.

The fieldset is a plain form (prefix "alert") and a formset of substance rows (prefix "found",
a few blank rows; save to get more). It checks only what a form can (dates are dates); every rule
of the facts themselves is content.alert_rules.check_facts(), the one save_revision() applies
too, whose errors are put back on the field or row they name. Nothing typed is lost: a page with
errors shows every input as typed.

A new drug alert must state its facts. An older alert that states none stays editable without
them: its fieldset says the facts are missing and asks for them, and once any fact is given
all the required ones are (and a later edit cannot drop them again).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from content import alert_rules
from content.alerts import UNITS
from content.forms.utf8 import ValidUtf8Form
from content.models import PerUnit
from content.revision_schema import SEVERITY_CHOICES, SUBSTANCE_COLUMNS

ALERT_PREFIX = "alert"
FOUND_PREFIX = "found"
EXTRA_ROWS = 3


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AlertFactsForm(ValidUtf8Form):
    sold_as = forms.CharField(
        max_length=200,
        required=False,
        label=gettext_lazy("Sold as"),
        help_text=gettext_lazy("What buyers were told it is, e.g. Ecstasy (orange Tesla)."),
    )
    colour = forms.CharField(max_length=80, required=False, label=gettext_lazy("Colour"))
    logo = forms.CharField(max_length=80, required=False, label=gettext_lazy("Logo or imprint"))
    shape = forms.CharField(max_length=80, required=False, label=gettext_lazy("Shape"))
    weight_mg = forms.CharField(
        max_length=12, required=False, label=gettext_lazy("Weight (mg)"),
        help_text=gettext_lazy("Of one pill, capsule or blotter, in mg."),
    )  # fmt: skip
    photo = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("Photo"),
        help_text=gettext_lazy(
            "The address of an image uploaded into the text (drop it into the body, then copy "
            "its address from the Markdown), so its location data is removed."
        ),
    )
    tested_on = forms.DateField(
        required=False, label=gettext_lazy("Tested on"), widget=_date_widget()
    )
    tested_at = forms.CharField(
        max_length=120, required=False, label=gettext_lazy("Tested at"),
        help_text=gettext_lazy("The place, e.g. a city or a festival."),
    )  # fmt: skip
    tested_by = forms.CharField(
        max_length=120,
        required=False,
        label=gettext_lazy("Tested by"),
        help_text=gettext_lazy(
            "An organisation (a drug-checking service, a lab), never a person's name: this is "
            "published."
        ),
    )
    severity = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Severity"),
        choices=[("", "—"), *SEVERITY_CHOICES],
    )
    expires_on = forms.DateField(
        required=False,
        label=gettext_lazy("Valid until"),
        widget=_date_widget(),
        help_text=gettext_lazy("After this day the warning no longer holds."),
    )


class SubstanceRowForm(ValidUtf8Form):
    name = forms.CharField(max_length=80, required=False, label=gettext_lazy("Substance"))
    amount = forms.CharField(max_length=12, required=False, label=gettext_lazy("Amount"))
    unit = forms.ChoiceField(
        required=False, label=gettext_lazy("Unit"), choices=[("", "—")] + [(u, u) for u in UNITS]
    )
    per = forms.ChoiceField(
        required=False, label=gettext_lazy("Per"), choices=[("", "—"), *PerUnit.choices]
    )


SubstanceFormSet = forms.formset_factory(
    SubstanceRowForm, extra=EXTRA_ROWS, max_num=20, validate_max=True
)


def _text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value or "")


class AlertFactsFields:
    """The fieldset: the facts form and the substance rows, bound or started from `facts`."""

    def __init__(self, data: Mapping[str, Any] | None, *, facts: Mapping[str, Any]) -> None:
        initial = {name: value for name, value in facts.items() if name != "substances"}
        rows = [dict(row) for row in facts.get("substances", ())]
        self.facts_form = AlertFactsForm(data, prefix=ALERT_PREFIX, initial=initial)
        self.rows = SubstanceFormSet(data, prefix=FOUND_PREFIX, initial=rows)
        self.stated_before = bool(facts)
        self.kept = dict(facts)  # what an edit whose page had no fieldset keeps
        # A page without this fieldset (an older page, a script) keeps the facts as they were.
        self.sent = data is not None and f"{FOUND_PREFIX}-TOTAL_FORMS" in data
        self._row_forms: list[forms.Form] = []
        self.missing_rows: list[str] = []  # "name at least one substance"

    def is_valid(self) -> bool:
        if not self.sent:
            return True
        return self.facts_form.is_valid() & self.rows.is_valid()

    def facts(self) -> dict[str, Any]:
        """The facts as typed (after is_valid()), in the stored form: text, ISO dates, rows."""
        if not self.sent:
            return self.kept
        data = self.facts_form.cleaned_data
        facts: dict[str, Any] = {name: _text(value) for name, value in data.items()}
        rows = [
            (form, {column: _text(form.cleaned_data.get(column)) for column in SUBSTANCE_COLUMNS})
            for form in self.rows
        ]
        stated = [(form, row) for form, row in rows if any(row.values())]
        self._row_forms = [form for form, _row in stated]  # row n of the facts -> its form
        facts["substances"] = [row for _form, row in stated]
        return facts

    def check(self, facts: Mapping[str, Any], *, new_alert: bool) -> bool:
        """Apply the alert's rules (as save_revision() does); errors go on their field or row."""
        required = new_alert or self.stated_before or bool(facts)
        errors = alert_rules.check_facts(facts, required=required)
        for error in errors:
            self.add_error(error)
        return not errors

    def add_error(self, error: alert_rules.FactError) -> None:
        if error.row is not None and error.row < len(self._row_forms):
            self._row_forms[error.row].add_error(None, error.message)
        elif error.fact == "substances":
            self.missing_rows.append(error.message)
        elif error.fact in self.facts_form.fields:
            self.facts_form.add_error(error.fact, error.message)
        else:
            self.facts_form.add_error(None, error.message)

    @property
    def error_count(self) -> int:
        return len(self.facts_form.errors) + self.rows.total_error_count() + len(self.missing_rows)
