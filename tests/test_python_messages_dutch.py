"""Messages written in Python that used to be English whatever the language: the gpg errors of
the key store and the project's name in the admin. Each must differ from the English words in
Dutch and French, so an untranslated one fails here."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.utils.translation import override

from content import signing_keys
from content.exporters import SigningError
from content.models import SigningKey

MISSING = "0123456789ABCDEF0123456789ABCDEF01234567"


@pytest.mark.parametrize("code", ["nl", "fr"])
def test_a_key_missing_from_the_key_store_is_said_in_the_language(
    db: Any, export_settings: Any, code: str
) -> None:
    key = SigningKey.objects.create(fingerprint=MISSING, label="Gone")
    with override("en"), pytest.raises(SigningError) as english:
        signing_keys.public_key(key)
    with override(code), pytest.raises(SigningError) as translated:
        signing_keys.public_key(key)
    assert str(english.value) == f"The key store has no key {MISSING}."
    assert MISSING in str(translated.value) and str(translated.value) != str(english.value)


@pytest.mark.parametrize("code", ["nl", "fr"])
def test_a_generated_key_gpg_lost_is_said_in_the_language(code: str) -> None:
    english = signing_keys.ERROR_GENERATED_MISSING.format(fingerprint=MISSING)
    with override(code):
        translated = signing_keys.ERROR_GENERATED_MISSING.format(fingerprint=MISSING)
    assert MISSING in translated and translated != english


@pytest.mark.parametrize("code", ["nl", "fr"])
@pytest.mark.parametrize("app", ["harmreduction", "content"])
def test_the_apps_names_in_the_admin_are_translated(app: str, code: str) -> None:
    name = apps.get_app_config(app).verbose_name
    with override("en"):
        english = str(name)
    with override(code):
        assert str(name) != english
