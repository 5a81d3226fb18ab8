"""The studio's forms, in one home: post editing (posts.py) and the export screens (exports.py).

Validation messages say what is wrong and how to fix it; nothing typed is lost.
"""

from __future__ import annotations

from content.forms.exports import (
    ERROR_BAD_URL,
    ERROR_FUTURE,
    EXPIRY_CHOICES,
    FINAL,
    PREVIEW,
    ExportForm,
    KeyGenerateForm,
    KeyImportForm,
    NoticePostedForm,
    PostedForm,
    RepostForm,
)
from content.forms.posts import (
    ERROR_OLD_ADDRESS,
    MAX_SOURCES,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    OLD_ADDRESS_CHOICES,
    NewPostForm,
    PostEditForm,
    RestoreForm,
    RevisionForm,
    SourceForm,
    SourceForms,
    SourceFormSet,
    TagListField,
    sources_from,
    sources_initial,
)

__all__ = [
    "ERROR_BAD_URL",
    "ERROR_FUTURE",
    "ERROR_OLD_ADDRESS",
    "EXPIRY_CHOICES",
    "FINAL",
    "MAX_SOURCES",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "OLD_ADDRESS_CHOICES",
    "PREVIEW",
    "ExportForm",
    "KeyGenerateForm",
    "KeyImportForm",
    "NewPostForm",
    "NoticePostedForm",
    "PostEditForm",
    "PostedForm",
    "RepostForm",
    "RestoreForm",
    "RevisionForm",
    "SourceForm",
    "SourceFormSet",
    "SourceForms",
    "TagListField",
    "sources_from",
    "sources_initial",
]
