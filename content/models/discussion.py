"""Review discussion: comments on one revision, their replies, and who marked a thread resolved.

Internal to the team: no export, public page, feed, API answer or reader copy reads these
tables. Only content.discussion writes them (it checks who may). A comment is written once, so
what a colleague wrote stays what they wrote; resolving a thread is a row of its own
(`CommentResolution`), so the comment itself is never touched (see content.discussion).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from content.models.posts import Post, Revision
from content.models.written_once import WrittenOnce, WrittenOnceQuerySet

# For programmers (a TypeError), like the other written-once messages: not translated.
ERROR_COMMENT_IMMUTABLE = "A comment is never changed once written; reply to it or write a new one."
MAX_COMMENT = 5000
MAX_QUOTE = 500


class CommentQuerySet(WrittenOnceQuerySet["Comment"]):
    def for_page(self) -> CommentQuerySet:
        """Comments as a page lists them: writer, revision number, resolution; never the
        revision's text."""
        return self.select_related("author", "resolution__resolved_by").annotate(
            revision_number=models.F("revision__number")
        )


class Comment(WrittenOnce):
    """A remark on one revision, optionally on a quoted passage of it; a reply has a parent
    (one level: replies are not answered in turn)."""

    written_once_message = ERROR_COMMENT_IMMUTABLE

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments_written"
    )
    body = models.TextField(max_length=MAX_COMMENT)
    quote = models.TextField(max_length=MAX_QUOTE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.revision}"


class CommentResolution(WrittenOnce):
    """A thread marked resolved: by whom and when. One per thread (its first comment)."""

    written_once_message = ERROR_COMMENT_IMMUTABLE

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="resolution")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments_resolved"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"comment {self.comment_id} resolved"
