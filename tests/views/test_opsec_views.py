"""The opsec check as the team meets it: after saving in the editor, on the post's and the
review page, on the export page, and the editors' override form (and nobody else's)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from content import opsec, roles, workflow
from content.models import AllowedNumber, AuditEvent, OpsecOverride, Post, PostKind
from content.revisions import create_post, save_revision
from tests.support import ONION, SITE, content_of, form_data, publish_latest

BODY = "Frequent use hurts.\nInternal note: ask Jane Doe first."


@pytest.fixture(autouse=True)
def addresses(settings: Any) -> Any:
    settings.PUBLIC_SITE_URL, settings.PUBLIC_ONION_URL = SITE, ONION
    return settings


@pytest.fixture
def jane(make_user: Any) -> Any:
    return make_user("jdoe", roles.EDITORS, first_name="Jane", last_name="Doe", is_staff=True)


@pytest.fixture
def exposed(author, reviewer, english, jane) -> Post:
    post = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(body=BODY)
    )
    return publish_latest(post, author=author, reviewer=reviewer)


def page_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def override_url(post: Post, number: int) -> str:
    return reverse("content:opsec_override", args=[post.pk, number])


def export_url(post: Post) -> str:
    return reverse("content:post_export", args=[post.pk])


def test_the_author_sees_the_findings_after_saving_in_the_editor(author_client, post, jane):
    response = author_client.post(
        reverse("content:post_edit", args=[post.pk]),
        form_data(post, body=BODY, slug=post.slug),
        follow=True,
    )
    page = page_of(response)
    assert "Saved revision 2." in page
    assert "The opsec check found 2 things to look at in this revision, 2 of which block" in page
    assert "body, line 2</strong>: Internal phrase <code>Internal note</code>" in page
    assert "body, line 2</strong>: Team member <code>Jane Doe</code>" in page
    editor_page = page_of(author_client.get(reverse("content:post_edit", args=[post.pk])))
    assert "Opsec check of revision 2" in editor_page and "<code>Jane Doe</code>" in editor_page
    assert 'name="key"' not in editor_page and "Override</button>" not in editor_page


def test_a_clean_save_says_so_on_the_posts_page(author_client, post) -> None:
    response = author_client.post(
        reverse("content:post_edit", args=[post.pk]),
        form_data(post, summary="Why it hurts.", slug=post.slug),
        follow=True,
    )
    page = page_of(response)
    assert "Saved revision 2." in page and "opsec check found" not in page
    assert "Opsec check of revision 2" in page and "Nothing found" in page


def test_restoring_an_exposing_revision_is_checked_like_saving(author_client, author, english):
    post = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(body=BODY)
    )
    save_revision(
        post=post, author=author, content=content_of(), base_revision_id=post.latest_revision_id
    )
    response = author_client.post(
        reverse("content:revision_restore", args=[post.pk, 1]),
        {"base_revision": Post.objects.get(pk=post.pk).latest_revision_id},
        follow=True,
    )
    page = page_of(response)
    assert "Restored revision 1 as new revision 3" in page
    assert "The opsec check found 1 thing to look at in this revision, 1 of which" in page
    assert "Opsec check of revision 3" in page and "<code>Internal note</code>" in page


def test_the_reviewer_sees_the_findings_on_the_review_page(client, post, author, reviewer, jane):
    workflow.submit_for_review(post=post, actor=author)
    client.force_login(reviewer)
    page = page_of(client.get(reverse("content:review_post", args=[post.pk])))
    assert "Opsec check of revision 1" in page and "Nothing found" in page
    post = create_post(
        author=author, language=post.language, kind=PostKind.ARTICLE, content=content_of(body=BODY)
    )
    workflow.submit_for_review(post=post, actor=author)
    page = page_of(client.get(reverse("content:review_post", args=[post.pk])))
    assert "2 findings block a final export" in page
    assert "<code>Internal note</code>" in page and "<code>Jane Doe</code>" in page
    assert "Override</button>" not in page


def test_the_export_page_refuses_a_blocked_final_export_and_an_override_lets_it_through(
    client, exposed, editor
) -> None:
    client.force_login(editor)
    refused = client.post(export_url(exposed), {"profile": "phpbb", "version": "final"})
    page = page_of(refused)
    assert refused.status_code == 409
    assert "Nothing was exported: the opsec check found" in page
    assert "body, line 2: internal phrase “Internal note”" in page and "Jane Doe" in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()

    detail = page_of(client.get(exposed.get_absolute_url()))
    assert detail.count("Override</button>") == 2
    for finding in opsec.run_checks(revision=exposed.published_revision).blocking:
        response = client.post(
            override_url(exposed, 1), {"key": finding.key, "reason": "Agreed with <Jane>."}
        )
        assert response.status_code == 302
    assert OpsecOverride.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.OPSEC_OVERRIDDEN).count() == 2
    detail = client.get(exposed.get_absolute_url()).content.decode()
    assert "Overridden by editor" in detail and "Agreed with &lt;Jane&gt;." in detail

    exported = client.post(export_url(exposed), {"profile": "phpbb", "version": "final"})
    assert exported.status_code == 200 and "Nothing was exported" not in page_of(exported)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).count() == 1


@pytest.mark.parametrize("who", ["author", "reviewer"])
def test_a_crafted_override_by_an_author_or_reviewer_is_forbidden(
    client, exposed, request, who
) -> None:
    client.force_login(request.getfixturevalue(who))
    (finding, *_) = opsec.run_checks(revision=exposed.published_revision).blocking
    response = client.post(override_url(exposed, 1), {"key": finding.key, "reason": "It is fine"})
    assert response.status_code == 403
    assert not OpsecOverride.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.OPSEC_OVERRIDDEN).exists()


def test_an_override_without_a_reason_is_refused_with_a_message(client, exposed, editor):
    client.force_login(editor)
    (finding, *_) = opsec.run_checks(revision=exposed.published_revision).blocking
    response = client.post(
        override_url(exposed, 1), {"key": finding.key, "reason": ""}, follow=True
    )
    assert str(opsec.ERROR_OVERRIDE_REASON) in page_of(response)
    assert not OpsecOverride.objects.exists()


def test_an_override_from_the_review_page_returns_there(client, post, author, editor, jane):
    post = create_post(
        author=author, language=post.language, kind=PostKind.ARTICLE, content=content_of(body=BODY)
    )
    workflow.submit_for_review(post=post, actor=author)
    client.force_login(editor)
    page = page_of(client.get(reverse("content:review_post", args=[post.pk])))
    assert page.count("Override</button>") == 2 and 'value="review"' in page
    finding = opsec.run_checks(revision=post.latest_revision).blocking[0]
    response = client.post(
        override_url(post, 1), {"key": finding.key, "reason": "ok", "back": "review"}
    )
    assert response["Location"] == reverse("content:review_post", args=[post.pk])


def opsec_section(page: str) -> str:
    return page[page.index('id="opsec"') : page.index("</section>", page.index('id="opsec"'))]


def test_matched_text_is_shown_without_direction_or_control_characters_and_cut_short(
    author_client, author, english, make_user
) -> None:
    # A name pasted into the admin from right-to-left text, with the override character.
    make_user("dlevi", roles.AUTHORS, first_name="Dana", last_name="\u202eLevi")
    long_host = "x" * 100 + ".corp"
    body = f"Ask Dana\x1f\u202eLevi.\nSee http://{long_host}/wiki"
    post = create_post(
        author=author, language=english, kind=PostKind.ARTICLE, content=content_of(body=body)
    )
    name, host = opsec.run_checks(revision=post.latest_revision).findings
    assert (name.rule, name.shown) == ("team", "Dana\ufffd\ufffdLevi")
    assert (host.rule, host.shown) == ("host", "x" * (opsec.SHOWN_LIMIT - 1) + "…")

    section = opsec_section(page_of(author_client.get(post.get_absolute_url())))
    assert "body, line 1</strong>: Team member <code>Dana\ufffd\ufffdLevi</code>" in section
    assert "\u202e" not in section and "\x1f" not in section
    assert f"<code>{'x' * (opsec.SHOWN_LIMIT - 1)}…</code>" in section
    assert long_host not in section


def test_the_page_with_findings_reads_the_team_once_whatever_its_size(
    author_client, author, english, jane, make_user, assert_constant_queries
) -> None:
    post = create_post(
        author=author,
        language=english,
        kind=PostKind.ARTICLE,
        content=content_of(body="\n".join([BODY] * 20)),
    )
    made = iter(range(1000))

    def add_rows(n: int) -> None:
        for _ in range(n):
            i = next(made)
            make_user(f"member{i}", roles.AUTHORS, first_name=f"First{i}", last_name="Last")

    response = assert_constant_queries(lambda: author_client.get(post.get_absolute_url()), add_rows)
    assert "40 findings block a final export" in page_of(response)


def test_only_editors_may_override_and_they_keep_the_lists_in_the_admin(
    client, author, reviewer, editor
) -> None:
    assert editor.has_perm("content.override_opsec")
    assert not author.has_perm("content.override_opsec")
    assert not reviewer.has_perm("content.override_opsec")
    client.force_login(editor)
    response = client.post(
        reverse("admin:content_allowednumber_add"), {"number": "078 15 10 20", "label": "Druglijn"}
    )
    assert response.status_code == 302
    assert AllowedNumber.objects.get(label="Druglijn").digits == "078151020"
    assert client.get(reverse("admin:content_opsecphrase_changelist")).status_code == 200
    assert client.get(reverse("admin:content_opsecoverride_add")).status_code == 403
