"""Admin for editors. Content changes only through the studio (revisions are immutable and the
audit log is append-only), so posts, revisions and events are read-only here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from content import interactions, team
from content.exporters.registry import grouped_dialect_choices
from content.models import (
    AllowedNumber,
    AuditEvent,
    ExportProfile,
    ExportProfileFrame,
    Language,
    Notification,
    OpsecOverride,
    OpsecPhrase,
    Post,
    PublicVersion,
    Repost,
    Review,
    ReviewPolicy,
    Revision,
    SignedStatement,
    SigningKey,
    Substance,
    SubstanceAlias,
    SubstanceBound,
    Tag,
    record_event,
)


class ReadOnlyAdmin[M: models.Model](admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


class ShownOnPublicPages[M: models.Model](admin.ModelAdmin[M]):
    """What the public pages show (names of languages and tags, the signed copies a post page
    offers per export profile): changing it makes every cached public page stale."""

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            PublicVersion.bump()

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            PublicVersion.bump()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            PublicVersion.bump()


@admin.register(Language)
class LanguageAdmin(ShownOnPublicPages[Language]):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Tag)
class TagAdmin(ShownOnPublicPages[Tag]):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin[Post]):
    list_display = ["slug", "language", "kind", "created_by", "created_at", "latest_revision"]
    list_filter = ["language", "kind"]
    search_fields = ["slug"]
    list_select_related = ["language", "created_by", "latest_revision"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin[Revision]):
    list_display = ["post", "number", "author", "created_at", "change_note"]
    list_select_related = ["post", "author"]
    search_fields = ["title", "post__slug"]
    exclude = ["rendered_html"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    list_display = ["created_at", "action", "actor", "post", "revision"]
    list_filter = ["action"]
    list_select_related = ["actor", "post", "revision"]
    date_hierarchy = "created_at"


# --- Exports -------------------------------------------------------------------------------------


class ExportProfileFrameInline(admin.TabularInline[ExportProfileFrame, ExportProfile]):
    """The header and footer for posts in one language; checked like the profile's own."""

    model = ExportProfileFrame
    extra = 0


@admin.register(ExportProfile)
class ExportProfileAdmin(ShownOnPublicPages[ExportProfile]):
    """Editors manage forum profiles here; the model's clean() checks dialects, templates,
    Tor link rules and signing, and each frame per language is checked the same way. Every
    change is written to the audit log."""

    inlines = [ExportProfileFrameInline]

    list_display = [
        "name", "format", "dialect", "max_length", "tor", "sign", "signing_key", "active",
    ]  # fmt: skip
    list_filter = ["format", "tor", "sign", "active"]
    list_select_related = ["signing_key"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "signing_key":
            current = SigningKey.Status.CURRENT  # retired and revoked keys never sign
            kwargs["queryset"] = SigningKey.objects.filter(active=True, status=current)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.TypedChoiceField | None:
        if db_field.name == "dialect":
            # Under their format's name (from the export registry), so the editor sees which
            # dialects go with the chosen format; clean() refuses any other pairing.
            kwargs["choices"] = grouped_dialect_choices()
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(
        self,
        request: HttpRequest,
        obj: ExportProfile,
        form: forms.ModelForm[ExportProfile],
        change: bool,
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[ExportProfile],
        formsets: list[Any],
        change: bool,
    ) -> None:
        # Audited here, once the frames per language are saved too (the admin's change view
        # runs save_model and save_related in one transaction).
        super().save_related(request, form, formsets, change)
        frames = sorted(
            {
                str(getattr(frame.instance.language, "code", ""))
                for formset in formsets
                for frame in formset.forms
                if frame.has_changed()
            }
        )
        details: dict[str, Any] = {"frames": frames} if frames else {}
        record_event(
            action=AuditEvent.Action.EXPORT_PROFILE_CHANGED,
            actor=request.user,
            profile=form.instance.slug,
            created=not change,
            fields=sorted(form.changed_data),
            **details,
        )


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin[SigningKey]):
    """Keys are imported or generated on the studio's key page, which talks to gpg."""

    list_display = ["label", "fingerprint", "expires", "active", "status", "added_by", "added_at"]
    list_select_related = ["added_by"]


@admin.register(SignedStatement)
class SignedStatementAdmin(ReadOnlyAdmin[SignedStatement]):
    """Signed by `manage.py sign_statements`; append-only, the newest of each kind is served."""

    list_display = ["kind", "created_at", "valid_until", "fingerprint"]
    list_filter = ["kind"]


@admin.register(Repost)
class RepostAdmin(ReadOnlyAdmin[Repost]):
    list_display = ["post", "revision", "profile", "where", "posted_on", "recorded_by"]
    list_filter = ["profile"]
    list_select_related = ["post", "revision", "profile", "recorded_by"]
    search_fields = ["where", "post__slug"]


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(admin.ModelAdmin[ReviewPolicy]):
    """Editors set how many approvals each kind needs and how often it is re-reviewed."""

    list_display = ["kind", "required_approvals", "review_interval_days"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin[Review]):
    """Decisions are made on the review page only (four-eyes checks live in content.workflow)."""

    list_display = ["created_at", "post", "revision", "reviewer", "decision"]
    list_filter = ["decision"]
    list_select_related = ["post", "revision", "reviewer"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    list_display = ["created_at", "recipient", "message", "read_at"]
    list_select_related = ["recipient"]


# --- Opsec checks (content/opsec.py) ------------------------------------------------------------


@admin.register(OpsecPhrase)
class OpsecPhraseAdmin(admin.ModelAdmin[OpsecPhrase]):
    """Phrases that must not leave the studio ("internal note"); case is ignored."""

    list_display = ["phrase", "note"]
    search_fields = ["phrase"]


@admin.register(SubstanceBound)
class SubstanceBoundAdmin(admin.ModelAdmin[SubstanceBound]):
    """Plausible amounts a drug alert may state per substance (content.alerts checks them)."""

    list_display = ["substance", "unit", "per", "minimum", "maximum", "severity_required"]
    search_fields = ["substance"]


@admin.register(AllowedNumber)
class AllowedNumberAdmin(admin.ModelAdmin[AllowedNumber]):
    """Public helplines and emergency numbers a post may give without an opsec finding."""

    list_display = ["label", "number"]
    search_fields = ["label", "number"]


@admin.register(OpsecOverride)
class OpsecOverrideAdmin(ReadOnlyAdmin[OpsecOverride]):
    """Overrides are recorded on the post's page (content.opsec.override_finding), audited."""

    list_display = ["created_at", "revision", "rule", "where", "actor"]
    list_filter = ["rule"]
    list_select_related = ["revision", "revision__post", "actor"]


# --- The interaction table (content.interactions) -----------------------------------------------


class SubstanceAliasInline(admin.TabularInline[SubstanceAlias, Substance]):
    model = SubstanceAlias
    extra = 1
    fields = ["name"]


@admin.register(Substance)
class SubstanceAdmin(admin.ModelAdmin[Substance]):
    """Substances of the interaction table and their other names (XTC, ecstasy and molly for
    MDMA). A pair's level and explanations change in the studio, by reviewed proposals; the
    names change here, and what posts name may then match other pairs, so public pages and
    the table's version move on."""

    inlines = [SubstanceAliasInline]
    list_display = ["name", "alias_names"]
    search_fields = ["name", "aliases__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Substance]:
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=gettext_lazy("Aliases"))
    def alias_names(self, obj: Substance) -> str:
        return ", ".join(alias.name for alias in obj.aliases.all())

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            interactions.aliases_changed()

    def has_delete_permission(self, request: HttpRequest, obj: Substance | None = None) -> bool:
        return False  # pairs and proposals refer to it: rename it, or add aliases


# --- Accounts: Django's user admin, one account per e-mail address ----------------------------


def _address_of_its_own(form: forms.ModelForm[User]) -> str:
    """The form's address, refused with a field error when another account has it (capitals
    ignored), which the database's unique index would otherwise answer with a server error."""
    email = User.objects.normalize_email((form.cleaned_data.get("email") or "").strip())
    if team.email_taken(email, other_than=form.instance.pk):
        raise forms.ValidationError(team.ERROR_EMAIL_IN_USE.format(email=email), code="taken")
    return email


class AccountChangeForm(UserChangeForm[User]):
    def clean_email(self) -> str:
        return _address_of_its_own(self)


class AccountCreationForm(AdminUserCreationForm[User]):
    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "email")

    def clean_email(self) -> str:
        return _address_of_its_own(self)


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin[User]):
    """Django's user admin, for a superuser; an address is asked for when adding an account.
    Editors manage the team in the studio (content.team)."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
