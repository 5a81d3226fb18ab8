"""The audit log is a hash chain: SQL typed by hand is caught by `verify_audit` (SQLite) or
refused by a trigger (PostgreSQL). Runs on whichever database the suite uses."""

from __future__ import annotations

import datetime
import io
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from content import actors, workflow
from content.audit_chain import verify_chain
from content.models import AuditEvent, Post, PostKind, record_event
from content.models.audit import GENESIS, AuditChainHead, event_hash
from content.revisions import create_post, save_revision
from tests.support import content_of, publish_latest
from tests.threads import run_together

POSTGRES = "postgresql"
REFUSED = r"append-only|never deleted|only moves forward"
JOB = actors.command("test_audit_chain")


def verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def chain() -> list[dict[str, Any]]:
    fields = ("id", "sequence", "action", "details", "previous_hash", "hash")
    return list(AuditEvent.objects.order_by("sequence").values(*fields))


Statements = list[tuple[str, list[Any]]]


def execute(statements: Statements) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def forged_hash(event_id: int, details: dict[str, Any]) -> str:
    """The hash an event would have with other details: what a forger who knows the format
    writes to make an edit look consistent."""
    event = AuditEvent.objects.get(pk=event_id)
    event.details = details
    return event.computed_hash()


# --- Written through the services -----------------------------------------------------------


def test_events_written_by_the_services_form_an_intact_chain(published) -> None:
    events = chain()
    assert len(events) >= 5  # created, saved, submitted, approved, published
    assert [e["sequence"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["previous_hash"] == GENESIS
    for before, after in itertools.pairwise(events):
        assert after["previous_hash"] == before["hash"]
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (len(events), events[-1]["hash"])
    assert verify_audit().strip() == (
        f"Audit log intact: {len(events)} events, last {events[-1]['hash'][:12]}"
    )


def test_the_hash_covers_each_field_and_the_time_to_the_microsecond(published) -> None:
    event = AuditEvent.objects.order_by("sequence").last()
    assert event is not None
    assert event.computed_hash() == event.hash
    for field, value in [
        ("action", "archived"),
        ("actor_id", None),
        ("details", {**event.details, "extra": 1}),
        ("previous_hash", GENESIS),
        ("sequence", event.sequence + 1),
        ("created_at", event.created_at.replace(microsecond=event.created_at.microsecond ^ 1)),
    ]:
        changed = AuditEvent.objects.get(pk=event.pk)
        setattr(changed, field, value)
        assert changed.computed_hash() != event.hash, field


def test_details_hash_as_either_database_reads_them_back(db) -> None:
    details = {"b": [1.0, {"z": None}], "a": True, "big": 1e16, "small": 1.5e-7, "s": "é ☃"}
    event = record_event(action=AuditEvent.Action.OVERDUE_NOTIFIED, actor=JOB, **details)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.computed_hash() == event.hash
    assert verify_chain().intact


# --- SQL typed by hand: detected on SQLite, refused on PostgreSQL ---------------------------


Events = list[dict[str, Any]]
SET_DETAILS = "UPDATE content_auditevent SET details = %s WHERE id = %s"
DELETE_EVENT = "DELETE FROM content_auditevent WHERE id = %s"
SET_ID = "UPDATE content_auditevent SET id = %s WHERE id = %s"
FORGED = json.dumps({"approvals": 99})


@dataclass(frozen=True)
class Tampering:
    """Raw SQL against the log, and what verify_audit says on SQLite afterwards."""

    sql: Callable[[Events], Statements]
    found: Callable[[Events], str]


def _rewrite(events: Events) -> Statements:
    forged = {**events[2]["details"], "content_hash": "f" * 64}
    digest = forged_hash(events[2]["id"], forged)
    sql = "UPDATE content_auditevent SET details = %s, hash = %s WHERE id = %s"
    return [(sql, [json.dumps(forged), digest, events[2]["id"]])]


def _swap_ids(events: Events) -> Statements:
    a, b = events[2]["id"], events[3]["id"]
    return [(SET_ID, [-1, a]), (SET_ID, [a, b]), (SET_ID, [b, -1])]


def _swap_actions(events: Events) -> Statements:
    sql = (
        "UPDATE content_auditevent SET action = CASE sequence WHEN 3 THEN %s ELSE %s END "
        "WHERE sequence IN (3, 4)"
    )
    return [(sql, [events[3]["action"], events[2]["action"]])]


TAMPERING = {
    "details edited": Tampering(
        lambda e: [(SET_DETAILS, [FORGED, e[2]["id"]])],
        lambda e: f"broken at event 3 (id {e[2]['id']}): changed",
    ),
    "middle event deleted": Tampering(
        lambda e: [(DELETE_EVENT, [e[2]["id"]])],
        lambda e: "broken at event 3: missing: event 3 deleted",
    ),
    "last event deleted": Tampering(
        lambda e: [(DELETE_EVENT, [e[-1]["id"]])],
        lambda e: f"broken at event {len(e)}: head mismatch: the head names event {len(e)}",
    ),
    "every event deleted": Tampering(
        lambda e: [("DELETE FROM content_auditevent", [])],
        lambda e: (
            f"broken at event 1: head mismatch: the head names event {len(e)}, "
            "the log ends at event 0"
        ),
    ),
    "two actions swapped": Tampering(
        _swap_actions, lambda e: f"broken at event 3 (id {e[2]['id']}): changed"
    ),
    "an edit with a hash made to fit": Tampering(
        _rewrite, lambda e: f"broken at event 4 (id {e[3]['id']}): unlinked"
    ),
    "two ids swapped": Tampering(
        _swap_ids, lambda e: f"broken at event 4 (id {e[2]['id']}): reordered"
    ),
    "head moved back": Tampering(
        lambda e: [("UPDATE content_auditchainhead SET sequence = sequence - 1", [])],
        lambda e: f"broken at event {len(e) - 1}: head mismatch: the head's hash is not",
    ),
    "head deleted": Tampering(
        lambda e: [("DELETE FROM content_auditchainhead", [])],
        lambda e: "broken at the chain head: head mismatch: the chain head is missing",
    ),
}


@pytest.mark.parametrize("name", TAMPERING)
def test_sql_typed_by_hand_is_refused_on_postgresql_and_found_on_sqlite(published, name) -> None:
    events = chain()
    assert len({e["action"] for e in events[2:4]}) == 2  # a swap changes something
    tampering = TAMPERING[name]
    statements = tampering.sql(events)
    if connection.vendor == POSTGRES:
        with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
            execute(statements)
        assert chain() == events
        assert verify_audit().startswith(f"Audit log intact: {len(events)} events")
    else:
        execute(statements)
        with pytest.raises(CommandError, match=re.escape(tampering.found(events))) as failure:
            verify_audit()
        assert failure.value.returncode == 1


def test_the_first_broken_link_is_the_one_reported(published) -> None:
    if connection.vendor == POSTGRES:
        pytest.skip("PostgreSQL refuses the edits (test above)")
    events = chain()
    execute([(SET_DETAILS, [FORGED, events[3]["id"]]), (DELETE_EVENT, [events[1]["id"]])])
    report = verify_chain(batch=1)  # the walk crosses batches
    assert (report.sequence, report.problem) == (2, "missing: event 2 deleted")
    assert report.count == 1


def test_no_event_is_written_past_a_missing_head(published) -> None:
    if connection.vendor == POSTGRES:
        pytest.skip("PostgreSQL refuses to delete the head (test above)")
    execute([("DELETE FROM content_auditchainhead", [])])
    with pytest.raises(RuntimeError, match="chain head is missing"):
        record_event(action=AuditEvent.Action.OVERDUE_NOTIFIED, actor=JOB)


# --- Transactions: rollback, concurrency ----------------------------------------------------


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_the_chain_intact(post) -> None:
    before = AuditChainHead.objects.get()
    with pytest.raises(Boom), transaction.atomic():
        record_event(action=AuditEvent.Action.OVERDUE_NOTIFIED, actor=JOB, post=post)
        raise Boom
    assert AuditChainHead.objects.get().sequence == before.sequence
    event = record_event(action=AuditEvent.Action.OVERDUE_NOTIFIED, actor=JOB, post=post)
    assert (event.sequence, event.previous_hash) == (before.sequence + 1, before.hash)
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_writers_appending_at_once_never_fork_the_chain(post) -> None:
    def writer(number: int) -> Callable[[], int]:
        def write() -> int:
            for step in range(5):
                with transaction.atomic():
                    record_event(
                        action=AuditEvent.Action.OVERDUE_NOTIFIED, actor=JOB, writer=number, n=step
                    )
            return number

        return write

    outcomes = run_together(writer(1), writer(2), writer(3))
    assert outcomes == [1, 2, 3], outcomes
    events = chain()
    assert len({e["previous_hash"] for e in events}) == len(events)  # no two share a parent
    assert AuditEvent.objects.filter(details__writer__isnull=False).count() == 15
    report = verify_chain()
    assert report.intact and report.count == len(events), report.summary()


def _publish_while_editing(ready: Post, live: Post, author: Any, body: str) -> list[Any]:
    base = Post.objects.get(pk=live.pk).latest_revision_id
    return run_together(
        lambda: workflow.publish(
            post=Post.objects.get(pk=ready.pk), actor=author, revision_id=ready.latest_revision_id
        ),
        lambda: save_revision(
            post=Post.objects.get(pk=live.pk),
            author=author,
            content=content_of(title="Live", body=body),
            base_revision_id=base,
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_publishing_one_post_while_editing_another_published_one_both_succeed(
    author, reviewer, languages
) -> None:
    """Publishing locks the public version, then records; editing a published post records,
    then locks the public version. Appends lock them in one order, so neither deadlocks."""

    def new_post(title: str) -> Post:
        return create_post(
            author=author,
            language=languages["en"],
            kind=PostKind.ARTICLE,
            content=content_of(title=title),
        )

    live = publish_latest(new_post("Live"), author=author, reviewer=reviewer)
    for round_ in range(3):
        ready = workflow.submit_for_review(post=new_post(f"Ready {round_}"), actor=author)
        workflow.approve(post=ready, actor=reviewer, revision_id=ready.latest_revision_id)
        outcomes = _publish_while_editing(ready, live, author, f"Edited {round_}")
        assert not any(isinstance(o, Exception) for o in outcomes), outcomes
        live = publish_latest(Post.objects.get(pk=live.pk), author=author, reviewer=reviewer)
    assert verify_chain().intact


# --- Bulk loading and existing databases ---------------------------------------------------


def test_a_bulk_load_joins_the_chain_in_the_order_given(post) -> None:
    made = AuditEvent.objects.bulk_create(
        [AuditEvent(action=AuditEvent.Action.EXPORTED, post=post, details={"n": n}) for n in "abc"]
    )
    numbers = [e.sequence for e in made]
    assert numbers == sorted(numbers) and numbers[-1] == AuditChainHead.objects.get().sequence
    assert verify_chain().intact
    with pytest.raises(TypeError, match="conflicts cannot be ignored"):
        AuditEvent.objects.bulk_create([AuditEvent(action="exported")], ignore_conflicts=True)


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_events_already_on_record(published) -> None:
    """Back to the log without a chain, forward again: the events are chained in id order,
    to the same hashes the application gave them, and PostgreSQL's triggers are back."""
    before = chain()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("content")
    try:
        executor.migrate([("content", "0014_public_version")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert chain() == before
    assert verify_chain().intact
    if connection.vendor == POSTGRES:
        with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
            execute([("DELETE FROM content_auditevent", [])])


def test_event_hash_is_a_function_of_the_fields_alone() -> None:
    moment = datetime.datetime(2026, 12, 1, 16, 59, 3, 123456, tzinfo=datetime.UTC)
    fields: dict[str, Any] = {
        "sequence": 1,
        "created_at": moment,
        "action": "published",
        "actor_id": 3,
        "post_id": 4,
        "revision_id": 5,
        "details": {"b": 1, "a": [1.0, "x"]},
        "previous_hash": GENESIS,
    }
    brussels = moment.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    assert event_hash(**fields) == event_hash(**{**fields, "created_at": brussels})
    assert event_hash(**fields) == event_hash(**{**fields, "details": {"a": [1, "x"], "b": 1}})
    assert event_hash(**fields) != event_hash(**{**fields, "details": {"a": [1, "y"], "b": 1}})
