"""The opsec lint: each rule finds its case and passes clean text; final exports stop at a
blocking finding until an editor overrides it, for that revision only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content import exports, opsec, opsec_rules, roles
from content.models import AllowedNumber, AuditEvent, OpsecOverride, OpsecPhrase, Post, PostKind
from content.revisions import Source, create_post, save_revision
from tests.support import ONION, SITE, content_of, publish_latest

STUDIO = "https://studio.hr-team.example"


@pytest.fixture(autouse=True)
def addresses(settings: Any) -> Any:
    settings.STUDIO_BASE_URL = STUDIO
    settings.PUBLIC_SITE_URL = SITE
    settings.PUBLIC_ONION_URL = ONION
    return settings


@pytest.fixture
def jane(make_user: Any) -> Any:
    return make_user(
        "jdoe",
        roles.AUTHORS,
        first_name="Jane",
        last_name="Doe",
        email="jane.doe@team.example",
    )


@pytest.fixture
def outsiders(make_user: Any) -> None:
    """People whose names are no secret of the team: a former member, a reader's account."""
    make_user("ogone", roles.AUTHORS, first_name="Olaf", last_name="Gone", is_active=False)
    make_user("nora", first_name="Nora", last_name="Outsider")


def written(author: Any, language: Any, *, slug: str = "", **changes: Any) -> Post:
    return create_post(
        author=author,
        language=language,
        kind=PostKind.ARTICLE,
        slug=slug,
        content=content_of(**changes),
    )


def findings(post: Post) -> list[opsec.Finding]:
    return list(opsec.run_checks(revision=post.latest_revision, post=post).findings)


LINES = "Start low.\nGo slow.\n"

# (what the revision says, rule, where, shown, blocks)
CASES = [
    ({"body": "Ask Jane Doe about it."}, "team", "body, line 1", "Jane Doe", True),
    ({"body": "ask JANE  DOE"}, "team", "body, line 1", "JANE  DOE", True),
    ({"summary": "As Doe, Jane wrote."}, "team", "summary, line 1", "Doe, Jane", True),
    ({"body": LINES + "Mail jane.doe@team.example"}, "team", "body, line 3",
     "jane.doe@team.example", True),
    ({"title": "Tips from jdoe"}, "team", "title", "jdoe", True),
    ({"topics": ("jdoe",)}, "team", "tag “jdoe”", "jdoe", True),
    ({"sources": (Source("Wiki", "http://intranet.local/wiki"),)}, "host", "source 1, URL",
     "intranet.local", True),
    ({"sources": (Source("Notes on 192.168.1.20"),)}, "host", "source 1, title",
     "192.168.1.20", True),
    ({"body": "See http://localhost:8000/x"}, "host", "body, line 1", "localhost", True),
    ({"body": "See 10.0.0.7 and"}, "host", "body, line 1", "10.0.0.7", True),
    ({"body": "loopback 127.0.0.1:8000"}, "host", "body, line 1", "127.0.0.1", True),
    ({"body": "link-local [fe80::1]"}, "host", "body, line 1", "fe80::1", True),
    ({"body": "the printer.lan and"}, "host", "body, line 1", "printer.lan", True),
    ({"body": "nas.home.arpa"}, "host", "body, line 1", "nas.home.arpa", True),
    ({"body": "[wiki](http://wiki/page)"}, "host", "body, line 1", "wiki", True),
    ({"body": "See https://git.internal/x"}, "host", "body, line 1", "git.internal", True),
    ({"body": "on files.corp today"}, "host", "body, line 1", "files.corp", True),
    ({"body": "from 172.16.0.1 on"}, "host", "body, line 1", "172.16.0.1", True),
    ({"body": "from 172.31.255.254 on"}, "host", "body, line 1", "172.31.255.254", True),
    ({"body": "link-local 169.254.3.4"}, "host", "body, line 1", "169.254.3.4", True),
    ({"body": "loopback [::1]:8000"}, "host", "body, line 1", "::1", True),
    ({"body": "Call (555) 123-4567 now"}, "phone", "body, line 1", "(555) 123-4567", True),
    ({"body": "Call 555-123-4567 now"}, "phone", "body, line 1", "555-123-4567", True),
    ({"body": "Call 555.123.4567 now"}, "phone", "body, line 1", "555.123.4567", True),
    ({"body": "Log in at studio.hr-team.example."}, "studio", "body, line 1",
     "studio.hr-team.example", True),
    ({"body": "Internal note: check this"}, "phrase", "body, line 1", "Internal note", True),
    ({"body": "INTERN: klopt dit?"}, "phrase", "body, line 1", "INTERN:", True),
    ({"summary": "Une note interne."}, "phrase", "summary, line 1", "note interne", True),
    ({"body": "Een interne notitie"}, "phrase", "body, line 1", "interne notitie", True),
    ({"title": "Ketamine TODO"}, "phrase", "title", "TODO", True),
    ({"body": "Call 0478 12 34 56."}, "phone", "body, line 1", "0478 12 34 56", True),
    ({"body": "or +32 478 12.34.56"}, "phone", "body, line 1", "+32 478 12.34.56", True),
    ({"body": "Take 100 µg", "substances": ("MDMA",)}, "dose", "body, line 1", "100 µg", False),
    ({"body": "Take 100mg", "substances": ("LSD",)}, "dose", "body, line 1", "100mg", True),
    ({"body": "Take 1 mg", "substances": ("25I-NBOMe",)}, "dose", "body, line 1", "1 mg", True),
    ({"body": "Take 20 mcg", "substances": ("2C-B",)}, "dose", "body, line 1", "20 mcg", False),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "rule", "where", "shown", "blocks"), CASES)
def test_each_rule_finds_its_case(
    author, english, jane, changes, rule, where, shown, blocks
) -> None:
    post = written(author, english, slug="a-plain-address", **changes)
    found = [(f.rule, f.where, f.shown, f.blocks) for f in findings(post)]
    assert found == [(rule, where, shown, blocks)]


@pytest.mark.parametrize(
    ("slug", "rule", "shown"),
    [
        ("jane-doe-explains", "team", "jane doe"),
        ("tips-by-jdoe", "team", "jdoe"),
        ("internal-note-ketamine", "phrase", "internal note"),
        ("todo-ketamine", "phrase", "todo"),
        ("call-0478-12-34-56", "phone", "0478 12 34 56"),
        ("localhost-setup", "host", "localhost"),
    ],
)
def test_the_slug_is_checked_like_the_text(author, english, jane, slug, rule, shown) -> None:
    post = written(author, english, slug=slug)
    found = [(f.rule, f.where, f.shown) for f in findings(post)]
    assert found == [(rule, "address (slug)", shown)]


CLEAN = [
    {},
    {"body": "Janet Doe and Jane Does are other people, as are jdoes and xjdoe."},
    {"body": "Ask an editor, an author or a reviewer."},  # role accounts' generic names
    {"body": "Olaf Gone and Nora Outsider are not on the team."},
    {"body": "Ask at your local pharmacy; the corp. is closed. Shared at 12:30:45."},
    {"body": "Consulted 2026-10-01 and 01-12-2026; 100 150 200 people; see "
             "https://pubmed.example.org/12345678 and ?id=0478123456"},
    {"body": "In an emergency call 112. Druglijn: +32 78 15 10 20 or 078 15 10 20."},
    {"body": "Open 09.00-17.00 and 09.00 - 12.30, from 05/12/2026; 0.000125 g."},
    {"body": "Public sites: 8.8.8.8, https://hr.example.org/en/ and " + ONION},
    {"body": "Public addresses 172.32.0.1 and 172.15.255.255 and 192.169.0.1"},
    {"body": "MDMA: 1.5 mg/kg, at most 120 mg. Test 0.5 g.", "substances": ("MDMA",)},
    {"body": "LSD 100 µg; 1P-LSD 150 μg; 1 ug", "substances": ("LSD", "1P-LSD")},
    {"body": "MDMA 100 mg and LSD 100 µg are different.", "substances": ("MDMA", "LSD")},
    {"body": "Ketamine 100 µg", "substances": ()},  # no tag: no table entry applies
    {"body": "A note on internals; intern Jan; todos"},
]  # fmt: skip


@pytest.mark.parametrize("changes", CLEAN)
def test_clean_text_has_no_findings(author, english, jane, outsiders, changes) -> None:
    AllowedNumber.objects.create(number="078 15 10 20", label="Druglijn")
    post = written(author, english, **changes)
    assert findings(post) == []


@pytest.mark.parametrize("written_as", ["+32 78 15 10 20", "0032 78 151 020", "078/15.10.20"])
def test_a_helpline_on_the_allowed_list_is_spared_however_it_is_written(
    author, english, written_as
) -> None:
    post = written(author, english, body=f"Druglijn: {written_as}.")
    assert [(f.rule, f.shown) for f in findings(post)] == [("phone", written_as)]
    AllowedNumber.objects.create(number="078 15 10 20", label="Druglijn")
    assert findings(post) == []


def test_the_migration_seeds_phrases_and_editors_add_more(author, english) -> None:
    seeded = set(OpsecPhrase.objects.values_list("phrase", flat=True))
    assert {"internal note", "intern:", "note interne", "interne notitie", "TODO"} <= seeded
    OpsecPhrase.objects.create(phrase="niet publiceren")
    post = written(author, english, body="NIET PUBLICEREN aub")
    assert [(f.rule, f.shown) for f in findings(post)] == [("phrase", "NIET PUBLICEREN")]


def test_the_studio_host_is_public_when_the_public_site_is_served_from_it(
    author, english, settings
) -> None:
    settings.PUBLIC_SITE_URL = STUDIO
    post = written(author, english, body="Read it on studio.hr-team.example.")
    assert findings(post) == []


def test_a_new_team_member_is_found_at_once(author, english, make_user) -> None:
    post = written(author, english, body="Thanks to Piet Janssens.")
    assert findings(post) == []
    make_user("pjanssens", roles.REVIEWERS, first_name="Piet", last_name="Janssens")
    assert [f.reason for f in findings(post)] == ["a team member's full name"]


def test_the_part_of_an_email_address_before_the_at_is_found_as_a_word(
    author, english, make_user
) -> None:
    make_user("jd", roles.REVIEWERS, email="j.doe.team@mail.example")
    post = written(author, english, body="Write to j.doe.team, not to xj.doe.teamx.")
    found = [(f.rule, f.shown, f.reason) for f in findings(post)]
    assert found == [("team", "j.doe.team", "a team member's user name")]


@pytest.mark.parametrize(
    ("extra", "on_the_team"),
    [
        ({"is_staff": True}, True),
        ({"is_superuser": True}, True),
        ({}, False),  # an active account with no role and no staff flag: a reader, say
    ],
)
def test_staff_and_superusers_without_a_role_are_team_members(
    author, english, make_user, extra, on_the_team
) -> None:
    make_user("ssmit", first_name="Sam", last_name="Smit", **extra)
    post = written(author, english, body="Thanks to Sam Smit.")
    expected = [("team", "Sam Smit")] if on_the_team else []
    assert [(f.rule, f.shown) for f in findings(post)] == expected


def test_user_names_shorter_than_three_characters_are_not_matched(
    author, english, make_user
) -> None:
    make_user("jd", roles.AUTHORS, first_name="Jo", last_name="Dee", email="jd@team.example")
    post = written(author, english, body="As jd said, ask Jo Dee.")
    assert [(f.rule, f.shown) for f in findings(post)] == [("team", "Jo Dee")]


@pytest.mark.parametrize("name", ["admin", "info", "editor", "support", "webmaster", "redactie"])
def test_role_accounts_names_are_not_matched(author, english, make_user, name) -> None:
    assert name in opsec_rules.GENERIC_USERNAMES
    # Its full name is still found: the account is on the team, only its generic names are spared.
    make_user(name, roles.EDITORS, first_name="Ina", last_name="Fo", email=f"{name}@team.example")
    post = written(author, english, body=f"Ask the {name} desk, or Ina Fo.")
    assert [(f.rule, f.shown) for f in findings(post)] == [("team", "Ina Fo")]


# (substance tag, what the body says, blocks): µg for an mg substance reads as an underdose and
# warns; mg or g for a µg substance reads as an overdose and blocks.
DOSE_CASES = [
    ("ketamine", "100 µg", False),
    ("cocaine", "50 mcg", False),
    ("amphetamine", "20 ug", False),
    ("LSD", "100 mg", True),
    ("LSD", "1 g", True),
    ("1P-LSD", "150 mg", True),
    ("1P-LSD", "1 g", True),
    ("AL-LAD", "100 mg", True),
    ("AL-LAD", "2 g", True),
    ("25C-NBOMe", "500 mg", True),
    ("25C-NBOMe", "1 g", True),
]


@pytest.mark.parametrize(("substance", "dose", "blocks"), DOSE_CASES)
def test_a_dose_in_a_wrong_unit_for_the_tagged_substance_is_found(
    author, english, substance, dose, blocks
) -> None:
    post = written(author, english, body=f"Take {dose} at most.", substances=(substance,))
    assert [(f.rule, f.shown, f.blocks) for f in findings(post)] == [("dose", dose, blocks)]


def test_a_line_naming_some_tagged_substances_counts_only_those(author, english) -> None:
    body = "LSD: 100 mg is far too much.\nMDMA: 100 µg does nothing.\nTake 100 mg or 100 µg."
    post = written(author, english, body=body, substances=("MDMA", "LSD"))
    found = [(f.where, f.shown, f.blocks, f.reason) for f in findings(post)]
    assert found == [
        ("body, line 1", "100 mg", True, "LSD is dosed in µg, not mg"),
        ("body, line 2", "100 µg", False, "MDMA is dosed in mg, not µg"),
    ]  # line 3 names neither: each unit is right for one of them


def test_each_finding_says_where_why_and_what_to_do(author, english, jane) -> None:
    post = written(author, english, body=LINES + "Ask Jane Doe.")
    (finding,) = findings(post)
    assert str(finding) == "body, line 3: team member “Jane Doe” (a team member's full name)"
    assert finding.advice and finding.blocking and finding.key.startswith("team-")


def test_matched_text_is_shown_without_control_characters_and_short() -> None:
    assert opsec.shown_safely("Jane\u202eDoe\x00") == "Jane\ufffdDoe\ufffd"
    assert len(opsec.shown_safely("x" * 500)) == opsec.SHOWN_LIMIT


def test_keys_are_stable_for_a_revision_and_distinct_per_occurrence(author, english, jane) -> None:
    post = written(author, english, body="Jane Doe, Jane Doe")
    first, second = findings(post)
    assert first.key != second.key
    assert [f.key for f in findings(post)] == [first.key, second.key]


def test_the_team_is_read_once_per_run_whatever_its_size(
    author, english, make_user, django_assert_num_queries
) -> None:
    post = written(author, english, body="Jane Doe\n" * 30, substances=("MDMA",))

    def run() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            opsec.run_checks(revision=post.latest_revision, post=post)
        return [q["sql"] for q in queries.captured_queries]

    make_user("u0", roles.AUTHORS, first_name="A", last_name="Zero")
    few = run()
    for n in range(1, 15):
        make_user(f"user{n}", roles.REVIEWERS, first_name=f"N{n}", last_name="Person")
    many = run()
    assert len(many) == len(few) <= 6
    assert sum('FROM "auth_user"' in sql for sql in many) == 1


# --- Final exports and overrides ----------------------------------------------------------------


@pytest.fixture
def exposed(author, reviewer, english, jane) -> Post:
    """Published, with one team member's name in its body."""
    post = written(author, english, body="Frequent use hurts.\nAsk Jane Doe for advice.")
    return publish_latest(post, author=author, reviewer=reviewer)


def export_final(post: Post, actor: Any) -> exports.Outcome:
    profile = exports.ExportProfile.objects.get(slug="phpbb")
    return exports.export_post(post=post, profile=profile, actor=actor, final=True)


def test_a_blocking_finding_refuses_the_final_export_with_the_finding_and_what_to_do(
    exposed, author
) -> None:
    with pytest.raises(exports.NotExportable) as refused:
        export_final(exposed, author)
    message = str(refused.value)
    assert "Nothing was exported" in message and "body, line 2" in message
    assert "“Jane Doe”" in message and "Remove the name" in message
    assert "override" in message
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_a_preview_is_not_refused(exposed, author) -> None:
    profile = exports.ExportProfile.objects.get(slug="phpbb")
    outcome = exports.export_post(post=exposed, profile=profile, actor=author, final=False)
    assert not outcome.final


def test_a_warning_does_not_refuse_the_final_export(author, reviewer, english) -> None:
    post = written(author, english, body="Take 100 µg", substances=("MDMA",))
    post = publish_latest(post, author=author, reviewer=reviewer)
    assert export_final(post, author).final


def test_an_editors_override_lets_the_export_through_and_is_audited(exposed, author, editor):
    revision = exposed.published_revision
    (finding,) = opsec.run_checks(revision=revision).blocking
    override = opsec.override_finding(
        revision=revision, key=finding.key, actor=editor, reason="Jane is our public spokesperson."
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.OPSEC_OVERRIDDEN)
    assert (event.actor, event.revision, event.post) == (editor, revision, exposed)
    assert event.details["key"] == finding.key and event.details["where"] == "body, line 2"
    assert event.details["reason"] == "Jane is our public spokesperson."
    assert opsec.run_checks(revision=revision).findings[0].override == override
    assert export_final(exposed, author).final


@pytest.mark.parametrize("who", ["author", "reviewer"])
def test_nobody_but_an_editor_may_override(exposed, request, who) -> None:
    actor = request.getfixturevalue(who)
    revision = exposed.published_revision
    (finding,) = opsec.run_checks(revision=revision).blocking
    with pytest.raises(opsec.OverrideNotPermitted):
        opsec.override_finding(revision=revision, key=finding.key, actor=actor, reason="fine")
    assert not OpsecOverride.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.OPSEC_OVERRIDDEN).exists()


@pytest.mark.parametrize(
    ("key", "reason", "error"),
    [
        ("good", "  ", opsec.ERROR_OVERRIDE_REASON),
        ("team-0000000000000000", "fine", opsec.ERROR_NO_SUCH_FINDING),
        ("good", "x" * 1001, opsec.ERROR_OVERRIDE_TOO_LONG.format(limit=1000)),
    ],
)
def test_an_override_needs_a_reason_and_a_real_finding(exposed, editor, key, reason, error):
    revision = exposed.published_revision
    key = opsec.run_checks(revision=revision).blocking[0].key if key == "good" else key
    with pytest.raises(opsec.OpsecError) as refused:
        opsec.override_finding(revision=revision, key=key, actor=editor, reason=reason)
    assert str(refused.value) == error
    assert not OpsecOverride.objects.exists()


def test_a_warning_cannot_be_overridden_and_an_override_is_not_repeated(
    author, english, editor, jane
) -> None:
    post = written(author, english, body="Take 100 µg\nJane Doe", substances=("MDMA",))
    revision = post.latest_revision
    warning, blocking = opsec.run_checks(revision=revision).findings
    with pytest.raises(opsec.OpsecError, match="no such blocking finding"):
        opsec.override_finding(revision=revision, key=warning.key, actor=editor, reason="ok")
    opsec.override_finding(revision=revision, key=blocking.key, actor=editor, reason="ok")
    with pytest.raises(opsec.OpsecError, match="already overridden"):
        opsec.override_finding(revision=revision, key=blocking.key, actor=editor, reason="ok")


def test_an_override_does_not_carry_over_to_a_new_revision(exposed, author, reviewer, editor):
    revision = exposed.published_revision
    (finding,) = opsec.run_checks(revision=revision).blocking
    opsec.override_finding(revision=revision, key=finding.key, actor=editor, reason="Spokesperson")
    save_revision(
        post=exposed,
        author=author,
        content=content_of(body="Frequent use hurts.\nAsk Jane Doe for advice.", summary="New."),
        base_revision_id=revision.pk,
    )
    post = publish_latest(Post.objects.get(pk=exposed.pk), author=author, reviewer=reviewer)
    assert post.published_revision.number == 2
    with pytest.raises(exports.NotExportable, match="revision 2"):
        export_final(post, author)


def test_a_bulk_export_skips_a_blocked_post_and_says_why(exposed, tmp_path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "out"
    call_command("export_posts", "--profile", "phpbb", "--out", str(target), stdout=out, stderr=err)
    assert "Wrote 0 post(s)" in out.getvalue() and "skipped 1" in out.getvalue()
    assert f"skipped en/{exposed.slug}: Nothing was exported" in err.getvalue()
    assert list(target.iterdir()) == []


def test_export_post_refuses_a_blocked_post_with_the_findings_reason_and_exit_code_1(
    exposed,
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("export_post", exposed.slug, "--profile", "phpbb", stdout=out, stderr=err)
    assert refused.value.returncode == 1
    message = str(refused.value)
    assert message.startswith("Nothing was exported: the opsec check found")
    assert "body, line 2: team member “Jane Doe” (a team member's full name)" in message
    assert out.getvalue() == ""
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()
