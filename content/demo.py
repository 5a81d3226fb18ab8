"""Demo accounts and demo posts, so a newcomer sees the product working at once.

`seed()` is idempotent: accounts are matched by user name and posts by language and slug, so
running it twice duplicates nothing (it only resets the demo passwords to the one given). The
accounts and posts themselves are content.demo_data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from content import notifications, reposts, roles
from content.demo_data import DEMO_POSTS, DEMO_USERS, DemoPost
from content.models import ExportProfile, Language, Post, PostState
from content.revisions import RevisionContent, create_post, save_revision
from content.states import bring_to_state

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEFAULT_PASSWORD = "demo-password"  # noqa: S105 - printed for the demo accounts only

def _edit(post: Post, author: User, content: RevisionContent, note: str) -> None:
    save_revision(
        post=post,
        author=author,
        content=content,
        base_revision_id=post.latest_revision_id,
        change_note=note,
    )


def _repost(post: Post, profile: str, where: str, days_ago: int) -> None:
    reposts.record_repost(
        post=Post.objects.get(pk=post.pk),
        profile=ExportProfile.objects.get(slug=profile),
        actor=post.created_by,
        where=where,
        posted_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def _republish(demo: DemoPost, post: Post, users: dict[str, User]) -> None:
    """Publish the first version, repost it, then publish the later ones: the repost is outdated."""
    _bring(demo, post, PostState.PUBLISHED, users)
    _repost(post, "dread", "Dread: /d/HarmReduction, thread “Orange Tesla pills”", days_ago=9)
    for note, content in demo.versions[1:]:
        _edit(post, post.created_by, content, note)
    _bring(demo, post, PostState.PUBLISHED, users)


def _run_workflow(demo: DemoPost, post: Post, users: dict[str, User]) -> None:
    """Bring a demo post into the state its plan names, through the real transitions."""
    if demo.workflow == PostState.WITHDRAWN:
        # Reposted while it was published, so the withdrawal leaves a repost to take down.
        _bring(demo, post, PostState.PUBLISHED, users)
        _repost(post, "phpbb-tor", "phpBB (Tor) forum: Harm reduction > Alerts", days_ago=3)
    _bring(demo, post, demo.workflow, users)


def _bring(demo: DemoPost, post: Post, state: str, users: dict[str, User]) -> Post:
    return bring_to_state(
        post,
        state,
        author=post.created_by,
        reviewers=[users[name] for name in demo.reviewers],
        editor=users["eva"],
        reason=demo.reason,
        newer_text=demo.newer_text,
        change_note=demo.newer_note,
    )


@dataclass
class SeedResult:
    users: list[tuple[str, str]]  # (user name, role)
    posts_created: int
    posts_existing: int


def _ensure_users(password: str) -> dict[str, User]:
    model = get_user_model()
    users: dict[str, User] = {}
    for username, first_name, role in DEMO_USERS:
        user, _ = model.objects.get_or_create(
            username=username, defaults={"first_name": first_name}
        )
        user.set_password(password)
        user.is_staff = role == roles.EDITORS
        user.email = f"{username}@example.org"
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        users[username] = model.objects.get(pk=user.pk)  # fresh: no stale permission cache
    return users


def seed(*, password: str = DEFAULT_PASSWORD) -> SeedResult:
    with notifications.email_muted(), transaction.atomic():
        return _seed(password)


def _seed(password: str) -> SeedResult:
    users = _ensure_users(password)
    created = existing = 0
    for demo in DEMO_POSTS:
        language = Language.objects.get(code=demo.language)
        if Post.objects.filter(language=language, slug=demo.slug).exists():
            existing += 1
            continue
        author = users[demo.author]
        (first_note, first), *later = demo.versions
        original = (
            Post.objects.filter(slug=demo.translation_of).first() if demo.translation_of else None
        )
        post = create_post(
            author=author,
            language=language,
            kind=demo.kind,
            slug=demo.slug,
            content=first,
            change_note=first_note,
            translation_of=original,
        )
        if demo.workflow == "republished":
            _republish(demo, post, users)
        else:
            for note, content in later:
                _edit(post, author, content, note)
            _run_workflow(demo, post, users)
        created += 1
    return SeedResult(
        users=[(username, role) for username, _, role in DEMO_USERS],
        posts_created=created,
        posts_existing=existing,
    )
