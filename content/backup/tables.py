"""Which tables a backup holds, in which order, and how one row becomes one line of JSON.

Every model of the `content` app must be named in `CONTENT_MODELS`, as a RECORD (the
instance's own history and data: a restore needs the table empty), SEEDED (configuration
that migrations create, such as the languages and the export profiles: a restore replaces the
target's rows with the archive's) or DERIVED (computed from the other tables and database-
specific, such as the full-text search vectors: not in the archive; a restore computes them).
`tables()` raises on a model named nowhere, so a new model cannot be left out of backups
unnoticed (tests/test_backup.py calls it).

Many-to-many links are kept as pairs, without the link row's own id, which nothing refers to.
Permissions are kept by natural key (app label, model, codename): their ids are given by each
database's `migrate` and differ between instances, while the codes are the same code's.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models

RECORD = "record"
SEEDED = "seeded"
DERIVED = "derived"

# Each model of the content app (by model name), and what a restore does with its table.
CONTENT_MODELS: dict[str, str] = {
    "language": SEEDED,
    "tag": RECORD,
    "post": RECORD,
    "revision": RECORD,
    "review": RECORD,
    "reviewpolicy": SEEDED,
    "notification": RECORD,
    "auditchainhead": SEEDED,
    "auditevent": RECORD,
    "signingkey": RECORD,
    "exportprofile": SEEDED,
    "exportprofileframe": SEEDED,  # a profile's header and footer per language (migration 0024)
    "repost": RECORD,
    "signedstatement": RECORD,
    "opsecphrase": SEEDED,
    "allowednumber": SEEDED,
    "substancebound": SEEDED,  # plausible amounts in drug alerts (migration 0025)
    "opsecoverride": RECORD,
    "oldaddress": RECORD,
    "schedule": RECORD,
    "studioprofile": RECORD,  # each person's studio language
    "translationoverride": RECORD,
    "comment": RECORD,
    "commentresolution": RECORD,
    "publicversion": SEEDED,
    # The interaction table (migration 0027): its substances, aliases, pairs and version are
    # configuration editors change; the proposals are the record of who changed what.
    "substance": SEEDED,
    "substancealias": SEEDED,
    "interaction": SEEDED,
    "interactiontableversion": SEEDED,
    "interactionproposal": RECORD,
    "publicword": RECORD,  # derived from published revisions, kept rather than recomputed
    "searchdocument": DERIVED,  # PostgreSQL's tsvectors: content.search.rebuild() after a restore
}

ERROR_UNCOVERED = (
    "content.{model} is not covered by backups: name it in content.backup.tables.CONTENT_MODELS "
    "(RECORD or SEEDED) and check that a backup restores it."
)


@dataclass(frozen=True)
class Table:
    """One member of the archive: a model's rows, or a many-to-many relation's pairs."""

    name: str  # "content.post", "auth.user_groups"
    model: type[models.Model]  # for links: the through model
    fields: tuple[models.Field[Any, Any], ...]  # the columns written, by attname
    kind: str  # RECORD or SEEDED
    link: bool = False  # pairs of a many-to-many relation, without the link row's id
    permission_field: str = ""  # the through field naming a Permission, kept by natural key

    @property
    def member(self) -> str:
        return f"tables/{self.name}.jsonl"


def _content_models() -> list[type[models.Model]]:
    found = list(apps.get_app_config("content").get_models())
    for model in found:
        if model._meta.model_name not in CONTENT_MODELS:
            raise ImproperlyConfigured(ERROR_UNCOVERED.format(model=model._meta.model_name))
    return [model for model in found if CONTENT_MODELS[str(model._meta.model_name)] != DERIVED]


def _dependency_order(found: list[type[models.Model]]) -> list[type[models.Model]]:
    """Referenced tables before those referring to them, where there is no cycle (Post and
    Revision point at each other): the database checks foreign keys at commit anyway, so the
    order only makes the archive read naturally. Deterministic: ties go by label."""
    ordered: list[type[models.Model]] = []
    visiting: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in ordered or model in visiting:
            return
        visiting.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model
            if isinstance(target, type) and target in found and target is not model:
                visit(target)
        visiting.discard(model)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.label_lower):
        visit(model)
    return ordered


def _row_table(model: type[models.Model], kind: str) -> Table:
    return Table(model._meta.label_lower, model, tuple(model._meta.concrete_fields), kind)


def _link_table(
    owner: type[models.Model], field_name: str, kind: str, *, permission: bool = False
) -> Table:
    relation = owner._meta.get_field(field_name)
    assert isinstance(relation, models.ManyToManyField)
    through = relation.remote_field.through
    assert isinstance(through, type)
    fields = tuple(f for f in through._meta.concrete_fields if not f.primary_key)
    name = f"{owner._meta.label_lower}_{field_name}"
    permission_field = relation.m2m_reverse_field_name() if permission else ""
    return Table(name, through, fields, kind, link=True, permission_field=permission_field)


def tables() -> list[Table]:
    """Every table a backup holds, in the order they are written and restored."""
    user = apps.get_model("auth", "User")
    found = _dependency_order([user, Group, *_content_models()])
    result: list[Table] = []
    for model in found:
        if model is user:
            result.append(_row_table(user, RECORD))
            result.append(_link_table(user, "groups", RECORD))
            result.append(_link_table(user, "user_permissions", RECORD, permission=True))
        elif model is Group:
            # The roles' groups are made by `migrate` (content.roles); the archive's replace them.
            result.append(_row_table(Group, SEEDED))
            result.append(_link_table(Group, "permissions", SEEDED, permission=True))
        else:
            result.append(_row_table(model, CONTENT_MODELS[str(model._meta.model_name)]))
            for relation in model._meta.local_many_to_many:
                result.append(_link_table(model, relation.name, RECORD))
    return result


# --- one row as JSON, and back -------------------------------------------------------------


def dump_value(field: models.Field[Any, Any], value: Any) -> Any:
    """A column's value as JSON: times in UTC to the microsecond, JSON fields as JSON."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError(f"{field} holds a naive time; backups need USE_TZ")
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def load_value(field: models.Field[Any, Any], value: Any) -> Any:
    """The inverse of `dump_value`, ready for `get_db_prep_save()`."""
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def permission_keys() -> dict[int, tuple[str, str, str]]:
    rows = Permission.objects.values_list(
        "pk", "content_type__app_label", "content_type__model", "codename"
    )
    return {pk: (app, model, codename) for pk, app, model, codename in rows}


def dump_rows(table: Table, using: str) -> Iterator[dict[str, Any]]:
    """The table's rows as JSON objects, in a fixed order: by primary key, links by pair."""
    names = [f.attname for f in table.fields]
    rows = table.model._base_manager.using(using).values_list(*names)
    if not table.link:
        for values in rows.order_by("pk").iterator(chunk_size=2000):
            yield {n: dump_value(f, v) for n, f, v in zip(names, table.fields, values, strict=True)}
        return
    pairs = [dict(zip(names, values, strict=True)) for values in rows]
    if table.permission_field:
        key = f"{table.permission_field}_id"
        by_id = permission_keys()
        for pair in pairs:
            pair[key] = list(by_id[pair[key]])
    yield from sorted(pairs, key=lambda pair: [str(pair[n]).zfill(20) for n in names])
