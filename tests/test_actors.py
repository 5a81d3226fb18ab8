"""Every service that changes something checks its own right: exports, withdrawal notices and
the repost register refuse people without it, called directly (not through a view); commands
act as a named system actor that the audit log records as "system", never as a person; the
workflow's one table drives what the studio offers and which URLs exist."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content import actions, actors, exports, reminders, reposts, roles, workflow
from content.models import AuditEvent, Post, PostState, Repost, record_event
from content.transitions import ALLOWED_TRANSITIONS
from content.views.review import ACTIONS
from tests.support import profile, publish_latest
from tests.workflow_helpers import RESULT_STATE, STARTS, WHO_MAY, bring_to, perform

pytestmark = pytest.mark.usefixtures("export_settings")

S = PostState
EXPORTER = actors.command("export_post", actors.EXPORTING)
TEMPLATE = Path(__file__).parent.parent / "content/templates/content/author/_workflow.html"


def exported_events() -> Any:
    return AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED)


def record(post: Post, actor: Any) -> Repost:
    return reposts.record_repost(
        post=post,
        profile=profile("dread"),
        actor=actor,
        where="http://dread.onion/d/hr/1",
        posted_on=timezone.localdate(),
    )


@pytest.fixture
def withdrawn_repost(published, author, editor) -> Repost:
    repost = record(published, author)
    workflow.withdraw(post=published, actor=editor, reason="Wrong dose.")
    return Repost.objects.select_related("post", "revision", "profile").get(pk=repost.pk)


# --- Final exports and withdrawal notices -------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "anonymous"])
def test_a_final_export_is_refused_to_anyone_without_the_export_right(
    who, request, published
) -> None:
    actor = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="previews only"):
        exports.export_post(post=published, profile=profile("phpbb"), actor=actor, final=True)
    assert not exported_events().exists()


def test_a_reviewer_may_still_export_a_preview(published, reviewer) -> None:
    outcome = exports.export_post(
        post=published, profile=profile("phpbb"), actor=reviewer, final=False
    )
    assert not outcome.final


def test_a_preview_is_refused_to_someone_who_cannot_see_the_post(published) -> None:
    with pytest.raises(PermissionDenied, match="cannot see this post"):
        exports.export_post(
            post=published, profile=profile("phpbb"), actor=AnonymousUser(), final=False
        )


def test_the_export_command_actor_exports_as_final_and_is_recorded_as_the_system(
    published,
) -> None:
    outcome = exports.export_post(
        post=published, profile=profile("phpbb"), actor=EXPORTER, final=True
    )
    event = exported_events().get()
    assert outcome.final and event.actor is None
    assert event.details["system"] == "export_post"


def test_a_system_actor_without_the_export_right_cannot_export_as_final(published) -> None:
    with pytest.raises(PermissionDenied):
        exports.export_post(
            post=published, profile=profile("phpbb"), actor=actors.SCHEDULER, final=True
        )
    assert not exported_events().exists()


def test_a_withdrawal_notice_is_refused_to_a_reviewer(withdrawn_repost, reviewer) -> None:
    with pytest.raises(PermissionDenied):
        exports.withdrawal_notice(repost=withdrawn_repost, actor=reviewer)
    assert not exported_events().exists()


def test_the_export_command_actor_may_make_a_withdrawal_notice_and_is_recorded(
    withdrawn_repost,
) -> None:
    exports.withdrawal_notice(repost=withdrawn_repost, actor=EXPORTER)
    event = exported_events().get()
    assert event.actor is None and event.details["system"] == "export_post"
    assert event.details["withdrawal_notice"] is True


def test_a_person_s_export_names_the_person_and_no_system(published, author) -> None:
    exports.export_post(post=published, profile=profile("phpbb"), actor=author, final=True)
    event = exported_events().get()
    assert event.actor == author and "system" not in event.details


# --- The repost register ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "anonymous", "system"])
def test_a_repost_is_recorded_only_by_a_person_with_the_right(who, request, published) -> None:
    actor = {"anonymous": AnonymousUser(), "system": EXPORTER}.get(who)
    actor = actor or request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        record(published, actor)
    assert not Repost.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REPOST_RECORDED).exists()


def test_even_a_system_actor_granted_every_repost_right_cannot_record_a_repost(
    published,
) -> None:
    granted = actors.command("import", frozenset({"content.add_repost", "content.export_final"}))
    with pytest.raises(PermissionDenied, match="a command cannot record one"):
        record(published, granted)


@pytest.mark.parametrize("who", ["reviewer", "system"])
def test_closing_a_repost_with_its_withdrawal_notice_needs_the_repost_right(
    who, request, withdrawn_repost
) -> None:
    actor = EXPORTER if who == "system" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        reposts.record_notice_posted(
            repost=withdrawn_repost, actor=actor, posted_on=timezone.localdate()
        )
    assert Repost.objects.get(pk=withdrawn_repost.pk).notice_posted_on is None


def test_an_author_closes_a_repost_with_its_withdrawal_notice(withdrawn_repost, author) -> None:
    reposts.record_notice_posted(
        repost=withdrawn_repost, actor=author, posted_on=timezone.localdate()
    )
    assert Repost.objects.get(pk=withdrawn_repost.pk).notice_posted_on == timezone.localdate()


# --- Commands -----------------------------------------------------------------------------------


def test_the_export_posts_command_records_each_export_as_its_own(published, tmp_path) -> None:
    call_command("export_posts", "--profile", "phpbb", "--out", str(tmp_path),
                 stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    event = exported_events().get()
    assert event.actor is None and event.details["system"] == "export_posts"


def test_the_export_post_command_records_its_name(published) -> None:
    call_command("export_post", published.slug, "--profile", "phpbb", stdout=io.StringIO())
    assert exported_events().get().details["system"] == "export_post"


def test_overdue_reminders_are_recorded_as_the_command_that_sent_them(
    post, author, reviewer
) -> None:
    publish_latest(post, author=author, reviewer=reviewer)
    Post.objects.filter(pk=post.pk).update(review_due=timezone.localdate().replace(year=2000))
    call_command("review_overdue", "--notify", stdout=io.StringIO())
    event = AuditEvent.objects.get(action=AuditEvent.Action.OVERDUE_NOTIFIED)
    assert event.actor is None and event.details["system"] == "review_overdue"


def test_a_person_cannot_send_the_overdue_reminders(editor) -> None:
    with pytest.raises(workflow.NotPermitted, match="sent by the scheduler"):
        reminders.notify_overdue(actor=editor)


def test_the_scheduler_is_the_default_sender_of_overdue_reminders(post, author, reviewer) -> None:
    publish_latest(post, author=author, reviewer=reviewer)
    Post.objects.filter(pk=post.pk).update(review_due=timezone.localdate().replace(year=2000))
    assert [p.pk for p in reminders.notify_overdue()] == [post.pk]
    event = AuditEvent.objects.get(action=AuditEvent.Action.OVERDUE_NOTIFIED)
    assert event.details["system"] == "scheduler"


# --- The workflow's one table -------------------------------------------------------------------


@pytest.mark.parametrize("action", list(WHO_MAY))
def test_no_system_actor_performs_a_transition(action, post, reviewer, editor) -> None:
    """Commands may export; reviewing, publishing and withdrawing stay with people, even for
    a system actor granted every permission any role has."""
    state = sorted(STARTS[action])[0]
    post = bring_to(post, state, reviewer=reviewer, editor=editor)
    everything = frozenset().union(*roles.ROLE_PERMISSIONS.values())
    with pytest.raises(workflow.NotPermitted):
        perform(action, post, actors.command("anything", everything))
    assert Post.objects.get(pk=post.pk).state == state


@pytest.mark.parametrize("action", list(RESULT_STATE))
def test_each_transition_declares_the_state_it_leads_to(action) -> None:
    assert workflow.ALLOWED_TRANSITIONS[action].target == RESULT_STATE[action]


def test_approvals_leave_the_state_as_it_is() -> None:
    assert workflow.ALLOWED_TRANSITIONS["approve"].target is None
    assert workflow.ALLOWED_TRANSITIONS["re_approve"].target is None


def offered_by_the_studio(post: Post, user: Any) -> set[str]:
    """The studio's names of the transitions its pages offer `user` by state and right
    (content.actions.studio_actions; a refusal it explains, such as missing approvals, is
    offered with its reason)."""
    return {
        ALLOWED_TRANSITIONS[name].slug
        for name, shown in actions.studio_actions(post, user).items()
        if name in ALLOWED_TRANSITIONS
        and ALLOWED_TRANSITIONS[name].slug
        and (shown.refused is None or shown.refused.why is actions.Why.RULE)
    }


def offered_before(post: Post, user: Any) -> set[str]:
    """What the studio offered, as it was written by hand before the table drove it: the
    oracle."""
    offered = set()
    can_edit = post.can_be_edited_by(user)
    if post.state in {S.DRAFT, S.CHANGES_REQUESTED, S.WITHDRAWN} and can_edit:
        offered.add("submit")
    if post.state == S.IN_REVIEW and user.has_perm("content.review_post"):
        offered.add("review")
    if post.state == S.PUBLISHED and user.has_perm("content.review_post"):
        offered.add("re_review")
    if post.state == S.IN_REVIEW and can_edit and user.has_perm("content.publish_post"):
        offered.add("publish")
    if user.has_perm("content.withdraw_post"):
        if post.published_revision_id and post.state != S.ARCHIVED and post.state != S.WITHDRAWN:
            offered.add("withdraw")
        if post.state != S.ARCHIVED:
            offered.add("archive")
        if post.state == S.ARCHIVED:
            offered.add("unarchive")
    return offered


@pytest.mark.parametrize("state", S.values)
def test_the_studio_offers_each_role_what_it_offered_before_the_table(
    state, request, post, make_user
) -> None:
    people = {n: request.getfixturevalue(n) for n in ("author", "other_author", "reviewer")}
    people["editor"] = request.getfixturevalue("editor")
    post = bring_to(post, state, reviewer=make_user("second", "Reviewers"), editor=people["editor"])
    for name, person in people.items():
        assert offered_by_the_studio(post, person) == offered_before(post, person), name


def test_a_published_post_with_a_newer_draft_offers_withdrawing_but_not_re_review(
    published, author, editor
) -> None:
    Post.objects.filter(pk=published.pk).update(state=S.DRAFT)
    post = Post.objects.get(pk=published.pk)
    assert offered_by_the_studio(post, editor) == {"submit", "withdraw", "archive"}


def test_the_workflow_has_no_second_list_of_what_is_allowed() -> None:
    # The pages' one source is content.actions; a helper beside it would drift from it.
    assert not hasattr(workflow, "allowed_actions")


def test_the_buttons_and_their_urls_are_the_table_s_post_actions() -> None:
    in_template = set(re.findall(r"'content:post_action' post\.pk '(\w+)'", TEMPLATE.read_text()))
    assert in_template == set(ACTIONS) == set(workflow.post_action_slugs())
    assert set(ACTIONS) == {"submit", "publish", "withdraw", "archive", "unarchive"}


@pytest.mark.parametrize("slug", ["review", "re_review", "approve", "submit_for_review"])
def test_a_slug_that_is_not_a_button_is_not_found(slug, client, editor, post) -> None:
    client.force_login(editor)
    response = client.post(reverse("content:post_action", args=[post.pk, slug]))
    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).state == S.DRAFT


# --- The person a service stores -----------------------------------------------------------------


def test_only_a_signed_in_user_is_stored_as_the_person_who_acted(author) -> None:
    assert actors.signed_in(author) is author
    for nobody in (AnonymousUser(), EXPORTER):
        with pytest.raises(PermissionError, match="Sign in"):
            actors.signed_in(nobody)


def test_an_event_recorded_for_the_server_names_the_job_and_no_person(post) -> None:
    event = record_event(action=AuditEvent.Action.EXPORTED, actor=EXPORTER, post=post)
    event.refresh_from_db()
    assert event.actor is None
    assert event.details == {"system": "export_post"}
