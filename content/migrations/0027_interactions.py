import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify

LEVELS = [
    ("low_synergy", "Low risk & synergy"),
    ("low_no_synergy", "Low risk & no synergy"),
    ("low_decrease", "Low risk & decrease"),
    ("caution", "Caution"),
    ("unsafe", "Unsafe"),
    ("dangerous", "Dangerous"),
]


def _key(name):
    return slugify(name)[:80] or " ".join(name.split()).casefold()


def seed_table(apps, schema_editor):
    """The starting table of content.interaction_data: substances, aliases and pairs."""
    from content.interaction_data import PAIRS, SUBSTANCES

    Substance = apps.get_model("content", "Substance")
    SubstanceAlias = apps.get_model("content", "SubstanceAlias")
    Interaction = apps.get_model("content", "Interaction")
    Version = apps.get_model("content", "InteractionTableVersion")
    by_name = {}
    for name, aliases in SUBSTANCES.items():
        substance = Substance.objects.create(name=name, key=_key(name))
        by_name[name] = substance
        for alias in aliases:
            SubstanceAlias.objects.create(substance=substance, name=alias, key=_key(alias))
    for a, b, level, en, nl, fr in PAIRS:
        first, second = sorted((by_name[a], by_name[b]), key=lambda substance: substance.pk)
        Interaction.objects.create(
            first=first, second=second, level=level,
            explanation_en=en, explanation_nl=nl, explanation_fr=fr,
        )
    Version.objects.create(pk=1, number=1)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0026_alert_expiry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Substance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, unique=True)),
                ("key", models.CharField(editable=False, max_length=80, unique=True)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="exportprofile",
            name="interaction_min_level",
            field=models.CharField(
                choices=LEVELS,
                default="unsafe",
                help_text="Exports warn about combinations of the substances a post names from this level up.",
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="InteractionTableVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("pk", 1)), name="one_interaction_table_version")],
            },
        ),
        migrations.CreateModel(
            name="SubstanceAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60)),
                ("key", models.CharField(editable=False, max_length=80, unique=True)),
                ("substance", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="aliases", to="content.substance")),
            ],
            options={"verbose_name_plural": "substance aliases", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="InteractionProposal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("old_level", models.CharField(blank=True, max_length=20)),
                ("old_explanations", models.JSONField(blank=True, default=dict)),
                ("new_level", models.CharField(choices=LEVELS, max_length=20)),
                ("new_explanations", models.JSONField(default=dict)),
                ("note", models.CharField(blank=True, max_length=300)),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("status", models.CharField(choices=[("pending", "Awaiting approval"), ("approved", "Approved"), ("refused", "Refused")], default="pending", max_length=10)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("reason", models.CharField(blank=True, max_length=300)),
                ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("proposed_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("first", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="content.substance")),
                ("second", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="content.substance")),
            ],
            options={
                "ordering": ["-proposed_at", "-pk"],
                "permissions": [
                    ("propose_interaction", "Can propose a change of the interaction table"),
                    ("approve_interaction", "Can approve or refuse another person's proposed change"),
                ],
                "constraints": [models.CheckConstraint(condition=models.Q(("first__lt", models.F("second"))), name="interaction_proposal_pair_ordered")],
            },
        ),
        migrations.CreateModel(
            name="Interaction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("level", models.CharField(choices=LEVELS, max_length=20)),
                ("explanation_nl", models.TextField(blank=True, max_length=500)),
                ("explanation_fr", models.TextField(blank=True, max_length=500)),
                ("explanation_en", models.TextField(blank=True, max_length=500)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("first", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="content.substance")),
                ("second", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="content.substance")),
            ],
            options={
                "ordering": ["first__name", "second__name"],
                "constraints": [
                    models.UniqueConstraint(fields=("first", "second"), name="one_interaction_per_pair"),
                    models.CheckConstraint(condition=models.Q(("first__lt", models.F("second"))), name="interaction_pair_ordered"),
                ],
            },
        ),
        migrations.RunPython(seed_table, migrations.RunPython.noop),
        # Every audit action, including those added by 0020 to 0027.
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('post_created', 'Post created'), ('revision_saved', 'Revision saved'), ('revision_restored', 'Revision restored'), ('image_uploaded', 'Image uploaded'), ('submitted', 'Submitted for review'), ('approved', 'Approved'), ('changes_requested', 'Changes requested'), ('approvals_voided', 'Approvals voided by a new revision'), ('published', 'Published'), ('re_reviewed', 'Re-review completed'), ('withdrawn', 'Withdrawn'), ('archived', 'Archived'), ('unarchived', 'Restored from the archive'), ('overdue_notified', 'Reviewers told the review is overdue'), ('exported', 'Exported'), ('repost_recorded', 'Repost recorded'), ('signing_key_added', 'Signing key added'), ('signing_key_changed', 'Signing key switched on or off'), ('signing_key_retired', 'Signing key retired'), ('signing_key_revoked', 'Signing key revoked'), ('statement_signed', 'Canary or mirror list signed'), ('export_profile_changed', 'Export profile changed'), ('slug_changed', 'Address (slug) changed'), ('opsec_overridden', 'Opsec finding overridden'), ('user_invited', 'Colleague invited'), ('invitation_resent', 'Invitation sent again'), ('invitation_accepted', 'Invitation accepted: password set'), ('roles_changed', 'Roles changed'), ('user_deactivated', 'Account deactivated'), ('user_reactivated', 'Account reactivated'), ('scheduled', 'Scheduled'), ('schedule_cancelled', 'Schedule cancelled'), ('schedule_ran', 'Scheduled action done'), ('schedule_failed', 'Scheduled action failed'), ('schedule_voided', 'Schedule void (a newer revision)'), ('translation_started', 'Translation started'), ('translation_overridden', 'Translation behind its source let through'), ('commented', 'Commented'), ('comment_resolved', 'Comment resolved'), ('interaction_proposed', 'Interaction change proposed'), ('interaction_approved', 'Interaction change approved'), ('interaction_refused', 'Interaction change refused')], max_length=40),
        ),
    ]
