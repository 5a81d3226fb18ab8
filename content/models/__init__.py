"""The content domain's models, re-exported so that `from content.models import X` works.

Direction of imports: posts <- workflow <- exports. A module imports only from those to its left.
"""

from content.models.exports import ExportProfile, Repost, SigningKey
from content.models.posts import (
    AuditEvent,
    Language,
    Post,
    PostKind,
    PostQuerySet,
    PostState,
    Revision,
    Tag,
    record_event,
)
from content.models.workflow import Notification, Review, ReviewPolicy

__all__ = [
    "AuditEvent",
    "ExportProfile",
    "Language",
    "Notification",
    "Post",
    "PostKind",
    "PostQuerySet",
    "PostState",
    "Repost",
    "Review",
    "ReviewPolicy",
    "Revision",
    "SigningKey",
    "Tag",
    "record_event",
]
