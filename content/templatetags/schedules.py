"""`{% schedule_panel post user as panel %}`: the post page's schedules (content.actions), so
the page that shows the workflow's buttons shows the schedule forms by the same rules."""

from __future__ import annotations

from django import template

from content.actions import SchedulePanel
from content.actions import schedule_panel as _schedule_panel
from content.actors import Actor
from content.models import Post

register = template.Library()


@register.simple_tag
def schedule_panel(post: Post, user: Actor) -> SchedulePanel:
    return _schedule_panel(post, user)
