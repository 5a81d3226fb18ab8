"""Author forms. Validation messages say what is wrong and how to fix it; nothing typed is lost."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from markdownx.widgets import MarkdownxWidget

from content import markdown
from content.models import Language, Post, PostKind
from content.revisions import ERROR_SLUG_TAKEN, RevisionContent, Source

MAX_TAGS = 20
MAX_TAG_LENGTH = 60
MAX_SOURCES = 50


class TagListField(forms.CharField):
    """Comma-separated tag names, e.g. "MDMA, ketamine"."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [" ".join(part.split()) for part in text.split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > MAX_TAGS:
            raise forms.ValidationError(f"At most {MAX_TAGS} tags; you gave {len(value)}.")
        too_long = [name for name in value if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Tags are at most {MAX_TAG_LENGTH} characters: {too_long[0][:80]!r} is longer."
            )


class RevisionForm(forms.Form):
    """The content of a revision plus the revision the author started from."""

    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences shown in lists, feeds and at the top of exports.",
    )
    body = forms.CharField(
        widget=MarkdownxWidget(attrs={"rows": 22}),
        strip=False,
        help_text="Markdown: headings, lists, tables, links, **bold**, ~~strikethrough~~.",
    )
    substances = TagListField(required=False, help_text="Comma-separated, e.g. MDMA, ketamine.")
    topics = TagListField(required=False, help_text="Comma-separated, e.g. mixing, dosage.")
    change_note = forms.CharField(
        max_length=300,
        required=False,
        help_text="What you changed and why (internal: never exported).",
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("The body is empty.")
        try:
            markdown.parse(body)
        except markdown.MarkdownRefused as error:
            raise forms.ValidationError(str(error)) from error
        return body

    def content(self, sources: list[Source]) -> RevisionContent:
        data = self.cleaned_data
        return RevisionContent(
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            sources=tuple(sources),
            substances=tuple(data["substances"]),
            topics=tuple(data["topics"]),
        )


class NewPostForm(RevisionForm):
    language = forms.ModelChoiceField(queryset=Language.objects.all(), empty_label=None)
    kind = forms.ChoiceField(choices=PostKind.choices)
    slug = forms.SlugField(
        max_length=100,
        required=False,
        help_text="The address of the post. Leave empty to make one from the title.",
    )
    field_order = ["language", "kind", "title", "slug"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        slug, language = data.get("slug"), data.get("language")
        if slug and language and Post.objects.filter(language=language, slug=slug).exists():
            self.add_error("slug", ERROR_SLUG_TAKEN)
        return data


class SourceForm(forms.Form):
    title = forms.CharField(max_length=300, required=False)
    url = forms.URLField(max_length=1000, required=False, assume_scheme="https", label="URL")
    consulted = forms.DateField(
        required=False,
        label="Consulted on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("url") or data.get("consulted")) and not data.get("title"):
            self.add_error("title", "Give this source a title (e.g. the publisher and document).")
        consulted = data.get("consulted")
        if consulted and consulted > timezone.localdate() + datetime.timedelta(days=1):
            self.add_error("consulted", "The date a source was consulted cannot be in the future.")
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


def sources_from(formset: forms.BaseFormSet) -> list[Source]:
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
