"""content.discussion: who may comment and resolve, quotes, replies, notifications, audit, and
that a comment changes nothing a reviewer judged."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from content import discussion, workflow
from content.actors import SystemActor
from content.approval_rules import approvals
from content.models import AuditEvent, Comment, CommentResolution, Notification, Post, Revision
from content.models.discussion import MAX_COMMENT, MAX_QUOTE
from tests.workflow_helpers import edit

BODY = "Is 'frequent' weekly or daily? Readers will ask."


def _in_review(post: Post, author: Any) -> Post:
    workflow.submit_for_review(post=post, actor=author)
    return Post.objects.get(pk=post.pk)


def comment(post: Post, actor: Any, body: str = BODY, **extra: Any) -> Comment:
    post = Post.objects.get(pk=post.pk)
    revision = extra.pop("revision", None) or post.latest_revision
    return discussion.add_comment(post=post, revision=revision, actor=actor, body=body, **extra)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("author", True),
        ("other_author", False),
        ("reviewer", True),
        ("editor", True),
        ("anonymous", False),
        ("deactivated_reviewer", False),
        ("system", False),
    ],
)
def test_who_may_comment(request, post, make_user, who, allowed) -> None:
    if who == "anonymous":
        actor: Any = AnonymousUser()
    elif who == "system":
        actor = SystemActor(name="job", permissions=frozenset({"content.view_post"}))
    elif who == "deactivated_reviewer":
        actor = make_user("gone", "Reviewers", is_active=False)
    else:
        actor = request.getfixturevalue(who)
    assert discussion.may_comment(post, actor) is allowed
    if allowed:
        assert comment(post, actor).author == actor
    else:
        with pytest.raises(discussion.NotPermitted):
            comment(post, actor)
        assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("quote", "ok"),
    [
        ("Ketamine and your bladder", True),  # the title
        ("Why  frequent\nuse hurts.", True),  # the summary, whitespace differing
        ("can **damage** the bladder", True),  # the body as written
        ("can damage the bladder", True),  # the body as the page shows it
        ("can harm the bladder", False),
        ("x" * (MAX_QUOTE + 1), False),
    ],
)
def test_a_quote_must_occur_in_the_revision(post, reviewer, quote, ok) -> None:
    if ok:
        assert comment(post, reviewer, quote=quote).quote == " ".join(quote.split())
    else:
        with pytest.raises(discussion.DiscussionError) as refused:
            comment(post, reviewer, quote=quote)
        assert "quote" in str(refused.value)
        assert not Comment.objects.exists()


def test_a_quote_from_an_earlier_revision_does_not_anchor_a_comment_on_a_later_one(post, author):
    edit(post, author, body="Entirely new text.")
    with pytest.raises(discussion.DiscussionError, match="revision 2"):
        comment(post, author, quote="can **damage** the bladder")
    first = Revision.objects.get(post=post, number=1)
    assert comment(post, author, quote="can **damage** the bladder", revision=first)


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "empty"), ("  \n ", "empty"), ("x" * (MAX_COMMENT + 1), "at most 5000 characters")],
)
def test_empty_and_too_long_comments_are_refused_with_a_clear_message(post, author, body, message):
    with pytest.raises(discussion.DiscussionError, match=message):
        comment(post, author, body)
    assert comment(post, author, "x" * MAX_COMMENT)


def test_a_comment_is_never_changed(post, author) -> None:
    written = comment(post, author)
    written.body = "Something else"
    with pytest.raises(TypeError):
        written.save()
    with pytest.raises(TypeError):
        Comment.objects.update(body="Something else")
    assert Comment.objects.get().body == BODY


def test_a_comment_creates_no_revision_and_leaves_the_approvals(post, author, reviewer, editor):
    post = _in_review(post, author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    revision = Post.objects.get(pk=post.pk).latest_revision
    before = (post.revisions.count(), revision.content_hash, approvals(revision), post.state)
    comment(post, editor, quote="the bladder")
    comment(post, author)
    post = Post.objects.get(pk=post.pk)
    after = (post.revisions.count(), post.latest_revision.content_hash)
    assert (*after, approvals(post.latest_revision), post.state) == before
    assert post.latest_revision_id == revision.pk


def test_replies_answer_a_thread_and_go_on_its_revision(post, author, reviewer) -> None:
    first = comment(post, reviewer)
    edit(post, author)
    reply = comment(post, author, "Daily; I say so now.", parent=first)
    assert (reply.parent, reply.revision.number) == (first, 1)
    with pytest.raises(discussion.DiscussionError, match="first comment of a thread"):
        comment(post, reviewer, "A reply to a reply", parent=reply)


def test_resolving_keeps_the_comment_and_takes_no_more_replies(post, author, reviewer) -> None:
    first = comment(post, reviewer)
    resolution = discussion.resolve(comment=first, actor=author)
    assert (resolution.resolved_by, Comment.objects.get().body) == (author, BODY)
    with pytest.raises(discussion.DiscussionError, match="resolved already"):
        discussion.resolve(comment=first, actor=reviewer)
    with pytest.raises(discussion.DiscussionError, match="resolved"):
        comment(post, author, "One more thing", parent=first)
    assert CommentResolution.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("writer", True), ("author", True), ("editor", True), ("other_reviewer", False)],
)
def test_who_may_resolve(request, post, make_user, who, allowed) -> None:
    writer = make_user("rik", "Reviewers")
    thread = comment(post, writer)
    actor = {
        "writer": writer,
        "other_reviewer": make_user("sofie", "Reviewers"),
    }.get(who) or request.getfixturevalue(who)
    if allowed:
        assert discussion.resolve(comment=thread, actor=actor).resolved_by == actor
    else:
        with pytest.raises(discussion.NotPermitted):
            discussion.resolve(comment=thread, actor=actor)


def test_a_comment_notifies_the_writers_and_the_reviewers_involved(
    post, author, reviewer, editor, make_user, django_capture_on_commit_callbacks
) -> None:
    author.email, reviewer.email = "author@example.org", "reviewer@example.org"
    author.save()
    reviewer.save()
    asked = make_user("asked", "Reviewers", email="asked@example.org")
    make_user("gone", "Reviewers", is_active=False)
    post = _in_review(post, author)
    workflow.request_changes(
        post=post, actor=reviewer, revision_id=post.latest_revision_id, reason="Cite it."
    )
    workflow.submit_for_review(post=Post.objects.get(pk=post.pk), actor=author)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment(post, reviewer, "Still missing the source.")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    # the author; the other reviewers asked (an editor reviews too); never the commenter
    assert told == {"author", "asked", "editor"}
    assert {address for message in mail.outbox for address in message.to} == {
        "author@example.org",
        "asked@example.org",
    }
    note = Notification.objects.get(recipient=author)
    assert note.message.startswith("reviewer commented on revision 1 of “Ketamine")
    assert "Still missing the source." in note.message
    assert asked.notifications.exists()


def test_a_reply_notifies_the_threads_participants(post, author, reviewer, make_user) -> None:
    rik, sofie = make_user("rik", "Reviewers"), make_user("sofie", "Reviewers")
    thread = comment(post, rik)
    Notification.objects.all().delete()
    comment(post, sofie, "I agree.", parent=thread)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"rik", "author"}  # the thread's writer and the post's
    Notification.objects.all().delete()
    comment(post, author, "Fixed in the next revision.", parent=thread)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"rik", "sofie"}  # reviewer, in no thread and no decision, is not told
    assert "replied on revision 1" in Notification.objects.first().message


def test_each_comment_and_resolution_is_audited(post, author, reviewer) -> None:
    thread = comment(post, reviewer, quote="the bladder")
    reply = comment(post, author, "Done.", parent=thread)
    discussion.resolve(comment=thread, actor=author)
    events = AuditEvent.objects.order_by("sequence").filter(
        action__in=[AuditEvent.Action.COMMENTED, AuditEvent.Action.COMMENT_RESOLVED]
    )
    assert [(e.action, e.actor, e.revision.number, e.details["comment"]) for e in events] == [
        ("commented", reviewer, 1, thread.pk),
        ("commented", author, 1, reply.pk),
        ("comment_resolved", author, 1, thread.pk),
    ]
    assert events[0].details["excerpt"] == BODY
    assert events[1].details["reply_to"] == thread.pk


def test_a_refused_comment_leaves_no_audit_event_and_tells_nobody(post, other_author) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(discussion.NotPermitted):
        comment(post, other_author)
    assert AuditEvent.objects.count() == before
    assert not Notification.objects.filter(message__contains="commented").exists()


def test_out_of_review_a_comment_tells_the_reviewers_who_decided_not_every_reviewer(
    post, author, reviewer, make_user
) -> None:
    make_user("sofie", "Reviewers")
    post = _in_review(post, author)
    workflow.request_changes(
        post=post, actor=reviewer, revision_id=post.latest_revision_id, reason="Cite it."
    )
    Notification.objects.all().delete()
    comment(post, author, "Which source would you accept?")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"reviewer"}
