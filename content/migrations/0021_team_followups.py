from __future__ import annotations

from django.db import migrations, models

# Team members' e-mail addresses are unique, case ignored (content.team refuses a duplicate
# first, with a message; the index stops two invitations racing each other).
EMAIL_INDEX = "auth_user_email_lower_unique"
CREATE_EMAIL_INDEX = (
    f"CREATE UNIQUE INDEX {EMAIL_INDEX} ON auth_user (lower(email)) WHERE email <> ''"
)
DROP_EMAIL_INDEX = f"DROP INDEX {EMAIL_INDEX}"


def refuse_duplicate_emails(apps, schema_editor):
    """Stop with the accounts to fix, rather than with the database's bare unique error."""
    User = apps.get_model("auth", "User")
    accounts: dict[str, list[str]] = {}
    for username, email in User.objects.exclude(email="").values_list("username", "email"):
        accounts.setdefault(email.lower(), []).append(username)
    shared = {email: names for email, names in accounts.items() if len(names) > 1}
    if shared:
        listed = "; ".join(
            f"{email}: {', '.join(sorted(names))}" for email, names in sorted(shared.items())
        )
        raise RuntimeError(
            "Each team member needs an e-mail address of their own (case ignored), and these "
            f"accounts share one: {listed}. Give each account its own address (or clear it) "
            "in the admin, then run migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0020_review_discussion"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                models.Case(models.When(kind="drug_alert", then=0), default=1),
                models.F("submitted_at"),
                models.F("id"),
                condition=models.Q(state="in_review"),
                name="post_review_queue_order",
            ),
        ),
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(
                fields=["post", "author", "number"], name="revision_post_author_number"
            ),
        ),
        migrations.AddIndex(
            model_name="repost",
            index=models.Index(
                models.F("posted_on").desc(),
                models.F("id").desc(),
                condition=models.Q(
                    ("notice_posted_on__isnull", True), ("superseded_by__isnull", True)
                ),
                name="repost_open_newest_first",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("post_created", "Post created"),
                    ("revision_saved", "Revision saved"),
                    ("revision_restored", "Revision restored"),
                    ("image_uploaded", "Image uploaded"),
                    ("submitted", "Submitted for review"),
                    ("approved", "Approved"),
                    ("changes_requested", "Changes requested"),
                    ("approvals_voided", "Approvals voided by a new revision"),
                    ("published", "Published"),
                    ("re_reviewed", "Re-review completed"),
                    ("withdrawn", "Withdrawn"),
                    ("archived", "Archived"),
                    ("unarchived", "Restored from the archive"),
                    ("overdue_notified", "Reviewers told the review is overdue"),
                    ("exported", "Exported"),
                    ("repost_recorded", "Repost recorded"),
                    ("signing_key_added", "Signing key added"),
                    ("signing_key_changed", "Signing key switched on or off"),
                    ("signing_key_retired", "Signing key retired"),
                    ("signing_key_revoked", "Signing key revoked"),
                    ("statement_signed", "Canary or mirror list signed"),
                    ("export_profile_changed", "Export profile changed"),
                    ("slug_changed", "Address (slug) changed"),
                    ("opsec_overridden", "Opsec finding overridden"),
                    ("user_invited", "Colleague invited"),
                    ("invitation_resent", "Invitation sent again"),
                    ("invitation_accepted", "Invitation accepted: password set"),
                    ("roles_changed", "Roles changed"),
                    ("user_deactivated", "Account deactivated"),
                    ("user_reactivated", "Account reactivated"),
                    ("scheduled", "Scheduled"),
                    ("schedule_cancelled", "Schedule cancelled"),
                    ("schedule_ran", "Scheduled action done"),
                    ("schedule_failed", "Scheduled action failed"),
                    ("schedule_voided", "Schedule void (a newer revision)"),
                    ("commented", "Commented"),
                    ("comment_resolved", "Comment resolved"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(refuse_duplicate_emails, migrations.RunPython.noop, elidable=False),
        migrations.RunSQL(CREATE_EMAIL_INDEX, DROP_EMAIL_INDEX),
    ]
