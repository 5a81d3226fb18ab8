"""Messages written in Python that used to be English whatever the language: the gpg errors of
the key store and the project's name in the admin. Each must differ from the English words in
Dutch and French, so an untranslated one fails here."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.utils.translation import override

from content import signing_keys
from content.exporters import SigningError, signing
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


@pytest.mark.parametrize("code", ["nl", "fr"])
@pytest.mark.parametrize(
    ("message", "inside", "english"),
    [
        (signing.NOT_VERIFIED, signing.TEXT_DIFFERS, "the signed text differs"),
        (signing.BAD_SIGNATURE, signing.NO_SIGNATURE_FOUND, "no signature found"),
        (signing_keys.ERROR_KEY_STORE, signing_keys.ERROR_GPG_TIMEOUT, "did not answer in time"),
    ],
)
def test_our_words_inside_a_gpg_error_are_in_the_language_too(
    message: Any, inside: Any, english: str, code: str
) -> None:
    key = "status" if message is not signing_keys.ERROR_KEY_STORE else "error"
    with override("en"):
        assert english in message.format(**{key: inside})
    with override(code):
        said = message.format(**{key: inside})
    assert english not in said and said != message.format(**{key: inside})


@pytest.mark.parametrize("code", ["nl", "fr"])
def test_a_signature_by_another_key_names_it_in_the_language(code: str) -> None:
    with override(code):
        said = signing.NOT_VERIFIED.format(
            status=signing.SIGNED_BY_OTHER.format(fingerprint=MISSING)
        )
    assert MISSING in said and "signed by" not in said
