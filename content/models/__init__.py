"""The content domain's models, re-exported so that `from content.models import X` works.

Direction of imports, all at module top: posts and public import no other model module;
audit, workflow, schedule, translations, discussion, exports, opsec and addresses each import
only from posts (exports also from content.exporters, which imports no model, and the levels of
interactions), and none of them imports another. interactions and alerts (plausible amounts)
import no other model module. The two `PostQuerySet` methods that need a workflow model
(`with_revisions`, `awaiting_review_by`) look it up in Django's app registry when called, as a
string foreign key does, instead of importing it.
"""

from __future__ import annotations

from content.models.addresses import OldAddress, address_taken
from content.models.alerts import PerUnit, SubstanceBound, SubstanceUnit
from content.models.audit import AuditEvent, record_event
from content.models.discussion import Comment, CommentResolution
from content.models.exports import (
    ExportProfile,
    ExportProfileFrame,
    Repost,
    SignedStatement,
    SigningKey,
)
from content.models.interactions import (
    Interaction,
    InteractionLevel,
    InteractionProposal,
    InteractionTableVersion,
    Substance,
    SubstanceAlias,
)
from content.models.opsec import AllowedNumber, OpsecOverride, OpsecPhrase
from content.models.posts import (
    Language,
    Post,
    PostKind,
    PostQuerySet,
    PostState,
    Revision,
    Tag,
)
from content.models.public import PublicVersion, PublicWord, SearchDocument
from content.models.schedule import Schedule
from content.models.studio import StudioProfile
from content.models.translations import TranslationOverride
from content.models.workflow import Notification, Review, ReviewPolicy

__all__ = [
    "AllowedNumber",
    "AuditEvent",
    "Comment",
    "CommentResolution",
    "ExportProfile",
    "ExportProfileFrame",
    "Interaction",
    "InteractionLevel",
    "InteractionProposal",
    "InteractionTableVersion",
    "Language",
    "Notification",
    "OldAddress",
    "OpsecOverride",
    "OpsecPhrase",
    "PerUnit",
    "Post",
    "PostKind",
    "PostQuerySet",
    "PostState",
    "PublicVersion",
    "PublicWord",
    "Repost",
    "Review",
    "ReviewPolicy",
    "Revision",
    "Schedule",
    "SearchDocument",
    "SignedStatement",
    "SigningKey",
    "StudioProfile",
    "Substance",
    "SubstanceAlias",
    "SubstanceBound",
    "SubstanceUnit",
    "Tag",
    "TranslationOverride",
    "address_taken",
    "record_event",
]
