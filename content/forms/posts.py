"""Post forms: creating and editing a post, its sources and its address. Nothing typed is lost."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markdownx.widgets import MarkdownxWidget

from content import addresses, markdown, translations
from content.actors import Person
from content.forms.utf8 import ValidUtf8Form
from content.merge import ERROR_CONFLICT_MARKERS, has_conflict_markers
from content.models import Language, OldAddress, Post, PostKind, address_taken
from content.revision_schema import FORM_FIELD_NAMES, SourceRef
from content.revisions import ERROR_SLUG_TAKEN, RevisionContent, Source, public_note_blocker

MAX_TAGS = 20
MAX_TAG_LENGTH = 60
MAX_SOURCES = 50


class TagListField(forms.CharField):
    """Comma-separated tag names, e.g. "MDMA, ketamine"."""

    # The field's value is a list of names, not the text CharField's signature promises.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [" ".join(part.split()) for part in text.split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > MAX_TAGS:
            raise forms.ValidationError(
                _("At most %(max)s tags; you gave %(count)s.")
                % {"max": MAX_TAGS, "count": len(value)}
            )
        too_long = [name for name in value if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("Tags are at most %(max)s characters: %(tag)s is longer.")
                % {"max": MAX_TAG_LENGTH, "tag": repr(too_long[0][:80])}
            )


class RevisionForm(ValidUtf8Form):
    """The content of a revision plus the revision the author started from.

    Like every form with text for a post, it refuses U+FFFD, what invalid UTF-8 decodes to.
    """

    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    summary = forms.CharField(
        max_length=1000,
        required=False,
        label=gettext_lazy("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One or two sentences shown in lists, feeds and at the top of exports."
        ),
    )
    body = forms.CharField(
        widget=MarkdownxWidget(attrs={"rows": 22}),
        strip=False,
        label=gettext_lazy("Body"),
        help_text=gettext_lazy(
            "Markdown: headings, lists, tables, links, **bold**, ~~strikethrough~~."
        ),
    )
    substances = TagListField(
        required=False,
        label=gettext_lazy("Substances"),
        help_text=gettext_lazy("Comma-separated, e.g. MDMA, ketamine."),
    )
    topics = TagListField(
        required=False,
        label=gettext_lazy("Topics"),
        help_text=gettext_lazy("Comma-separated, e.g. mixing, dosage."),
    )
    change_note = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("Change note"),
        help_text=gettext_lazy("What you changed and why (internal: never exported)."),
    )
    public_change_note = forms.CharField(
        max_length=500,
        required=False,
        label=gettext_lazy("What changed, for readers"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        help_text=gettext_lazy(
            "Public: a replacement posted where an older version was reposted opens with it. "
            "Required when you change a dose, a substance or (drug alerts) the title or summary "
            "of the published text."
        ),
    )
    safety_relevant = forms.BooleanField(
        required=False,
        label=gettext_lazy("This change matters for safety"),
        help_text=gettext_lazy(
            "E.g. a new dose, a new adulterant. Translations of this post that are behind it "
            "then warn their readers and are not exported as final until they are updated."
        ),
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_summary(self) -> str:
        summary: str = self.cleaned_data["summary"]
        if has_conflict_markers(summary):  # left from a merge (content.merge): never published
            raise forms.ValidationError(ERROR_CONFLICT_MARKERS)
        return summary

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("The body is empty."))
        if has_conflict_markers(body):  # left from a merge (content.merge): never published
            raise forms.ValidationError(ERROR_CONFLICT_MARKERS)
        try:
            markdown.parse(body)
        except markdown.MarkdownRefused as error:
            raise forms.ValidationError(str(error)) from error
        return body

    def content(self, sources: list[Source]) -> RevisionContent:
        # The content fields this form has (RevisionContent declares which): a field a subclass
        # removed, like a new post's public change note, keeps its default.
        data = self.cleaned_data
        typed = {name: data[name] for name in FORM_FIELD_NAMES if name in data}
        return RevisionContent(**typed, sources=tuple(sources))


class NewPostForm(RevisionForm):
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(), empty_label=None, label=gettext_lazy("Language")
    )
    kind = forms.ChoiceField(choices=PostKind.choices, label=gettext_lazy("Kind"))
    slug = forms.SlugField(
        max_length=100,
        required=False,
        label=gettext_lazy("Slug"),
        help_text=gettext_lazy(
            "The address of the post. Leave empty to make one from the title."
        ),
    )
    # A new post has no readers yet: nothing changed for them. (None removes an inherited
    # field in Django; the stubs only know the field's type.)
    public_change_note = None  # type: ignore[assignment]
    safety_relevant = None  # type: ignore[assignment]
    field_order = ["language", "kind", "title", "slug"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        slug, language = data.get("slug"), data.get("language")
        if slug and language and address_taken(language=language, slug=slug):
            self.add_error("slug", ERROR_SLUG_TAKEN)
        return data


OLD_ADDRESS_CHOICES = [
    ("redirect", gettext_lazy("Redirect the old address to the new one (301)")),
    (
        "gone",
        gettext_lazy("The old address answers 410 Gone and names nothing (it exposed someone)"),
    ),
]
ERROR_OLD_ADDRESS = gettext_lazy(
    "The post was published at the old address: choose what that address does."
)


class PostEditForm(RevisionForm):
    """Editing a post: its content, and its address while the editor may change it.

    Before the first publication the slug is editable by whoever edits the post; afterwards only
    by an editor, who must choose what the old address does (content.addresses.change_slug).
    """

    slug = forms.SlugField(
        max_length=addresses.MAX_SLUG_LENGTH,
        required=False,
        label=gettext_lazy("Address"),
        help_text=gettext_lazy(
            "The last part of the public address, e.g. ketamine-and-your-bladder. "
            "Left empty, it stays as it is."
        ),
    )
    old_address = forms.ChoiceField(
        choices=OLD_ADDRESS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        label=gettext_lazy("If you change the address"),
        help_text=gettext_lazy(
            "Readers and forums know the published address: say what it does from now on."
        ),
    )
    update_source = forms.BooleanField(
        required=False,
        label=gettext_lazy("Update to the newest source"),
        help_text=gettext_lazy(
            "This translation then follows the source's newest published revision: edit the "
            "text to match it before you save."
        ),
    )
    field_order = ["title", "slug", "old_address"]

    def __init__(self, *args: Any, post: Post, user: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        latest = post.latest_revision
        if latest is None or latest.translates_id is None:
            del self.fields["update_source"]  # not a translation
        self.published = addresses.was_published(post)
        self.fields["slug"].initial = post.slug
        if not addresses.may_change_slug(post, user):
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = addresses.ERROR_PUBLISHED
        if not self.published or self.fields["slug"].disabled:
            del self.fields["old_address"]

    def content(self, sources: list[Source]) -> RevisionContent:
        # No form asks for a kind's facts yet: an edit keeps those the post states. (An edit based
        # on an older revision is refused as a conflict, so the latest is the one edited.)
        latest = self.post.latest_revision
        facts = latest.facts if latest else {}
        content = dataclasses.replace(super().content(sources), facts=facts)
        if latest is None:
            return content
        # A translation keeps the source revision it translates, unless the author brings it
        # up to the source's newest (content.translations).
        translates = RevisionContent.of(latest).translates
        if translates is not None and self.cleaned_data.get("update_source"):
            translates = SourceRef.of(translations.newest_source_revision(self.source_post()))
        content = dataclasses.replace(content, translates=translates)
        if latest.safety_relevant and not content.safety_relevant:
            # The flag starts unmarked on each edit: unmarking it alone is no change.
            marked = dataclasses.replace(content, safety_relevant=True)
            if marked.content_hash == latest.content_hash:
                return marked
        return content

    def source_post(self) -> Post:
        """The post the latest revision translates (call only for a translation)."""
        latest = self.post.expect_latest_revision()
        source = latest.translates
        assert source is not None  # the form asks only a translation
        return Post.objects.select_related("published_revision", "latest_revision").get(
            pk=source.post_id
        )

    @property
    def slug_changed(self) -> bool:
        slug: object = self.cleaned_data.get("slug", self.post.slug)
        return slug != self.post.slug

    @property
    def keep_old_address(self) -> bool:
        return self.cleaned_data.get("old_address") != OldAddress.Kind.GONE

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"] or self.post.slug
        if slug != slug.lower():
            raise forms.ValidationError(addresses.ERROR_SLUG_FORMAT)
        taken = address_taken(language=self.post.language, slug=slug, post=self.post)
        if slug != self.post.slug and taken:
            raise forms.ValidationError(ERROR_SLUG_TAKEN)
        return slug

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        moved = data.get("slug") not in (None, self.post.slug)
        if self.published and moved and not data.get("old_address"):
            self.add_error("old_address", ERROR_OLD_ADDRESS)
        if "public_change_note" not in self.errors and data.keys() >= FORM_FIELD_NAMES:
            blocker = public_note_blocker(self.post, self.content([]))
            if blocker:
                self.add_error("public_change_note", blocker)
        return data


class SourceForm(ValidUtf8Form):
    title = forms.CharField(max_length=300, required=False, label=gettext_lazy("Title"))
    url = forms.URLField(
        max_length=1000, required=False, assume_scheme="https", label=gettext_lazy("URL")
    )
    consulted = forms.DateField(
        required=False,
        label=gettext_lazy("Consulted on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # A title refused for its characters has already been given a message.
        untitled = not data.get("title") and "title" not in self.errors
        if (data.get("url") or data.get("consulted")) and untitled:
            self.add_error(
                "title", _("Give this source a title (e.g. the publisher and document).")
            )
        consulted = data.get("consulted")
        if consulted and consulted > timezone.localdate() + datetime.timedelta(days=1):
            self.add_error(
                "consulted", _("The date a source was consulted cannot be in the future.")
            )
        return data

    def source(self) -> Source | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        consulted = data.get("consulted")
        return Source(
            title=data["title"],
            url=data.get("url") or "",
            consulted=consulted.isoformat() if consulted else "",
        )


SourceFormSet = forms.formset_factory(
    SourceForm, extra=2, max_num=MAX_SOURCES, validate_max=True, absolute_max=MAX_SOURCES
)


# What SourceFormSet builds, for annotations (a formset_factory() class is not a type).
type SourceForms = forms.BaseFormSet[SourceForm]


def sources_from(formset: SourceForms) -> list[Source]:
    return [s for s in (form.source() for form in formset.forms if form.cleaned_data) if s]


def sources_initial(sources: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "title": s.get("title", ""),
            "url": s.get("url", ""),
            "consulted": s.get("consulted") or None,
        }
        for s in sources
    ]


class RestoreForm(forms.Form):
    base_revision = forms.IntegerField(widget=forms.HiddenInput)
