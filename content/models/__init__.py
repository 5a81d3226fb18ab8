"""The content domain's models, re-exported so that `from content.models import X` works.

Direction of imports: posts <- workflow <- exports. A module imports only from those to its left.
opsec imports only from posts.
addresses imports only from posts.
"""

from content.models.addresses import OldAddress, address_taken
from content.models.exports import ExportProfile, Repost, SignedStatement, SigningKey
from content.models.opsec import AllowedNumber, OpsecOverride, OpsecPhrase
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
    "AllowedNumber",
    "AuditEvent",
    "ExportProfile",
    "Language",
    "Notification",
    "OldAddress",
    "OpsecOverride",
    "OpsecPhrase",
    "Post",
    "PostKind",
    "PostQuerySet",
    "PostState",
    "Repost",
    "Review",
    "ReviewPolicy",
    "Revision",
    "SignedStatement",
    "SigningKey",
    "Tag",
    "address_taken",
    "record_event",
]
