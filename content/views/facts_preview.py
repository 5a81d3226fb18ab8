"""The editor's preview of what readers will see before the text: a drug alert's facts and the
interaction warnings of what the form names, from the form's current values, before saving.

The markdownx preview renders only the body; content/static/content/facts_preview.js posts the
whole form here (with its CSRF token) when a fact or the substances change. The facts are checked
as a save checks them (content.forms.alerts, content.alert_rules): a valid form answers the
blocks as exports and the public page render them (content.alerts.facts_markdown,
content.interactions.warnings_block, through the one Markdown module); an invalid one answers
the messages a save would show, status 400. Every answer is safe HTML the script puts in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import alert_rules, alerts, interactions, markdown
from content.forms.alerts import AlertFactsFields
from content.forms.posts import TagListField
from content.models import Language, PostKind
from content.views.markdown_editor import _may_write


@dataclass(frozen=True)
class _Typed:
    """What facts_markdown() reads off a revision: the facts, as the form has them."""

    facts: dict[str, Any] = field(default_factory=dict)


def _language(request: HttpRequest) -> str:
    """The post's language: the new post form's choice, else the one the page states."""
    chosen = request.POST.get("language", "")
    if chosen.isdigit():
        code = Language.objects.filter(pk=int(chosen)).values_list("code", flat=True).first()
        if code:
            return code
    stated = request.POST.get("preview_language", "")
    if Language.objects.filter(code=stated).exists():
        return stated
    return translation.get_language() or "en"


def _is_alert(request: HttpRequest, fieldset: AlertFactsFields) -> bool:
    """A new post says its kind; an edit page has the facts fieldset only for a drug alert."""
    if "kind" in request.POST:
        return request.POST["kind"] == PostKind.DRUG_ALERT
    return fieldset.sent


def _form_messages(fieldset: AlertFactsFields) -> list[str]:
    """The messages a save would put on the facts fieldset, each naming its field or row."""
    form = fieldset.facts_form
    messages = [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]
    for number, row in enumerate(fieldset.rows, start=1):
        for errors in row.errors.values():
            prefix = _("Substance found %(number)s") % {"number": number}
            messages += [f"{prefix}: {error}" for error in errors]
    messages += [str(error) for error in fieldset.rows.non_form_errors()]
    return messages + fieldset.missing_rows


def _substances(request: HttpRequest) -> tuple[list[str], list[str]]:
    """The substance tags as typed (names, messages)."""
    try:
        return TagListField(required=False).clean(request.POST.get("substances", "")), []
    except ValidationError as error:
        return [], [f"{_('Substances')}: {message}" for message in error.messages]


@login_required
@require_POST
def facts_preview(request: HttpRequest) -> HttpResponse:
    if not _may_write(request):
        return HttpResponse(status=403)
    fieldset = AlertFactsFields(request.POST, facts={})
    is_alert = _is_alert(request, fieldset)
    names, messages = _substances(request)
    facts: dict[str, Any] = {}
    if is_alert and fieldset.sent:
        if fieldset.is_valid():
            facts = fieldset.facts()
            messages += [e.message for e in alert_rules.check_facts(facts, required=True)]
        else:
            messages += _form_messages(fieldset)
    if messages:
        html = render_to_string("content/author/_facts_preview.html", {"messages": messages})
        return HttpResponse(html, status=400)
    language = _language(request)
    typed = _Typed(facts)
    found = alerts.facts_of(typed)
    alert_names = [s.name for s in found.substances if s.name.strip()] if found else []
    named = interactions.named_in(names + alert_names, found.sold_as if found else "")
    blocks = [
        alerts.facts_markdown(typed, language),
        interactions.warnings_block(interactions.interactions_between(named), language),
    ]
    shown = "\n".join(block for block in blocks if block)
    rendered = markdown.render_html(shown) if shown else ""
    html = render_to_string("content/author/_facts_preview.html", {"rendered": rendered})
    return HttpResponse(html)
