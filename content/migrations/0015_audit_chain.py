# The audit log becomes a hash chain (content/models/audit.py): each event gets a sequence
# number, the previous event's hash and its own; events already on record are chained in id
# order; a one-row head keeps the last link. On PostgreSQL, triggers refuse UPDATE and DELETE
# of audit rows and any change of the head but a step forward (skipped on SQLite).

import django.utils.timezone
from django.db import migrations, models

# The chain's own definition, imported rather than copied: the events chained here must hash
# exactly as `manage.py verify_audit` recomputes them.
from content.models.audit import GENESIS, HEAD_ROW, event_hash

BATCH = 1000


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("content", "AuditEvent")
    AuditChainHead = apps.get_model("content", "AuditChainHead")
    db = schema_editor.connection.alias
    sequence, previous, after = 0, GENESIS, 0
    while True:
        # Keyset batches: constant memory on a log of any length.
        batch = list(AuditEvent.objects.using(db).filter(pk__gt=after).order_by("pk")[:BATCH])
        if not batch:
            break
        for event in batch:
            sequence += 1
            event.sequence, event.previous_hash = sequence, previous
            event.hash = previous = event_hash(
                sequence=sequence,
                created_at=event.created_at,  # as read back, so as verify_audit reads it
                action=event.action,
                actor_id=event.actor_id,
                post_id=event.post_id,
                revision_id=event.revision_id,
                details=event.details,
                previous_hash=event.previous_hash,
            )
        AuditEvent.objects.using(db).bulk_update(batch, ["sequence", "previous_hash", "hash"])
        after = batch[-1].pk
    AuditChainHead.objects.using(db).update_or_create(
        pk=HEAD_ROW, defaults={"sequence": sequence, "hash": previous}
    )


# Row triggers: TRUNCATE fires neither. It needs the table's owner or the TRUNCATE privilege,
# which the application's role should not have (README, "Audit events"); Django's test flush
# uses it, so transactional tests still empty the tables.
CREATE_TRIGGERS = """
CREATE FUNCTION content_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only; events are never changed or deleted.'
        USING HINT = 'Record a new event instead.';
END;
$$;

CREATE TRIGGER content_auditevent_append_only
    BEFORE UPDATE OR DELETE ON content_auditevent
    FOR EACH ROW EXECUTE FUNCTION content_audit_refuse_change();

CREATE FUNCTION content_audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'The audit chain head is never deleted.';
    END IF;
    IF NEW.id <> OLD.id OR NEW.sequence < OLD.sequence OR NOT EXISTS (
        SELECT 1 FROM content_auditevent AS e WHERE e.sequence = NEW.sequence AND e.hash = NEW.hash
    ) THEN
        RAISE EXCEPTION 'The audit chain head only moves forward, onto an event on record.';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER content_auditchainhead_forward_only
    BEFORE UPDATE OR DELETE ON content_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION content_audit_head_forward_only();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS content_auditchainhead_forward_only ON content_auditchainhead;
DROP FUNCTION IF EXISTS content_audit_head_forward_only();
DROP TRIGGER IF EXISTS content_auditevent_append_only ON content_auditevent;
DROP FUNCTION IF EXISTS content_audit_refuse_change();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGERS, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0014_public_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(default=GENESIS, max_length=64)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("pk", 1)), name="one_audit_chain_head"
                    )
                ],
            },
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
