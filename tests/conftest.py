"""Shared fixtures: people in each role, and posts written through the real services."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from content import roles
from content.exporters.signing import generate_key
from content.models import ExportProfile, Language, Post, PostKind, SigningKey
from content.revisions import create_post
from tests.support import (
    ONION,
    PASSPHRASE,
    PASSWORD,
    SITE,
    Keys,
    content_of,
    key_record,
    publish_latest,
)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: a rolled-back test leaves the public version where
    it was, so a page cached by one test could otherwise answer in the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language: a request leaves the language it activated
    (a person's studio language, a public page's) active in the thread that served it, which
    is the test's own with the test client."""
    yield
    translation.deactivate()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    def make(username: str, role: str | None = None, **extra: Any) -> Any:
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return get_user_model().objects.get(pk=user.pk)

    return make


@pytest.fixture
def author(make_user: Callable[..., Any]) -> Any:
    return make_user("author", roles.AUTHORS)


@pytest.fixture
def other_author(make_user: Callable[..., Any]) -> Any:
    return make_user("other_author", roles.AUTHORS)


@pytest.fixture
def reviewer(make_user: Callable[..., Any]) -> Any:
    return make_user("reviewer", roles.REVIEWERS)


@pytest.fixture
def editor(make_user: Callable[..., Any]) -> Any:
    return make_user("editor", roles.EDITORS, is_staff=True)


@pytest.fixture
def languages(db: Any) -> dict[str, Language]:
    """nl, fr and en. A migration adds them, but transactional tests flush the tables."""
    names = {"nl": "Nederlands", "fr": "Français", "en": "English"}
    return {
        code: Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in names.items()
    }


@pytest.fixture
def english(languages: dict[str, Language]) -> Language:
    return languages["en"]


@pytest.fixture
def post(author: Any, english: Language) -> Post:
    return create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())


@pytest.fixture
def assert_constant_queries(django_assert_max_num_queries: Any) -> Callable[..., Any]:
    """Load a list page with a few rows, add more rows, and check it ran no more queries."""

    def check(load: Callable[[], Any], add_rows: Callable[[int], None], ceiling: int = 20) -> Any:
        add_rows(2)
        with django_assert_max_num_queries(ceiling) as few:
            load()
        add_rows(10)
        with django_assert_max_num_queries(len(few.captured_queries)):
            return load()

    return check


@pytest.fixture
def author_client(client: Any, author: Any) -> Any:
    client.force_login(author)
    return client


# --- Signing: one gpg key store for the whole run, our key on record, the public addresses ----


@pytest.fixture(scope="session")
def gpg_keys() -> Iterator[Keys]:
    """The one session key store: the team's key (no passphrase), an expired key, and a key
    protected by PASSPHRASE. The exporter tests use it without the database."""
    # A short path: gpg-agent's socket lives in the home directory and socket paths are short.
    home = tempfile.mkdtemp(prefix="gpg-", dir="/tmp")
    try:
        expired = generate_key(home, name="Old", email="old@example.org", expire="seconds=1")
        team = generate_key(home, name="Team", email="team@example.org")
        protected = generate_key(
            home, name="Locked", email="lock@example.org", passphrase=PASSPHRASE
        )
        time.sleep(1.2)
        yield Keys(home=home, team=team, expired=expired, protected=protected)
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def export_settings(settings: Any, gpg_keys: Keys) -> Any:
    """The session key store as GNUPG_HOME, and both public addresses configured."""
    settings.GNUPG_HOME = gpg_keys.home
    settings.GNUPG_PASSPHRASE = ""
    settings.PUBLIC_SITE_URL = SITE
    settings.PUBLIC_ONION_URL = ONION
    return settings


@pytest.fixture
def team_key(gpg_keys: Keys, db: Any) -> SigningKey:
    return key_record(gpg_keys.home, gpg_keys.team, "Team key")


@pytest.fixture
def signed_profile(team_key: SigningKey) -> ExportProfile:
    profile = ExportProfile.objects.get(slug="phpbb")
    profile.sign, profile.signing_key = True, team_key
    profile.full_clean()
    profile.save()
    return profile


@pytest.fixture
def published(post: Post, author: Any, reviewer: Any) -> Post:
    publish_latest(post, author=author, reviewer=reviewer)
    return Post.objects.select_related("language").get(pk=post.pk)


@pytest.fixture
def own_store(settings: Any) -> Iterator[str]:
    """A key store of the test's own, as GNUPG_HOME: for keys the shared session store must not
    get, and for revoking (a revoked key in the session store would break every later test)."""
    home = tempfile.mkdtemp(prefix="own-", dir="/tmp")
    settings.GNUPG_HOME = home
    try:
        yield home
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def named_post(author: Any, english: Language) -> Post:
    """A post whose first title carried a person's name into its address (EXPOSED)."""
    return create_post(
        author=author,
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(title="Ketamine and Anna Janssens test"),
    )
