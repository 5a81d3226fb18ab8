"""One Wagtail page type whose body is rich text: the benchmark stores our rendered HTML in it."""

from __future__ import annotations

from wagtail.fields import RichTextField
from wagtail.models import Page


class BenchPage(Page):
    body = RichTextField(blank=True)
