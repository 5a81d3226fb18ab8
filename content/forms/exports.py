"""Forms of the export screens: choosing a profile, the repost register, signing keys."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from content.models import ExportProfile

FINAL, PREVIEW = "final", "preview"
ERROR_BAD_URL = gettext_lazy(
    "That looks like an address but is not a valid URL; paste the thread's full URL."
)
ERROR_FUTURE = gettext_lazy("The date posted cannot be in the future.")
ERROR_CHOOSE_PROFILE = gettext_lazy("Choose one of the export profiles listed.")
ERROR_DATE_FORMAT = gettext_lazy("Enter the date as YYYY-MM-DD.")
EXPIRY_CHOICES = [
    ("1y", gettext_lazy("1 year")),
    ("2y", gettext_lazy("2 years")),
    ("3y", gettext_lazy("3 years")),
]


def _offer_active_profiles(form: forms.Form) -> None:
    field = form.fields["profile"]
    assert isinstance(field, forms.ModelChoiceField)  # declared so on the form class
    field.queryset = _profiles()


def _profiles() -> QuerySet[ExportProfile]:
    return ExportProfile.objects.filter(active=True).select_related("signing_key")


class ExportForm(forms.Form):
    profile = forms.ModelChoiceField(
        queryset=ExportProfile.objects.none(),
        to_field_name="slug",
        empty_label=None,
        label=gettext_lazy("Profile"),
        error_messages={"invalid_choice": ERROR_CHOOSE_PROFILE},
    )
    version = forms.ChoiceField(
        choices=[
            (FINAL, gettext_lazy("The published, reviewed text (final)")),
            (
                PREVIEW,
                gettext_lazy(
                    "The latest revision as a preview (DRAFT - NOT REVIEWED, never signed)"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        label=gettext_lazy("Version"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_active_profiles(self)


def _check_where(value: str) -> str:
    value = value.strip()
    if value.lower().startswith(("http://", "https://")):
        try:
            URLValidator()(value)
        except ValidationError as error:
            raise ValidationError(ERROR_BAD_URL) from error
    return value


class PostedForm(forms.Form):
    where = forms.CharField(
        max_length=500,
        label=gettext_lazy("Where"),
        help_text=gettext_lazy(
            "The thread's URL, or the forum's name if the thread has no address."
        ),
        error_messages={
            "required": gettext_lazy(
                "Say where it was posted: the thread's URL or forum name."
            )
        },
    )
    posted_on = forms.DateField(
        label=gettext_lazy("Date posted"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": ERROR_DATE_FORMAT},
    )

    def clean_where(self) -> str:
        return _check_where(self.cleaned_data["where"])

    def clean_posted_on(self) -> datetime.date:
        posted_on: datetime.date = self.cleaned_data["posted_on"]
        if posted_on > timezone.localdate():
            raise ValidationError(ERROR_FUTURE)
        return posted_on


class RepostForm(PostedForm):
    profile = forms.ModelChoiceField(
        queryset=ExportProfile.objects.none(),
        to_field_name="slug",
        label=gettext_lazy("Profile"),
        # Our words: Django's own default empty choice has no Dutch or French yet.
        empty_label=gettext_lazy("Choose a profile"),
        error_messages={"invalid_choice": ERROR_CHOOSE_PROFILE},
    )
    field_order = ["profile", "where", "posted_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_active_profiles(self)


class NoticePostedForm(forms.Form):
    posted_on = forms.DateField(
        label=gettext_lazy("Date the notice was posted"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": ERROR_DATE_FORMAT},
    )

    def clean_posted_on(self) -> datetime.date:
        posted_on: datetime.date = self.cleaned_data["posted_on"]
        if posted_on > timezone.localdate():
            raise ValidationError(ERROR_FUTURE)
        return posted_on


class KeyImportForm(forms.Form):
    label = forms.CharField(max_length=100, label=gettext_lazy("Label"))
    armored = forms.CharField(
        label=gettext_lazy("Armored secret key"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        max_length=100_000,
        help_text=gettext_lazy("The output of gpg --armor --export-secret-keys FINGERPRINT."),
    )


class KeyGenerateForm(forms.Form):
    label = forms.CharField(max_length=100, label=gettext_lazy("Label"))
    name = forms.CharField(
        max_length=100,
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("Shown to readers in the key's user ID."),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        help_text=gettext_lazy("The organisation's address, not a person's."),
    )
    expire = forms.ChoiceField(
        choices=EXPIRY_CHOICES, initial="2y", label=gettext_lazy("Expires after")
    )
