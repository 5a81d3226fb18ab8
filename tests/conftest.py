"""Shared fixtures: people in each role, and posts written through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from content import roles
from content.models import Language, Post, PostKind
from content.revisions import RevisionContent, Source, create_post

PASSWORD = "correct horse battery staple"


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


def content_of(**changes: Any) -> RevisionContent:
    values: dict[str, Any] = {
        "title": "Ketamine and your bladder",
        "summary": "Why frequent use hurts.",
        "body": "Frequent use can **damage** the bladder.\n\n- Take breaks\n- See a doctor",
        "sources": (Source("EUDA drug profile", "https://www.euda.europa.eu/", "2026-10-01"),),
        "substances": ("ketamine",),
        "topics": ("safer use",),
    }
    values.update(changes)
    return RevisionContent(**values)


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
