"""Review discussion: comments on a revision, replies, resolving a thread.

Who may comment: a signed-in, active member of the team who may read the post in the studio and
takes part in its review: one of the post's writers (who created it or wrote a revision of it),
a reviewer, an editor. Another author, who may read every post, comments only on posts they
wrote. The services check this themselves, so no view, command or API can skip it.

A comment belongs to one revision and may quote a passage of it: the quote must occur in that
revision's title, summary or body, compared with runs of whitespace made one space. The body
is matched both as written (Markdown) and as shown (its rendered text), since a reviewer
quotes what the page shows. A comment is internal: nothing that leaves the studio (exports,
public pages, feeds, API, /verify/, signed copies) reads it, and saving one touches no revision,
so the content hash and the approvals stay as they were.

Written once: a comment is never changed. Resolving a thread is a row of its own
(CommentResolution, one per thread, by the comment's writer, the post's writers or an editor)
rather than a flag on the comment: the comment stays exactly as written, and the resolution
keeps who resolved it and when. A resolved thread takes no more replies; whoever has more to
say starts a new one. Each comment and each resolution writes an audit event, and a comment
notifies (in the studio and by e-mail, content.notifications) the post's writers and the
reviewers involved (those who decided on it, and while it is in review those asked to review
it); a reply notifies the thread's participants and the post's writers. Never the commenter.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content import notifications
from content.actors import Actor, signed_in
from content.models import (
    AuditEvent,
    Comment,
    CommentResolution,
    Post,
    PostState,
    Review,
    Revision,
    record_event,
)
from content.models.discussion import MAX_COMMENT, MAX_QUOTE

if TYPE_CHECKING:
    from django.contrib.auth.models import User

EXCERPT = 120  # characters of a comment quoted in notifications and the timeline
# Notifications, written in each recipient's studio language (content.notifications.Message).
COMMENTED = gettext_lazy("%(who)s commented on revision %(number)s of “%(title)s”: %(text)s")
REPLIED = gettext_lazy("%(who)s replied on revision %(number)s of “%(title)s”: %(text)s")


class DiscussionError(Exception):
    """A comment or resolution was refused; the message says why."""


class NotPermitted(DiscussionError, PermissionError):
    """The actor may not take part in this post's discussion (or resolve this thread)."""


def error_not_permitted() -> str:
    return _("Only the post's writers, reviewers and editors take part in its review discussion.")


def normalised(text: str) -> str:
    """`text` with every run of whitespace made one space, trimmed."""
    return " ".join(text.split())


def excerpt(text: str) -> str:
    text = normalised(text)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def writer_ids(post: Post) -> set[int]:
    """Who created the post or wrote any revision of it."""
    ids = set(post.revisions.values_list("author_id", flat=True))
    ids.add(post.created_by_id)
    return ids


def refusal(post: Post, actor: Actor) -> str:
    """Why `actor` may not comment on `post` ("" when they may)."""
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return error_not_permitted()
    user = signed_in(actor)
    if not Post.objects.visible_to(user).filter(pk=post.pk).exists():
        return error_not_permitted()
    if user.has_perm("content.review_post") or user.has_perm("content.edit_any_post"):
        return ""
    if user.pk in writer_ids(post):
        return ""
    return error_not_permitted()


def may_comment(post: Post, actor: Actor) -> bool:
    return not refusal(post, actor)


def may_resolve(comment: Comment, actor: Actor) -> bool:
    """Whether `actor` may mark this thread resolved: its writer, the post's writers, an editor
    (each of whom must also be able to comment on the post)."""
    if comment.parent_id is not None or may_comment(comment.post, actor) is False:
        return False
    user = signed_in(actor)
    return (
        comment.author_id == user.pk
        or user.has_perm("content.edit_any_post")
        or user.pk in writer_ids(comment.post)
    )


def quote_problem(quote: str, revision: Revision) -> str:
    """Why `quote` cannot anchor a comment on `revision` ("" when it can)."""
    wanted = normalised(quote)
    if len(wanted) > MAX_QUOTE:
        return _("The quoted passage is at most %(max)d characters; quote less.") % {
            "max": MAX_QUOTE
        }
    shown_body = html.unescape(strip_tags(revision.rendered_html))
    texts = (revision.title, revision.summary, revision.body, shown_body)
    if not any(wanted in normalised(text) for text in texts):
        return _(
            "The quoted passage does not occur in revision %(number)d's title, summary or "
            "text. Copy it exactly from this revision, or leave the quote empty."
        ) % {"number": revision.number}
    return ""


def body_problem(body: str) -> str:
    if not body.strip():
        return _("Write a comment: it is empty.")
    if len(body) > MAX_COMMENT:
        return _("A comment is at most %(max)d characters; this one has %(count)d.") % {
            "max": MAX_COMMENT,
            "count": len(body),
        }
    return ""


def _recipients(post: Post, revision: Revision, parent: Comment | None) -> list[User]:
    users = {post.created_by, *[r.author for r in post.revisions.select_related("author")]}
    if parent is not None:
        users.add(parent.author)
        users.update(reply.author for reply in parent.replies.select_related("author"))
        return list(users)
    users.update(
        review.reviewer for review in Review.objects.filter(post=post).select_related("reviewer")
    )
    if post.state == PostState.IN_REVIEW:
        users.update(notifications.reviewers_for(post, exclude=writer_ids(post)))
    return list(users)


@transaction.atomic
def add_comment(
    *,
    post: Post,
    revision: Revision,
    actor: Actor,
    body: str,
    quote: str = "",
    parent: Comment | None = None,
) -> Comment:
    """Write a comment on `revision` (a reply when `parent` is given), audit it, notify."""
    problem = refusal(post, actor)
    if problem:
        raise NotPermitted(problem)
    user = signed_in(actor)
    if revision.post_id != post.pk:
        raise DiscussionError(_("That revision belongs to another post."))
    if parent is not None:
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        if parent.post_id != post.pk or parent.parent_id is not None:
            raise DiscussionError(_("Replies answer the first comment of a thread on this post."))
        if CommentResolution.objects.filter(comment=parent).exists():
            raise DiscussionError(
                _("This thread is resolved; start a new comment if there is more to say.")
            )
        revision = parent.revision
    problem = body_problem(body) or (quote.strip() and quote_problem(quote, revision)) or ""
    if problem:
        raise DiscussionError(problem)
    comment = Comment.objects.create(
        post=post,
        revision=revision,
        parent=parent,
        author=user,
        body=body.strip(),
        quote=normalised(quote),
    )
    record_event(
        action=AuditEvent.Action.COMMENTED,
        actor=user,
        post=post,
        revision=revision,
        comment=comment.pk,
        reply_to=parent.pk if parent else None,
        excerpt=excerpt(comment.body),
    )
    message = COMMENTED if parent is None else REPLIED
    params = {
        "who": user.get_username(),
        "number": revision.number,
        "title": revision.title,
        "text": excerpt(comment.body),
    }
    notifications.notify(
        _recipients(post, revision, parent),
        post=post,
        message=notifications.Message(message, params),
        exclude=[user],
    )
    return comment


@transaction.atomic
def resolve(*, comment: Comment, actor: Actor) -> CommentResolution:
    """Mark the thread `comment` opens as resolved (once), and audit it."""
    # Locked, as a reply locks it: a reply and a resolution at once come one after the other.
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("post", "revision")
        .get(pk=comment.pk)
    )
    if comment.parent_id is not None:
        raise DiscussionError(_("A thread is resolved by its first comment, not by a reply."))
    if not may_resolve(comment, actor):
        raise NotPermitted(
            _("Only the comment's writer, the post's writers and editors resolve a thread.")
        )
    user = signed_in(actor)
    try:
        with transaction.atomic():
            resolution = CommentResolution.objects.create(comment=comment, resolved_by=user)
    except IntegrityError:
        raise DiscussionError(_("This thread is resolved already.")) from None
    record_event(
        action=AuditEvent.Action.COMMENT_RESOLVED,
        actor=user,
        post=comment.post,
        revision=comment.revision,
        comment=comment.pk,
        excerpt=excerpt(comment.body),
    )
    return resolution


# --- What the pages show ------------------------------------------------------------------


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)
    can_resolve: bool = False

    @property
    def resolved(self) -> bool:
        return hasattr(self.comment, "resolution")


@dataclass
class Discussion:
    """A post's threads for one page: those on `revision` first, then the others'."""

    revision: Revision
    here: list[Thread]
    elsewhere: list[Thread]
    can_comment: bool

    @property
    def open_count(self) -> int:
        return sum(1 for thread in self.here + self.elsewhere if not thread.resolved)


def discussion_for(post: Post, revision: Revision, user: Actor) -> Discussion:
    """Every thread of `post` (two queries: its comments, and the writers for the rights)."""
    threads: dict[int, Thread] = {}
    comments = list(Comment.objects.filter(post=post).for_page())
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    can_comment = may_comment(post, user)
    if can_comment and threads:
        user_row = signed_in(user)
        resolves_any = user_row.has_perm("content.edit_any_post") or user_row.pk in writer_ids(post)
        for thread in threads.values():
            thread.can_resolve = not thread.resolved and (
                resolves_any or thread.comment.author_id == user_row.pk
            )
    here = [t for t in threads.values() if t.comment.revision_id == revision.pk]
    elsewhere = sorted(
        (t for t in threads.values() if t.comment.revision_id != revision.pk),
        key=lambda t: (-t.comment.revision_number, t.comment.created_at),  # type: ignore[attr-defined]
    )
    return Discussion(revision=revision, here=here, elsewhere=elsewhere, can_comment=can_comment)
