"""Which language the interface speaks: to a person in the studio, in their mail, on the public
site.

The interface languages are settings.LANGUAGES (Dutch, French, English; English is the source
of the catalogues in content/locale/). A person chooses their studio language
(`set_studio_language`); until they do, the studio follows their browser and their mail is in
English. The public site speaks the language of its address (/nl/..., a post's language) when
it is one of the interface languages, English otherwise; its home page speaks the reader's
Accept-Language (`accepted_language`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_supported_language_variant, gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

from content.models import StudioProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

ERROR_LANGUAGE = gettext_lazy("Choose one of the languages offered.")
ERROR_SIGN_IN = gettext_lazy("Sign in to choose your studio language.")
# The chosen language is kept in the session from login on, so a studio page reads no extra row.
SESSION_KEY = "studio_language"


class LanguageError(ValueError):
    """A language the interface does not speak."""


def interface_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def interface_language(code: str) -> str:
    """`code` when the interface speaks it (nl, fr, en), else the source language (English):
    a post in German gets English words around it."""
    return code if code in interface_languages() else settings.LANGUAGE_CODE


def accepted_language(request: HttpRequest) -> str:
    """The interface language the request's Accept-Language prefers (nl-BE: nl), else English.
    Only the header: no cookie or session, so a page that uses it varies on that header alone."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def studio_language(user: AbstractBaseUser | AnonymousUser) -> str:
    """The language `user` chose for the studio, "" when they have not chosen."""
    if not user.is_authenticated:
        return ""
    profile = StudioProfile.objects.filter(user_id=user.pk).only("language").first()
    return profile.language if profile else ""


def recipient_language(user: AbstractBaseUser) -> str:
    """The language of mail to `user`: their studio language, English when not chosen."""
    return studio_language(user) or str(settings.LANGUAGE_CODE)


def recipient_languages(user_ids: Iterable[int]) -> dict[int, str]:
    """The language of mail to each of `user_ids` (one query): as recipient_language()."""
    ids = list(user_ids)
    chosen = dict(
        StudioProfile.objects.filter(user_id__in=ids)
        .exclude(language="")
        .values_list("user_id", "language")
    )
    return {pk: chosen.get(pk) or str(settings.LANGUAGE_CODE) for pk in ids}


def set_studio_language(*, user: AbstractBaseUser | AnonymousUser, language: str) -> StudioProfile:
    """Record `user`'s studio language (theirs only: the caller passes the signed-in person)."""
    if language not in interface_languages():
        raise LanguageError(str(ERROR_LANGUAGE))
    if not user.is_authenticated:  # a person sets their own language, signed in
        raise LanguageError(str(ERROR_SIGN_IN))
    profile, _created = StudioProfile.objects.update_or_create(
        user_id=user.pk, defaults={"language": language}
    )
    return profile


def remember_language(request: HttpRequest, language: str) -> None:
    """Keep `language` ("" when not chosen) in the session of `request`."""
    request.session[SESSION_KEY] = language


def session_language(request: HttpRequest) -> str:
    """The studio language of the signed-in person of `request` ("" when not chosen): from the
    session, read from their profile once if the session does not have it yet."""
    language = request.session.get(SESSION_KEY)
    if not isinstance(language, str):
        language = studio_language(request.user)
        remember_language(request, language)
    return language if language in interface_languages() else ""


def on_login(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """user_logged_in: the session starts with the person's studio language."""
    user = kwargs.get("user")
    if request is not None and hasattr(request, "session") and user is not None:
        remember_language(request, studio_language(user))  # type: ignore[arg-type]
