"""Withdrawal notices and replacements tell the truth: the real version, approvals and dates,
no placeholder printed blank, the reason for readers, and what changed."""

from __future__ import annotations

import datetime
import importlib
import re
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from content import exports, reposts, roles, workflow
from content.exporters import ExportDocument
from content.exporters.placeholders import fill, render_template
from content.models import Post, PostKind, Repost, Review
from content.revisions import (
    PublicNoteRequired,
    RevisionContent,
    create_post,
    public_note_reason,
    save_revision,
)
from tests.support import SITE, content_of, form_data, profile

SEEDED = importlib.import_module("content.migrations.0006_export_profiles").PROFILES
INTERNAL = "REASON-internal: Rik misread the lab sheet"
PUBLIC = "The lab corrected its result; a checked version follows."
NOTE = "The pills tested contained up to 280 mg of MDMA, not about 250 mg."
# What an empty placeholder used to leave behind in the seeded footers.
BLANKS = re.compile(r"not published|next review\s*[.,]|Published\s*[.,]|[ ]\.(\s|$)|\{\w+\}")


@pytest.fixture
def second_reviewer(make_user: Any) -> Any:
    return make_user("second_reviewer", roles.REVIEWERS)


def publish_with_two(post: Post, author: Any, *reviewers: Any) -> Post:
    post = workflow.submit_for_review(post=post, actor=author)
    for reviewer in reviewers:
        workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    post = workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)
    return Post.objects.select_related("language").get(pk=post.pk)


@pytest.fixture
def alert(author: Any, reviewer: Any, second_reviewer: Any, english: Any) -> Post:
    """A drug alert published with two approvals, reposted on a Tor forum."""
    post = create_post(
        author=author,
        language=english,
        kind=PostKind.DRUG_ALERT,
        content=content_of(
            title="High-dose pills: orange Tesla",
            summary="Pills sold as orange Tesla contain about 250 mg of MDMA.",
            body="Start with a quarter of a pill: about 250 mg is a very high dose.",
            substances=("MDMA",),
        ),
    )
    post = publish_with_two(post, author, reviewer, second_reviewer)
    reposts.record_repost(post=post, profile=profile("dread"), actor=author,
                          where="Dread thread", posted_on=timezone.localdate())  # fmt: skip
    return post


def newer(post: Post, author: Any, **changes: Any) -> RevisionContent:
    content = content_of(**({
        "title": "High-dose pills: orange Tesla",
        "summary": "Pills sold as orange Tesla contain up to 280 mg of MDMA.",
        "body": "Start with a quarter of a pill: up to 280 mg is a very high dose.",
        "substances": ("MDMA",),
    } | changes))  # fmt: skip
    save_revision(post=post, author=author, content=content,
                  base_revision_id=Post.objects.get(pk=post.pk).latest_revision_id)  # fmt: skip
    return content


def text_of(outcome: exports.Outcome) -> str:
    """All parts, with line breaks as spaces (plain text wraps its lines)."""
    return " ".join("\n".join(outcome.parts).split())


# --- Withdrawal notices -------------------------------------------------------------------------


@pytest.fixture
def withdrawn(alert: Post, editor: Any) -> Repost:
    workflow.withdraw(post=alert, actor=editor, reason=INTERNAL, public_reason=PUBLIC)
    return Repost.objects.select_related("post", "revision", "profile").get()


@pytest.mark.parametrize("slug", SEEDED)
def test_a_withdrawal_notice_in_every_profile_has_the_true_figures_and_no_blank(
    withdrawn, editor, slug
) -> None:
    withdrawn.profile = profile(slug)
    text = text_of(exports.withdrawal_notice(repost=withdrawn, actor=editor))
    today = timezone.localdate().isoformat()
    assert "Withdrawn: High-dose pills: orange Tesla" in text
    assert "(version 1, reviewed by 2 professionals)" in text  # not 0: the reposted revision's
    assert f"We withdrew this information on {today}" in text
    assert f"It was version 1, published on {today}" in text
    # The seeded footer, with its "next review" phrase left out.
    assert f"Published {today}. Check this text:" in text
    assert not BLANKS.search(text), BLANKS.search(text)
    assert "next review" not in text and "Review due" not in text
    assert "The lab corrected its result" in text and "REASON-internal" not in text
    assert withdrawn.revision.content_hash in text


def test_a_signed_withdrawal_notice_says_withdrawn_and_verifies(
    withdrawn, editor, signed_profile, gpg_keys
) -> None:
    withdrawn.profile = signed_profile
    outcome = exports.withdrawal_notice(repost=withdrawn, actor=editor)
    assert outcome.result.signed
    for part in outcome.parts:
        assert "reviewed by 2 professionals" in part and not BLANKS.search(part)
        assert re.search(r"^Status: withdrawn\s*$", part, re.MULTILINE)
        assert not re.search(r"^Review due:", part, re.MULTILINE)
        checked = subprocess.run(["gpg", "--homedir", gpg_keys.home, "--batch", "--verify"],
                                 input=part.encode(), capture_output=True, check=False)  # fmt: skip
        assert checked.returncode == 0, checked.stderr


def test_without_a_reason_for_readers_the_notice_gives_none(alert, editor) -> None:
    workflow.withdraw(post=alert, actor=editor, reason=INTERNAL)
    text = text_of(exports.withdrawal_notice(repost=Repost.objects.get(), actor=editor))
    assert "Why:" not in text and "REASON-internal" not in text


def test_withdraw_keeps_the_internal_reason_internal_and_stores_the_public_one(
    alert, editor
) -> None:
    post = workflow.withdraw(post=alert, actor=editor, reason=INTERNAL, public_reason=f" {PUBLIC} ")
    post.refresh_from_db()
    assert (post.state_note, post.public_reason) == (INTERNAL, PUBLIC)
    assert post.withdrawn_at is not None


def test_a_reason_for_readers_longer_than_500_characters_is_refused(alert, editor) -> None:
    with pytest.raises(workflow.WorkflowError, match="at most 500"):
        workflow.withdraw(post=alert, actor=editor, reason="x", public_reason="y" * 501)
    assert Post.objects.get(pk=alert.pk).state == "published"


def test_the_withdraw_form_asks_for_both_reasons_and_the_410_page_shows_only_the_public_one(
    client, alert, editor
) -> None:
    client.force_login(editor)
    page = client.get(alert.get_absolute_url()).content.decode()
    assert 'name="reason"' in page and 'name="public_reason"' in page
    response = client.post(
        reverse("content:post_action", args=[alert.pk, "withdraw"]),
        {"reason": INTERNAL, "public_reason": PUBLIC},
    )
    assert response.status_code == 302
    client.logout()
    gone = client.get(alert.get_public_url())
    text = gone.content.decode()
    assert gone.status_code == 410 and PUBLIC in text and "REASON-internal" not in text
    assert f"withdrew it on {timezone.localdate().isoformat()}" in text


# --- Replacements -------------------------------------------------------------------------------


@pytest.fixture
def replaced(alert: Post, author: Any, reviewer: Any, second_reviewer: Any) -> Repost:
    """Version 2 corrects the dose, says so for readers, and is published: the repost is old."""
    newer(alert, author, public_change_note=NOTE)
    publish_with_two(Post.objects.get(pk=alert.pk), author, reviewer, second_reviewer)
    return Repost.objects.outdated().select_related("post", "revision", "profile").get()


@pytest.mark.parametrize("slug", SEEDED)
def test_a_replacement_in_every_profile_opens_with_what_changed_and_has_no_blank(
    replaced, author, slug
) -> None:
    outcome = exports.export_post(
        post=replaced.post, profile=profile(slug), actor=author, final=True, replaces=replaced
    )
    text = text_of(outcome)
    post = Post.objects.get(pk=replaced.post.pk)
    assert outcome.revision.number == 2
    assert "(version 2, reviewed by 2 professionals)" in text
    assert f"Published {timezone.localdate().isoformat()}, next review {post.review_due}" in text
    assert not BLANKS.search(text), BLANKS.search(text)
    changed = text.index("What changed since version 1:")
    assert "up to 280 mg of MDMA, not about 250 mg." in text[changed:]
    # Right under the title, before the summary and the body.
    assert text.index("orange Tesla") < changed < text.index("Pills sold as orange Tesla contain")
    assert changed < text.index("Start with a quarter")


def test_the_replacement_page_opens_with_the_note(author_client, replaced) -> None:
    page = author_client.post(reverse("content:repost_replacement", args=[replaced.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "What changed since version 1:" in html
    assert html.index("What changed since version 1:") < html.index("Start with a quarter")


def test_a_plain_export_does_not_carry_the_note(replaced, author) -> None:
    outcome = exports.export_post(
        post=replaced.post, profile=profile("reddit"), actor=author, final=True
    )
    assert "What changed" not in text_of(outcome)


def test_a_replacement_lists_the_notes_of_each_version_published_since(
    replaced, author, reviewer, second_reviewer
) -> None:
    newer(replaced.post, author, public_change_note="Also: pills are now orange and grey.",
          topics=("drug alert",))  # fmt: skip
    publish_with_two(Post.objects.get(pk=replaced.post.pk), author, reviewer, second_reviewer)
    outcome = exports.export_post(
        post=replaced.post, profile=profile("plain-text"), actor=author, final=True,
        replaces=replaced,
    )  # fmt: skip
    text = text_of(outcome)
    assert text.index("Version 2: The pills tested") < text.index("Version 3: Also: pills")


def test_a_replacement_without_a_note_still_says_which_version_it_replaces(
    published, author, reviewer
) -> None:
    repost = reposts.record_repost(post=published, profile=profile("phpbb"), actor=author,
                                   where="forum", posted_on=timezone.localdate())  # fmt: skip
    save_revision(post=published, author=author, content=content_of(title="Ketamine, bladder"),
                  base_revision_id=published.latest_revision_id)  # fmt: skip
    publish_with_two(Post.objects.get(pk=published.pk), author, reviewer)
    outcome = exports.export_post(post=published, profile=profile("phpbb"), actor=author,
                                  final=True, replaces=repost)  # fmt: skip
    assert "version 2 replaces version 1" in text_of(outcome)


# --- When the note is required, and that it is judged content ----------------------------------


def test_changing_a_published_dose_without_a_note_is_refused(alert, author) -> None:
    with pytest.raises(PublicNoteRequired, match="changes a dose compared with published version"):
        newer(alert, author)
    assert Post.objects.get(pk=alert.pk).latest_revision.number == 1
    newer(alert, author, public_change_note=NOTE)
    assert Post.objects.get(pk=alert.pk).latest_revision.public_change_note == NOTE


@pytest.mark.parametrize(
    ("kind", "changes", "what"),
    [
        ("article", {"body": "Take 20 mg, not more."}, "a dose"),
        ("article", {"body": "Doses: 1,5 g."}, "a dose"),
        ("article", {"substances": ("ketamine", "GHB")}, "the substances"),
        ("article", {"title": "Another title", "summary": "Other."}, ""),
        ("article", {"substances": ("Ketamine",)}, ""),  # the same tag
        ("drug_alert", {"title": "Another title"}, "the title or summary of a drug alert"),
        ("drug_alert", {"summary": "Other."}, "the title or summary of a drug alert"),
        ("drug_alert", {"body": "Reworded: take 10 mg or 1.5 g."}, ""),
    ],
)
def test_the_note_is_required_for_doses_substances_and_drug_alert_headlines(
    kind, changes, what
) -> None:
    old = content_of(body="Take 10 mg or 1.5 g.")
    assert public_note_reason(old, content_of(**({"body": old.body} | changes)), kind=kind) == what


def test_before_the_first_publication_no_note_is_needed(post, author) -> None:
    save_revision(post=post, author=author, content=content_of(body="Take 20 mg."),
                  base_revision_id=post.latest_revision_id)  # fmt: skip
    assert Post.objects.get(pk=post.pk).latest_revision.number == 2


def test_after_a_withdrawal_the_note_is_still_required(alert, author, editor) -> None:
    workflow.withdraw(post=alert, actor=editor, reason="dose wrong")
    with pytest.raises(PublicNoteRequired):
        newer(alert, author)


def test_the_published_texts_own_note_kept_unchanged_does_not_count(replaced, author) -> None:
    with pytest.raises(PublicNoteRequired):
        newer(replaced.post, author, body="Now 300 mg.", public_change_note=NOTE)


def test_the_post_form_refuses_the_change_at_save_and_keeps_the_text(author_client, alert) -> None:
    data = form_data(alert, title="High-dose pills: orange Tesla",
                     summary="Pills sold as orange Tesla contain up to 280 mg of MDMA.",
                     body="Up to 280 mg.", substances="MDMA")  # fmt: skip
    response = author_client.post(reverse("content:post_edit", args=[alert.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200 and "changes a dose" in html and "Up to 280 mg." in html
    assert Post.objects.get(pk=alert.pk).latest_revision.number == 1
    data["public_change_note"] = NOTE
    saved = author_client.post(reverse("content:post_edit", args=[alert.pk]), data)
    assert saved.status_code == 302
    assert Post.objects.get(pk=alert.pk).latest_revision.public_change_note == NOTE


def test_the_note_is_part_of_the_content_hash_and_a_change_voids_approvals(
    post, author, reviewer
) -> None:
    assert content_of().content_hash != content_of(public_change_note="x").content_hash
    assert content_of(public_change_note=" x  y ").content_hash == (
        content_of(public_change_note="x y").content_hash
    )
    post = workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    revision = save_revision(post=post, author=author, content=content_of(public_change_note="x"),
                             base_revision_id=post.latest_revision_id)  # fmt: skip
    assert revision is not None and revision.number == 2
    assert workflow.approvals(revision) == 0
    assert Review.objects.filter(revision__number=1, decision="approve").count() == 1


def test_the_reviewers_diff_shows_the_note(post, author) -> None:
    from content.revisions import compare

    diffs = {d.label: d for d in compare(content_of(), content_of(public_change_note="New dose"))}
    assert diffs["What changed, for readers"].changed
    assert "<ins>New dose</ins>" in diffs["What changed, for readers"].html


# --- The template rule --------------------------------------------------------------------------


def document(**fields: Any) -> ExportDocument:
    values = {"title": "T", "summary": "", "body": "b", "version": 4, "content_hash": "ab12",
              "canonical_url": "https://hr.example.org/en/t/", "approvals": 2} | fields  # fmt: skip
    return ExportDocument(**values)


@pytest.mark.parametrize("slug", SEEDED)
def test_a_draft_preview_in_every_profile_leaves_out_the_dates_it_does_not_have(slug) -> None:
    fields = SEEDED[slug]
    doc = document(onion_url="http://x.onion/en/t/")
    header = render_template(fields["header_template"], doc)
    assert header == "T (version 4, reviewed by 2 professionals)"
    footer = render_template(fields["footer_template"], doc)
    assert footer.startswith("Check this text: ") and footer.endswith("(hash ab12)")


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        ("Published {published}, next review {review_due}. Check: {hash}",
         {"published": "2026-10-01"}, "Published 2026-10-01. Check: ab"),
        ("Published {published}, next review {review_due}. Check: {hash}",
         {"review_due": "2026-11-01"}, "Next review 2026-11-01. Check: ab"),
        ("Published {published}.", {}, ""),
        ("{hash} (due {review_due})", {}, "ab"),
        ("A, B {review_due}, C", {}, "A, C"),
        ("Version {hash} | due {review_due} | end", {}, "Version ab | end"),
        ("First {hash}\nDue {review_due}\nLast", {}, "First ab\nLast"),
        ("{{braces}} [x {review_due}] y", {}, "{braces} y"),
    ],
)  # fmt: skip
def test_a_phrase_whose_placeholder_has_no_value_is_left_out(template, values, expected) -> None:
    assert fill(template, {"hash": "ab", "published": "", "review_due": ""} | values) == expected


def test_a_comma_inside_a_value_never_cuts_a_phrase() -> None:
    assert fill("{title}, due {review_due}", {"title": "Ketamine, bladder", "review_due": ""}) == (
        "Ketamine, bladder"
    )


def test_restoring_the_old_dose_over_the_published_one_is_refused_with_a_message(
    author_client, replaced
) -> None:
    post = Post.objects.get(pk=replaced.post.pk)
    response = author_client.post(
        reverse("content:revision_restore", args=[post.pk, 1]),
        {"base_revision": post.latest_revision_id},
        follow=True,
    )
    assert "Not restored: This text changes a dose" in response.content.decode()
    assert Post.objects.get(pk=post.pk).latest_revision.number == 2


# --- Dates, drafts, limits (the reviewer's gaps) ------------------------------------------------


def test_a_notice_for_text_published_weeks_ago_gives_each_date_in_its_own_place(
    author, reviewer, editor, english
) -> None:
    post = create_post(author=author, language=english, kind=PostKind.ARTICLE, content=content_of())
    post = workflow.submit_for_review(post=post, actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    then = timezone.now() - datetime.timedelta(days=40)
    workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id, at=then)
    post = Post.objects.get(pk=post.pk)
    reposts.record_repost(post=post, profile=profile("plain-text"), actor=author,
                          where="forum", posted_on=timezone.localdate(then))  # fmt: skip
    workflow.withdraw(post=post, actor=editor, reason=INTERNAL)
    repost = Repost.objects.select_related("post", "revision", "profile").get()
    text = text_of(exports.withdrawal_notice(repost=repost, actor=editor))
    published, today = timezone.localdate(then).isoformat(), timezone.localdate().isoformat()
    assert published != today
    assert f"We withdrew this information on {today}." in text
    assert f"It was version 1, published on {published} (content hash" in text
    assert f"Published {published}. Check this text:" in text  # the profile's footer


def test_a_replacement_leaves_out_the_note_of_a_version_that_was_never_published(
    replaced, author, reviewer, second_reviewer
) -> None:
    # Version 3 is reviewed and approved but never published: readers never saw it.
    newer(replaced.post, author, public_change_note="UNPUBLISHED: pills are now blue.",
          topics=("drug alert",))  # fmt: skip
    post = workflow.submit_for_review(post=Post.objects.get(pk=replaced.post.pk), actor=author)
    workflow.approve(post=post, actor=reviewer, revision_id=post.latest_revision_id)
    newer(replaced.post, author, public_change_note="Also: pills are now orange and grey.",
          topics=("drug alert", "pills"))  # fmt: skip
    post = Post.objects.get(pk=replaced.post.pk)
    assert post.latest_revision.number == 4 and post.state == "in_review"
    for approver in (reviewer, second_reviewer):
        workflow.approve(post=post, actor=approver, revision_id=post.latest_revision_id)
    workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)
    outcome = exports.export_post(
        post=replaced.post, profile=profile("plain-text"), actor=author, final=True,
        replaces=replaced,
    )  # fmt: skip
    text = text_of(outcome)
    assert outcome.revision.number == 4
    assert text.index("Version 2: The pills tested") < text.index("Version 4: Also: pills")
    assert "UNPUBLISHED" not in text and "Version 3" not in text


def test_a_reason_for_readers_of_501_characters_is_refused_by_the_form_and_nothing_changes(
    client, alert, editor
) -> None:
    client.force_login(editor)
    response = client.post(
        reverse("content:post_action", args=[alert.pk, "withdraw"]),
        {"reason": INTERNAL, "public_reason": "y" * 501},
        follow=True,
    )
    page = response.content.decode()
    assert "The reason for readers is at most 500 characters; shorten it. Nothing was" in page
    post = Post.objects.get(pk=alert.pk)
    assert (post.state, post.public_reason, post.withdrawn_at) == ("published", "", None)
    assert not post.audit_events.filter(action="withdrawn").exists()
    assert client.get(alert.get_public_url()).status_code == 200
    client.post(
        reverse("content:post_action", args=[alert.pk, "withdraw"]),
        {"reason": INTERNAL, "public_reason": "y" * 500},
    )
    assert Post.objects.get(pk=alert.pk).public_reason == "y" * 500


def test_a_note_for_readers_of_501_characters_is_a_form_error_and_the_text_is_kept(
    author_client, alert
) -> None:
    data = form_data(alert, title="High-dose pills: orange Tesla",
                     summary="Pills sold as orange Tesla contain up to 280 mg of MDMA.",
                     body="Up to 280 mg, weighed again.", substances="MDMA",
                     public_change_note="n" * 501)  # fmt: skip
    response = author_client.post(reverse("content:post_edit", args=[alert.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters (it has 501)." in html
    assert "Up to 280 mg, weighed again." in html and "n" * 501 in html
    assert Post.objects.get(pk=alert.pk).latest_revision.number == 1
    data["public_change_note"] = "n" * 500
    saved = author_client.post(reverse("content:post_edit", args=[alert.pk]), data)
    assert saved.status_code == 302
    assert Post.objects.get(pk=alert.pk).latest_revision.public_change_note == "n" * 500


# Every separator the README names, and the spaced dashes the rule implements.
SEPARATORS = [". ", "; ", ", ", " | ", " \u00b7 ", " - ", " \u2013 ", " \u2014 "]


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_phrase_without_a_value_is_left_out_at_every_separator(sep) -> None:
    values = {"hash": "ab", "review_due": "", "published": "2026-10-01"}
    assert fill(f"Hash {{hash}}{sep}due {{review_due}}{sep}Published {{published}}", values) == (
        f"Hash ab{sep}Published 2026-10-01"
    )
    assert fill(f"Hash {{hash}}{sep}due {{review_due}}", values) == "Hash ab"
    assert fill(f"Due {{review_due}}{sep}Hash {{hash}}", values) == "Hash ab"
    # With a value, nothing is cut: the separator is the template's own text.
    assert fill(f"Hash {{hash}}{sep}due {{review_due}}", values | {"review_due": "x"}) == (
        f"Hash ab{sep}due x"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Check {hash} (due {review_due})", "Check ab"),
        ("Check {hash} [due {review_due}] end", "Check ab end"),
        ("Check {hash} (due {review_due}; from {published})", "Check ab"),
        ("Check {hash} (version 4; due {review_due})", "Check ab (version 4)"),
        ("First {hash}\nDue {review_due}\nNext review {review_due}, {published}\nLast",
         "First ab\nLast"),
    ],
)  # fmt: skip
def test_brackets_and_lines_left_empty_disappear(template, expected) -> None:
    values = {"hash": "ab", "review_due": "", "published": ""}
    assert fill(template, values) == expected
    assert render_template(template, document()) == expected.replace("ab", "ab12")


def test_a_draft_preview_of_an_unpublished_post_reads_check_this_text_with_no_published(
    post, author
) -> None:
    footer = "Published {published}, next review {review_due}. Check this text: {url}"
    plain = profile("plain-text")
    plain.footer_template = footer
    plain.save()
    outcome = exports.export_post(post=post, profile=plain, actor=author, final=False)
    assert not outcome.final
    for part in outcome.parts:
        assert "Published" not in part and "next review" not in part
        lines = [line.strip() for line in part.splitlines()]
        assert f"Check this text: {SITE}{post.get_public_url()}" in lines, part
