"""Four eyes: who wrote which revisions, how many reviewers approved one, who may approve it.

Read by content.workflow (which re-exports these names) and by the review page, which explains
why a reviewer may not approve.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy

from content.actors import Actor
from content.models import Post, Review, Revision
from content.transitions import ALLOWED_TRANSITIONS, verb

ERROR_OWN_TEXT = gettext_lazy(
    "You wrote part of this text (revision {numbers}), so you cannot approve it. "
    "Another reviewer must."
)
ERROR_PERMISSION = gettext_lazy("You may not {action} this post.")


def writers_between(post: Post, after: int, upto: int) -> dict[int, list[int]]:
    """{user id: [revision numbers]} for revisions numbered after `after` up to `upto`."""
    writers: dict[int, list[int]] = {}
    rows = post.revisions.filter(number__gt=after, number__lte=upto).values_list(
        "author_id", "number"
    )
    for author_id, number in rows.order_by("number"):
        writers.setdefault(author_id, []).append(number)
    return writers


def approvals(revision: Revision, *, since: datetime.datetime | None = None) -> int:
    """Distinct reviewers who approved exactly this content (after `since`, if given)."""
    reviews = Review.objects.approvals_of(revision)
    if since is not None:
        reviews = reviews.filter(created_at__gt=since)
    return reviews.approver_count()


def approval_blocker(post: Post, revision: Revision, user: Actor) -> str:
    """Why `user` may not approve `revision` ("" when they may). Used by views to explain."""
    if not ALLOWED_TRANSITIONS["approve"].permitted(post, user):
        return ERROR_PERMISSION.format(action=verb("approve"))
    return own_text_blocker(post, revision, user)


def own_text_blocker(post: Post, revision: Revision, user: Actor) -> str:
    """Four eyes: ERROR_OWN_TEXT if `user` wrote any revision up to `revision` since the text
    published before it ("" if not)."""
    after = (
        post.published_base_number
        if revision.pk == post.published_revision_id
        else (post.published_revision.number if post.published_revision else 0)
    )
    writers = writers_between(post, after, revision.number)
    numbers = writers.get(user.pk) if user.pk is not None else None  # the server writes nothing
    if numbers:
        return ERROR_OWN_TEXT.format(numbers=", ".join(map(str, numbers)))
    return ""
