"""Interaction warnings: which substances a revision names, what they do together, and the
reviewed changes of the interaction table.

A revision names substances through its substance tags and, for a drug alert, through its
facts (the substances found and what it was sold as, from content.alerts). Each name is looked
up, spelled as tags are compared, among the substances' names and aliases (MDMA, XTC, ecstasy
and molly are one substance); a name the table does not know is left out, never guessed.

The table changes only by proposals (`propose`): who, when, the pair as it was and as it
should be. A proposal takes effect when someone other than its author approves it (`approve`);
it may also be refused with a reason (`refuse`). Each step checks its own right, writes its
audit event in its transaction and, when the table changes, raises the table's version and
the public version (so cached public pages show the new warnings). Exports need nothing
more: the warning block is part of the exported document, and so of its cache key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content import alerts
from content.actors import Actor, signed_in
from content.models import (
    AuditEvent,
    Interaction,
    InteractionLevel,
    InteractionProposal,
    InteractionTableVersion,
    PublicVersion,
    Revision,
    Substance,
    SubstanceAlias,
    Tag,
    record_event,
)
from content.models.interactions import (
    DEFAULT_MIN_LEVEL,
    EXPLANATION_LANGUAGES,
    level_rank,
    name_key,
)

ERROR_MAY_NOT_PROPOSE = gettext_lazy("Only editors may propose changes of the interaction table.")
ERROR_MAY_NOT_APPROVE = gettext_lazy(
    "Only editors and reviewers may approve or refuse changes of the interaction table."
)
ERROR_OWN_PROPOSAL = gettext_lazy(
    "You proposed this change yourself; someone else must approve or refuse it."
)
ERROR_NOT_PENDING = gettext_lazy("This proposal was already decided; there is nothing to do.")
ERROR_STALE = gettext_lazy(
    "The pair has changed since this proposal was made; refuse it and propose the change again."
)
ERROR_SAME_SUBSTANCE = gettext_lazy("Choose two different substances.")
ERROR_NO_CHANGE = gettext_lazy("This is what the table already says; nothing to propose.")
ERROR_UNKNOWN_LEVEL = gettext_lazy("Unknown level “{level}”.")
ERROR_NO_EXPLANATION = gettext_lazy("Write at least the English explanation.")
ERROR_REASON_REQUIRED = gettext_lazy("Say why you refuse this change.")
EXPLANATION_MAX = 500


# --- Names -> substances ------------------------------------------------------------------------


def substance_index() -> dict[str, Substance]:
    """Every known name's key (substances' names and aliases) -> its substance. Two queries."""
    substances = {substance.pk: substance for substance in Substance.objects.all()}
    index = {substance.key: substance for substance in substances.values()}
    for key, substance_id in SubstanceAlias.objects.values_list("key", "substance_id"):
        index.setdefault(key, substances[substance_id])
    return index


def lookup(name: str, index: Mapping[str, Substance] | None = None) -> Substance | None:
    """The substance `name` stands for, or None when the table does not know the name."""
    index = substance_index() if index is None else index
    return index.get(name_key(name))


_WORD = re.compile(r"[\w][\w,\-/]*")


def lookup_in_text(text: str, index: Mapping[str, Substance]) -> list[Substance]:
    """The substances a short free text names ("Ecstasy (orange Tesla)"): the whole text, or
    else each word of it, must be a known name."""
    whole = lookup(text, index)
    if whole is not None:
        return [whole]
    found = [lookup(word.strip(",-/"), index) for word in _WORD.findall(text)]
    return [substance for substance in found if substance is not None]


def _alert_names(revision: Revision) -> tuple[list[str], str]:
    """An alert's substances found and "sold as" (content.alerts); none when not stated."""
    facts = alerts.facts_of(revision)
    if facts is None:
        return [], ""
    return [found.name for found in facts.substances if found.name.strip()], facts.sold_as


def _index_for(names: Iterable[str]) -> dict[str, Substance]:
    """Like `substance_index()`, for these names only, in one query."""
    keys = {name_key(name) for name in names}
    rows = (
        Substance.objects.filter(Q(key__in=keys) | Q(aliases__key__in=keys))
        .values_list("pk", "name", "key", "aliases__key")
        .order_by("pk")
    )
    index: dict[str, Substance] = {}
    for pk, name, key, alias_key in rows:
        substance = index.get(key) or Substance(pk=pk, name=name, key=key)
        index[key] = substance
        if alias_key:
            index.setdefault(alias_key, substance)
    return index


def named_substances(revision: Revision) -> dict[Substance, str]:
    """The known substances `revision` names -> the name it first uses for each (so a French
    post says "alcool", not "alcohol"), in the order named. No query for the table when the
    revision names fewer than two things (the tags may come prefetched)."""
    tags = sorted(revision.tags.all(), key=lambda tag: tag.name.casefold())
    alert_names, sold_as = _alert_names(revision)
    return named_in(
        [tag.name for tag in tags if tag.kind == Tag.Kind.SUBSTANCE] + alert_names, sold_as
    )


def named_in(names: list[str], sold_as: str) -> dict[Substance, str]:
    """The known substances among `names` and in `sold_as`, as `named_substances()` reads them
    off a revision (the editor's preview reads them off the form before saving)."""
    sold_as = sold_as.strip()
    if not sold_as and len({name_key(name) for name in names}) < 2:
        return {}
    words = [sold_as, *(word.strip(",-/") for word in _WORD.findall(sold_as))] if sold_as else []
    index = _index_for(names + words)
    named: dict[Substance, str] = {}
    for name in names:
        substance = lookup(name, index)
        if substance is not None:
            named.setdefault(substance, name)
    for substance in lookup_in_text(sold_as, index) if sold_as else []:
        named.setdefault(substance, substance.name)
    return named


@dataclass(frozen=True)
class Warning:
    """One interaction between two substances a revision names, as shown to people."""

    interaction: Interaction
    first_name: str
    second_name: str

    @property
    def level(self) -> str:
        return self.interaction.level

    @property
    def rank(self) -> int:
        return level_rank(self.interaction.level)

    @property
    def level_label(self) -> str:
        return str(InteractionLevel(self.interaction.level).label)

    @property
    def is_dangerous(self) -> bool:
        return self.rank >= level_rank(DEFAULT_MIN_LEVEL)

    def explanation(self, language: str) -> str:
        return self.interaction.explanation(language)

    @property
    def studio_explanation(self) -> str:
        """The explanation in the language the studio speaks to this person now."""
        return self.interaction.explanation(translation.get_language() or "en")


def interactions_between(named: Mapping[Substance, str]) -> list[Warning]:
    """The table's entries for every pair of `named`, most dangerous first. One query."""
    ids = [substance.pk for substance in named]
    if len(ids) < 2:
        return []
    names = {substance.pk: name for substance, name in named.items()}
    rows = Interaction.objects.filter(first__in=ids, second__in=ids).select_related(
        "first", "second"
    )
    # Each pair in the order the revision names them ("alcohol + MDMA" after its tags' order).
    pairs = [sorted((row.first_id, row.second_id), key=ids.index) for row in rows]
    warnings = [Warning(row, names[a], names[b]) for row, (a, b) in zip(rows, pairs, strict=True)]
    return sorted(
        warnings, key=lambda w: (-w.rank, w.first_name.casefold(), w.second_name.casefold())
    )


def interactions_for(revision: Revision | None) -> list[Warning]:
    """What the studio shows on a revision: every known interaction of what it names."""
    if revision is None:
        return []
    return interactions_between(named_substances(revision))


_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>|~^&!#()")


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown text on one line: no link, emphasis or markup can start."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in flat)


def warnings_markdown(revision: Revision, language: str, min_level: str = DEFAULT_MIN_LEVEL) -> str:
    """The warning block an export or public page puts before the text: the interactions of
    `min_level` and above between what `revision` names, in `language` ("" when none)."""
    return warnings_block(interactions_for(revision), language, min_level)


def warnings_block(
    warnings: list[Warning], language: str, min_level: str = DEFAULT_MIN_LEVEL
) -> str:
    """The block of `warnings_markdown()`, from warnings found some other way (the editor's
    preview, before the revision exists)."""
    threshold = level_rank(min_level if min_level else DEFAULT_MIN_LEVEL)
    shown = [w for w in warnings if w.rank >= max(threshold, 0)]
    if not shown:
        return ""
    with translation.override(language):
        dangerous = all(warning.is_dangerous for warning in shown)
        # A profile that shows the lower levels too does not call them all dangerous.
        heading = (
            _("Warning: dangerous combinations")
            if dangerous
            else _("Warning: combining these substances")
        )
        lines = [f"**{escape_markdown(heading)}**", ""]
        for warning in shown:
            pair = f"{warning.first_name} + {warning.second_name}"
            level = warning.level_label
            explanation = warning.explanation(language)
            line = f"- **{escape_markdown(pair)}** ({escape_markdown(level)})"
            lines.append(f"{line}: {escape_markdown(explanation)}" if explanation else line)
    return "\n".join(lines) + "\n"


# --- Changing the table: proposals ---------------------------------------------------------------


def ordered(a: Substance, b: Substance) -> tuple[Substance, Substance]:
    if a.pk == b.pk:
        raise ValidationError(str(ERROR_SAME_SUBSTANCE))
    return (a, b) if a.pk < b.pk else (b, a)


def current(first: Substance, second: Substance) -> Interaction | None:
    first, second = ordered(first, second)
    return Interaction.objects.filter(first=first, second=second).first()


def _clean_explanations(
    explanations: Mapping[str, str], *, require_english: bool = True
) -> dict[str, str]:
    cleaned = {
        code: " ".join(str(explanations.get(code, "")).split()) for code in EXPLANATION_LANGUAGES
    }
    if require_english and not cleaned["en"]:
        raise ValidationError(str(ERROR_NO_EXPLANATION))
    for text in cleaned.values():
        if len(text) > EXPLANATION_MAX:
            raise ValidationError(
                _("An explanation is at most %(max)d characters.") % {"max": EXPLANATION_MAX}
            )
    return cleaned


def _pair_details(first: Substance, second: Substance) -> dict[str, Any]:
    return {"first": first.name, "second": second.name}


@transaction.atomic
def propose(
    *,
    actor: Actor,
    first: Substance,
    second: Substance,
    level: str,
    explanations: Mapping[str, str],
    note: str = "",
    require_english: bool = True,
) -> InteractionProposal:
    """Record a proposed change of one pair; it takes effect when someone else approves it.
    An import may propose a pair without explanation (its chart had no note)."""
    if not actor.has_perm("content.propose_interaction"):
        raise PermissionDenied(ERROR_MAY_NOT_PROPOSE)
    first, second = ordered(first, second)
    if level not in InteractionLevel.values:
        raise ValidationError(str(ERROR_UNKNOWN_LEVEL).format(level=level))
    new = _clean_explanations(explanations, require_english=require_english)
    existing = current(first, second)
    old_level = existing.level if existing else ""
    old = existing.explanations() if existing else {}
    if existing is not None and old_level == level and old == new:
        raise ValidationError(str(ERROR_NO_CHANGE))
    proposal = InteractionProposal.objects.create(
        first=first,
        second=second,
        old_level=old_level,
        old_explanations=old,
        new_level=level,
        new_explanations=new,
        note=note.strip()[:300],
        proposed_by=signed_in(actor),
    )
    record_event(
        action=AuditEvent.Action.INTERACTION_PROPOSED,
        actor=actor,
        proposal=proposal.pk,
        **_pair_details(first, second),
        old_level=old_level,
        new_level=level,
        old_explanations=old,
        new_explanations=new,
        note=proposal.note,
    )
    return proposal


def _locked_pending(proposal: InteractionProposal, actor: Actor) -> InteractionProposal:
    if not actor.has_perm("content.approve_interaction"):
        raise PermissionDenied(ERROR_MAY_NOT_APPROVE)
    locked = InteractionProposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_pending:
        raise ValidationError(str(ERROR_NOT_PENDING))
    if locked.proposed_by_id == signed_in(actor).pk:
        raise PermissionDenied(ERROR_OWN_PROPOSAL)
    return locked


@transaction.atomic
def approve(*, proposal: InteractionProposal, actor: Actor) -> Interaction:
    """Let `proposal` take effect. Refused for its own author, for a decided proposal, and
    when the pair changed since it was proposed (the proposer judged another table)."""
    proposal = _locked_pending(proposal, actor)
    first, second = proposal.first, proposal.second
    existing = Interaction.objects.select_for_update().filter(first=first, second=second).first()
    as_seen = (existing.level, existing.explanations()) if existing else ("", {})
    if as_seen != (proposal.old_level, proposal.old_explanations):
        raise ValidationError(str(ERROR_STALE))
    interaction = existing or Interaction(first=first, second=second)
    interaction.level = proposal.new_level
    for code in EXPLANATION_LANGUAGES:
        setattr(interaction, f"explanation_{code}", proposal.new_explanations.get(code, ""))
    interaction.changed_at = timezone.now()
    interaction.save()
    _decide(proposal, actor, InteractionProposal.Status.APPROVED)
    InteractionTableVersion.bump()
    PublicVersion.bump()
    record_event(
        action=AuditEvent.Action.INTERACTION_APPROVED,
        actor=actor,
        proposal=proposal.pk,
        **_pair_details(first, second),
        old_level=proposal.old_level,
        new_level=proposal.new_level,
        proposed_by=proposal.proposed_by_id,
        table_version=InteractionTableVersion.current(),
    )
    return interaction


@transaction.atomic
def refuse(*, proposal: InteractionProposal, actor: Actor, reason: str) -> None:
    """Close `proposal` without changing the table; the reason is kept and audited."""
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise ValidationError(str(ERROR_REASON_REQUIRED))
    proposal = _locked_pending(proposal, actor)
    proposal.reason = reason
    _decide(proposal, actor, InteractionProposal.Status.REFUSED)
    record_event(
        action=AuditEvent.Action.INTERACTION_REFUSED,
        actor=actor,
        proposal=proposal.pk,
        **_pair_details(proposal.first, proposal.second),
        new_level=proposal.new_level,
        reason=reason,
    )


def _decide(proposal: InteractionProposal, actor: Actor, status: str) -> None:
    proposal.status = status
    proposal.decided_by = signed_in(actor)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def pending_for(first: Substance, second: Substance) -> Sequence[InteractionProposal]:
    first, second = ordered(first, second)
    return list(
        InteractionProposal.objects.filter(
            first=first, second=second, status=InteractionProposal.Status.PENDING
        )
    )


def aliases_changed() -> None:
    """An alias or substance name was edited: what posts name may now match other pairs."""
    InteractionTableVersion.bump()
    PublicVersion.bump()


def search(query: str) -> Q:
    """Pairs one of whose substances (by name or alias) matches `query`."""
    key = name_key(query)
    ids: Iterable[int] = list(
        Substance.objects.filter(Q(key__contains=key) | Q(aliases__key__contains=key))
        .values_list("pk", flat=True)
        .distinct()
    )
    return Q(first__in=ids) | Q(second__in=ids)
