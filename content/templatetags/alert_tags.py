"""`{% alert_facts revision post %}`: a drug alert's facts as the public page and every export
show them before the text (content.alerts.facts_markdown, in the post's language), for the
studio's post and review pages, so the reviewer judges the block readers will see."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from content import alerts, markdown
from content.models import Post, Revision

register = template.Library()


@register.simple_tag
def alert_facts(revision: Revision | None, post: Post) -> SafeString:
    block = alerts.facts_markdown(revision, post.language.code)
    if not block:
        return mark_safe("")
    # Sanitized by the one Markdown module, as the body is; the authors' values are escaped.
    html = markdown.render_html(block)
    return mark_safe(f'<div class="rendered before-text" lang="{post.language.code}">{html}</div>')  # noqa: S308
