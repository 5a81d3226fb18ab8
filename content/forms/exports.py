"""Forms of the export screens: choosing a profile, the repost register, signing keys."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone

from content.models import ExportProfile

FINAL, PREVIEW = "final", "preview"
ERROR_BAD_URL = "That looks like an address but is not a valid URL; paste the thread's full URL."
ERROR_FUTURE = "The date posted cannot be in the future."
EXPIRY_CHOICES = [("1y", "1 year"), ("2y", "2 years"), ("3y", "3 years")]


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
        error_messages={"invalid_choice": "Choose one of the export profiles listed."},
    )
    version = forms.ChoiceField(
        choices=[
            (FINAL, "The published, reviewed text (final)"),
            (PREVIEW, "The latest revision as a preview (DRAFT - NOT REVIEWED, never signed)"),
        ],
        widget=forms.RadioSelect,
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
        label="Where",
        help_text="The thread's URL, or the forum's name if the thread has no address.",
        error_messages={"required": "Say where it was posted: the thread's URL or forum name."},
    )
    posted_on = forms.DateField(
        label="Date posted",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
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
        error_messages={"invalid_choice": "Choose one of the export profiles listed."},
    )
    field_order = ["profile", "where", "posted_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_active_profiles(self)


class NoticePostedForm(forms.Form):
    posted_on = forms.DateField(
        label="Date the notice was posted",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )

    def clean_posted_on(self) -> datetime.date:
        posted_on: datetime.date = self.cleaned_data["posted_on"]
        if posted_on > timezone.localdate():
            raise ValidationError(ERROR_FUTURE)
        return posted_on


class KeyImportForm(forms.Form):
    label = forms.CharField(max_length=100)
    armored = forms.CharField(
        label="Armored secret key",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        max_length=100_000,
        help_text="The output of gpg --armor --export-secret-keys FINGERPRINT.",
    )


class KeyGenerateForm(forms.Form):
    label = forms.CharField(max_length=100)
    name = forms.CharField(max_length=100, help_text="Shown to readers in the key's user ID.")
    email = forms.EmailField(help_text="The organisation's address, not a person's.")
    expire = forms.ChoiceField(choices=EXPIRY_CHOICES, initial="2y", label="Expires after")
