"""The team's roles as Django groups, kept in step with the code after every migrate."""

from __future__ import annotations

from typing import Any

AUTHORS = "Authors"
REVIEWERS = "Reviewers"
EDITORS = "Editors"

# The right to manage the team in the studio (content/team.py): invite, change roles,
# deactivate and reactivate. Not auth.change_user: with that, an editor could edit users in the
# admin, make anyone a superuser or set passwords. Django has no model of ours to hang it on, so
# ensure_roles() creates it on the user model's content type.
MANAGE_TEAM = "auth.manage_team"
MANAGE_TEAM_NAME = "Can invite colleagues, change their roles and deactivate them"

# Group name -> "app_label.codename" permissions. Editors also get admin access (is_staff).
ROLE_PERMISSIONS: dict[str, set[str]] = {
    AUTHORS: {
        "content.add_post",
        "content.change_post",
        "content.view_post",
        "content.publish_post",
        # exports: final exports of published posts, the repost register
        "content.export_final",
        "content.view_exportprofile",
        "content.add_repost",
        "content.view_repost",
        # the interaction table in the studio (content/interactions.py), read only
        "content.view_interaction",
    },
    REVIEWERS: {
        "content.view_post",
        "content.review_post",
        "content.view_exportprofile",
        "content.view_repost",
        # the interaction table: reviewers judge its medical content, so they approve
        # (or refuse) the changes editors propose, never their own
        "content.view_interaction",
        "content.view_interactionproposal",
        "content.approve_interaction",
    },
    EDITORS: {
        "content.add_post",
        "content.change_post",
        "content.view_post",
        "content.edit_any_post",
        "content.review_post",
        "content.publish_post",
        "content.withdraw_post",
        "content.view_reviewpolicy",
        "content.change_reviewpolicy",
        "content.add_language",
        "content.change_language",
        "content.view_language",
        "content.add_tag",
        "content.change_tag",
        "content.view_tag",
        "content.view_revision",
        "content.view_auditevent",
        # exports: profiles (in the admin), signing keys (in the studio), the repost register
        "content.export_final",
        "content.add_exportprofile",
        "content.change_exportprofile",
        "content.view_exportprofile",
        # a profile's header and footer per language, edited inline with the profile
        "content.add_exportprofileframe",
        "content.change_exportprofileframe",
        "content.delete_exportprofileframe",
        "content.view_exportprofileframe",
        "content.add_signingkey",
        "content.change_signingkey",
        "content.view_signingkey",
        "content.add_repost",
        "content.view_repost",
        # opsec: phrases and allowed phone numbers (in the admin), overrides (in the studio)
        "content.override_opsec",
        "content.view_opsecoverride",
        # translations: let one behind a safety change of its source be exported (with a reason)
        "content.override_translation",
        "content.add_opsecphrase",
        "content.change_opsecphrase",
        "content.delete_opsecphrase",
        "content.view_opsecphrase",
        "content.add_allowednumber",
        "content.change_allowednumber",
        "content.delete_allowednumber",
        "content.view_allowednumber",
        # drug alerts: the plausible amounts of substances (in the admin)
        "content.add_substancebound",
        "content.change_substancebound",
        "content.delete_substancebound",
        "content.view_substancebound",
        # sign-in throttle (django-axes): see who is locked out and unlock them in the admin
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        # background tasks: failed mail and its traceback, in the admin (read-only there)
        "django_tasks_database.view_dbtaskresult",
        # the team page in the studio (content/team.py)
        MANAGE_TEAM,
        # the interaction table (content/interactions.py): propose and approve in the studio,
        # never one's own proposal; substances and their aliases in the admin
        "content.view_interaction",
        "content.view_interactionproposal",
        "content.propose_interaction",
        "content.approve_interaction",
        "content.add_substance",
        "content.change_substance",
        "content.view_substance",
        "content.add_substancealias",
        "content.change_substancealias",
        "content.delete_substancealias",
        "content.view_substancealias",
    },
}


def ensure_roles(**kwargs: Any) -> None:
    """post_migrate handler: create the groups and grant exactly their permissions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    Permission.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        codename=MANAGE_TEAM.split(".")[1],
        defaults={"name": MANAGE_TEAM_NAME},
    )
    for group_name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)
