"""`{% interaction_pairs revision %}`: the interactions between the substances a revision names,
for the studio's post, edit, review and export pages (content.interactions)."""

from __future__ import annotations

from typing import Any

from django import template

from content import interactions
from content.models import Revision

register = template.Library()


@register.inclusion_tag("content/interactions/_pairs.html", takes_context=True)
def interaction_pairs(context: template.Context, revision: Revision | None) -> dict[str, Any]:
    return {
        "interaction_warnings": interactions.interactions_for(revision),
        "perms": context.get("perms"),
    }
