"""Admin for editors. Content changes only through the studio (revisions are immutable and the
audit log is append-only), so posts, revisions and events are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from content.models import (
    AuditEvent,
    Language,
    Notification,
    Post,
    Review,
    ReviewPolicy,
    Revision,
    Tag,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["slug", "language", "kind", "created_by", "created_at", "latest_revision"]
    list_filter = ["language", "kind"]
    search_fields = ["slug"]
    list_select_related = ["language", "created_by", "latest_revision"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["post", "number", "author", "created_at", "change_note"]
    list_select_related = ["post", "author"]
    search_fields = ["title", "post__slug"]
    exclude = ["rendered_html"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "post", "revision"]
    list_filter = ["action"]
    list_select_related = ["actor", "post", "revision"]
    date_hierarchy = "created_at"


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin):
    """Editors set how many approvals each kind needs and how often it is re-reviewed."""

    list_display = ["kind", "required_approvals", "review_interval_days"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Decisions are made on the review page only (four-eyes checks live in content.workflow)."""

    list_display = ["created_at", "post", "revision", "reviewer", "decision"]
    list_filter = ["decision"]
    list_select_related = ["post", "revision", "reviewer"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "message", "read_at"]
    list_select_related = ["recipient"]
