"""Nothing but published text leaves the API: one database full of what must stay inside (names,
e-mail addresses, drafts, reviews and their reasons, change notes, internal notes,
notifications, audit hashes), and every endpoint walked, each answer searched for all of it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from content import addresses, roles, workflow
from content.models import AuditEvent, Notification, Post, PostKind, Review, Revision, Tag
from content.revisions import create_post, save_revision
from tests.support import content_of

SECRET_WORDS = [
    "Secret draft title QX",
    "Unreviewed body QX",
    "change note QX",
    "review reason QX",
    "approval note QX",
    "internal withdrawal QX",
    "archive note QX",
    "never published QX",
]


def people(make_user) -> dict[str, Any]:
    made = {}
    for role, group in (
        ("author", roles.AUTHORS),
        ("reviewer", roles.REVIEWERS),
        ("second", roles.REVIEWERS),
        ("editor", roles.EDITORS),
    ):
        made[role] = make_user(
            f"zq{role}user",
            group,
            first_name=f"Firstzq{role}",
            last_name=f"Lastzq{role}",
            email=f"zq{role}@internal.example",
            is_staff=role == "editor",
        )
    return made


def fill(who: dict[str, Any], languages) -> None:
    """Posts in every state, each carrying something that must not leave the studio."""
    author, reviewer, second, editor = who["author"], who["reviewer"], who["second"], who["editor"]

    def new(title: str, language: str = "en", kind: str = PostKind.ARTICLE, **kw: Any) -> Post:
        return create_post(
            author=author,
            language=languages[language],
            kind=kind,
            content=content_of(title=title, **kw),
            change_note=f"First change note QX for {title}",
        )

    def publish(post: Post) -> Post:
        workflow.submit_for_review(post=post, actor=author)
        workflow.approve(
            post=post, actor=reviewer, revision_id=post.latest_revision_id, note="approval note QX"
        )
        workflow.approve(post=post, actor=second, revision_id=post.latest_revision_id)
        return workflow.publish(post=post, actor=author, revision_id=post.latest_revision_id)

    def newer_draft(post: Post, **changes: Any) -> Post:
        save_revision(
            post=post,
            author=author,
            content=content_of(
                title="Secret draft title QX",
                body="Unreviewed body QX",
                public_change_note="Corrected.",
                **changes,
            ),
            base_revision_id=Post.objects.get(pk=post.pk).latest_revision_id,
            change_note="Draft change note QX",
        )
        return Post.objects.get(pk=post.pk)

    # Published, with a newer revision in review and one with changes requested.
    live = publish(new("Public alert one", kind=PostKind.DRUG_ALERT, topics=("testing",)))
    workflow.submit_for_review(post=newer_draft(live, topics=("testing",)), actor=author)
    other = publish(new("Public article two", language="nl"))
    other = newer_draft(other, substances=("ketamine", "secretsubstanceqx"))
    workflow.submit_for_review(post=other, actor=author)
    workflow.request_changes(
        post=other, actor=reviewer, revision_id=other.latest_revision_id, reason="review reason QX"
    )
    # A translation of the first, published.
    publish(
        create_post(
            author=author,
            language=languages["fr"],
            kind=PostKind.DRUG_ALERT,
            content=content_of(title="Alerte publique", topics=("testing",)),
            translation_of=live,
            change_note="Translation change note QX",
        )
    )
    # Withdrawn with an internal reason; archived with a note.
    gone = publish(new("Withdrawn text"))
    workflow.withdraw(
        post=gone, actor=editor, reason="internal withdrawal QX", public_reason="Wrong dose."
    )
    old = publish(new("Archived text"))
    workflow.archive(post=old, actor=editor, note="archive note QX")
    # Never published: a draft, and a draft in review.
    new("never published QX draft")
    workflow.submit_for_review(post=new("never published QX in review"), actor=author)
    # Moved: the old address redirects.
    moved = publish(new("Moved text"))
    addresses.change_slug(post=moved, actor=editor, slug="moved-here", keep_old_address=True)


def secrets(who: dict[str, Any]) -> set[str]:
    found = set(SECRET_WORDS)
    for user in get_user_model().objects.all():
        found |= {user.username, user.email, user.first_name, user.last_name} - {""}
    public = {post.published_revision_id for post in Post.objects.published()}
    for revision in Revision.objects.exclude(pk__in=public):
        found |= {revision.content_hash, revision.title}
    found |= {r.change_note for r in Revision.objects.all()} - {""}
    found |= {p.state_note for p in Post.objects.all()} - {""}
    found |= {r.reason for r in Review.objects.all()} - {""}
    found |= {n.message for n in Notification.objects.all()}
    found |= {event.hash for event in AuditEvent.objects.all()}
    assert Notification.objects.exists() and Review.objects.exclude(reason="").exists()
    return found


def walk(client) -> dict[str, Any]:
    """Every endpoint, with every filter value, every page, every post; path -> response."""
    answers: dict[str, Any] = {}

    def get(path: str, method: str = "get", **query: Any) -> Any:
        response = getattr(client, method)(path, query or None)
        answers[f"{method.upper()} {path} {query}"] = response
        return response

    posts = "/api/v1/posts/"
    get(posts)
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    filters = [{"updated_since": since}, {"kind": "nope"}, {"page_size": "1000"}]
    filters += [{"language": code} for code in ("en", "nl", "fr", "de")]
    filters += [{"kind": kind} for kind in PostKind.values]
    filters += [{"substance": t.slug} for t in Tag.objects.filter(kind=Tag.Kind.SUBSTANCE)]
    filters += [{"topic": t.slug} for t in Tag.objects.filter(kind=Tag.Kind.TOPIC)]
    for query in filters:
        get(posts, **query)
    page = get(posts, page_size="1").json()
    while page["next"]:
        page = get(page["next"]).json()
    get(posts, page="99")
    for post in Post.objects.select_related("language"):
        path = f"/api/v1/posts/{post.language.code}/{post.slug}/"
        get(path)
        get(path, method="head")
        get(path, method="options")
        get(path, method="post")
    for old in ("moved-text",):
        get(f"/api/v1/posts/en/{old}/")
    get(posts, method="options")
    get("/api/v1/schema/")
    get("/api/v1/schema/", format="json")
    get("/api/v1/docs/")
    get("/api/v1/docs/", script="")
    get("/api/v1/")
    get("/api/v1/posts/en/")
    return answers


def test_no_name_draft_note_review_notification_or_audit_data_leaves_the_api(
    client, make_user, languages, export_settings, signed_profile
):
    who = people(make_user)
    fill(who, languages)
    hidden = secrets(who)
    answers = walk(client)
    statuses = {response.status_code for response in answers.values()}
    assert {200, 301, 400, 404, 405, 410} <= statuses
    seen = ""
    for request, response in answers.items():
        text = (
            response.content.decode()
            + "\n"
            + "\n".join(f"{name}: {value}" for name, value in response.headers.items())
        )
        leaked = [secret for secret in hidden if secret in text]
        assert not leaked, (request, leaked)
        seen += text
    # The walk saw what is public: published titles, the signed copies, the public reason.
    for public in (
        "Public alert one",
        "Alerte publique",
        "Wrong dose.",
        "BEGIN PGP SIGNED MESSAGE",
    ):
        assert public in seen, public
