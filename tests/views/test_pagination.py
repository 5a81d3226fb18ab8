"""Every studio list comes in pages, fetches only what it shows, and runs as many queries at
200 rows as at 10.

Each list is built the same way: a few rows through the real services (posts brought to their
states by content.states, revisions saved, reposts recorded), then as many more as the test
needs written in bulk as copies of those rows, so that 200 rows cost a fraction of a second.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content import reposts, states, workflow
from content.models import AuditEvent, ExportProfile, Notification, Post, PostKind, Revision
from content.revisions import create_post, save_revision
from tests.support import content_of

PAGE = 7  # STUDIO_PAGE_SIZE in these tests: small, so a few rows make several pages
ROWS = 17  # pages of 7, 7 and 3


@pytest.fixture(autouse=True)
def page_size(settings: Any) -> None:
    settings.STUDIO_PAGE_SIZE = PAGE


@dataclass(frozen=True)
class People:
    author: Any
    other_author: Any
    reviewer: Any
    editor: Any
    language: Any


@pytest.fixture
def people(author: Any, other_author: Any, reviewer: Any, editor: Any, english: Any) -> People:
    return People(author, other_author, reviewer, editor, english)


@dataclass(frozen=True)
class Scene:
    """A list with `rows` rows, as `user` opens it: `url` with the list's own `params`."""

    user: Any
    url: str
    rows: int
    params: dict[str, str] = field(default_factory=dict)


# --- Rows: a few through the services, the rest as bulk copies of them ------------------------


def copies[M: models.Model](row: M, count: int, **changes: Any) -> list[M]:
    """`count` more rows like `row` (which a service wrote), in one bulk insert. A change is a
    value, or a function of the copy's index for what must differ from copy to copy."""
    model = type(row)
    values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
    values.pop(model._meta.pk.attname)
    made = [
        model(**values | {k: v(i) if callable(v) else v for k, v in changes.items()})
        for i in range(count)
    ]
    return model.objects.bulk_create(made)


def posts_like(post: Post, count: int) -> list[Post]:
    """`count` more posts in the state `post` is in, each with its own copy of its latest
    revision (which is also their published one when it is `post`'s)."""
    post = Post.objects.get(pk=post.pk)
    revision = post.expect_latest_revision()
    clones = copies(
        post,
        count,
        slug=lambda i: f"{post.slug}-{i}",
        translation_group=lambda i: uuid.uuid4(),
        latest_revision_id=None,
        published_revision_id=None,
    )
    revisions = copies(revision, count, post_id=lambda i: clones[i].pk)
    for clone, copied in zip(clones, revisions, strict=True):
        clone.latest_revision_id = copied.pk
        if post.published_revision_id == revision.pk:
            clone.published_revision_id = copied.pk
    Post.objects.bulk_update(clones, ["latest_revision", "published_revision"])
    return clones


def new_post(people: People, title: str, *, by: Any = None) -> Post:
    return create_post(
        author=by or people.author,
        language=people.language,
        kind=PostKind.ARTICLE,
        content=content_of(title=title),
    )


def in_state(people: People, state: str, title: str) -> Post:
    return states.bring_to_state(
        new_post(people, title),
        state,
        author=people.author,
        reviewers=[people.reviewer],
        editor=people.editor,
        reason="Cite a source for the dose.",
        newer_text="\n\nA newer paragraph.",
    )


def posts_in_every_state(people: People, count: int) -> None:
    """`count` posts by the author, one in each named state and the rest drafts, and one post
    by another author."""
    for state in states.STATES:
        in_state(people, state, f"Post {state}")
    draft = new_post(people, "Draft to copy")
    posts_like(draft, count - len(states.STATES) - 1)
    new_post(people, "Someone else's", by=people.other_author)


def my_posts(people: People, count: int) -> Scene:
    posts_in_every_state(people, count)
    return Scene(people.author, reverse("content:dashboard"), count, {"show": "mine"})


def all_posts(people: People, count: int) -> Scene:
    posts_in_every_state(people, count)
    return Scene(people.editor, reverse("content:dashboard"), count + 1, {"show": "all"})


def post_with_revisions(people: People, count: int) -> Post:
    """A post with `count` revisions: two saved through the services, the rest copies."""
    post = new_post(people, "Many revisions")
    save_revision(
        post=post,
        author=people.author,
        content=content_of(title="Many revisions", body="A second text."),
        base_revision_id=post.latest_revision_id,
        change_note="Second",
    )
    post = Post.objects.get(pk=post.pk)
    latest = post.expect_latest_revision()
    more = copies(latest, count - 2, number=lambda i: i + 3, based_on_id=latest.pk)
    if more:
        post.latest_revision = more[-1]
        post.save(update_fields=["latest_revision"])
    return post


def history(people: People, count: int) -> Scene:
    post = post_with_revisions(people, count)
    return Scene(people.author, reverse("content:post_history", args=[post.pk]), count)


def timeline(people: People, count: int) -> Scene:
    post = new_post(people, "Many events")
    events = AuditEvent.objects.filter(post=post)
    copies(events.latest("pk"), count - events.count())
    return Scene(people.reviewer, reverse("content:post_timeline", args=[post.pk]), count)


def waiting(people: People, count: int) -> Scene:
    posts_like(in_state(people, "in_review", "Waiting"), count - 1)
    return Scene(people.reviewer, reverse("content:review_queue"), count)


def overdue(people: People, count: int) -> Scene:
    posts_like(in_state(people, states.OVERDUE, "Overdue"), count - 1)
    return Scene(people.reviewer, reverse("content:review_queue"), count, {"show": "overdue"})


def notifications(people: People, count: int) -> Scene:
    in_state(people, "in_review", "Tell the reviewer")  # the reviewer is notified
    note = Notification.objects.get(recipient=people.reviewer)
    copies(note, count - 1, message=lambda i: f"Note {i}")
    return Scene(people.reviewer, reverse("content:notifications"), count)


def audit_log(people: People, count: int) -> Scene:
    """Post-created events by the author, filtered out of everything else that happened."""
    post = in_state(people, "published", "Audited")
    created = AuditEvent.objects.get(post=post, action=AuditEvent.Action.POST_CREATED)
    copies(created, count - 1)
    params = {"action": AuditEvent.Action.POST_CREATED, "person": people.author.username}
    return Scene(people.editor, reverse("content:audit_log"), count, params)


def reposted(people: People, count: int) -> Post:
    """A post reposted `count` times (once recorded through the service) and then withdrawn,
    so that every repost is outdated."""
    post = in_state(people, "published", "Reposted")
    first = reposts.record_repost(
        post=post,
        profile=ExportProfile.objects.get(slug="phpbb"),
        actor=people.author,
        where="https://forum.example/t/1",
        posted_on=timezone.localdate(),
    )
    copies(first, count - 1, where=lambda i: f"https://forum.example/t/{i + 2}")
    workflow.withdraw(post=post, actor=people.editor, reason="Outdated advice.")
    return post


def outdated_reposts(people: People, count: int) -> Scene:
    reposted(people, count)
    return Scene(people.author, reverse("content:outdated_reposts"), count)


def post_reposts(people: People, count: int) -> Scene:
    post = reposted(people, count)
    return Scene(people.author, reverse("content:post_reposts", args=[post.pk]), count)


@dataclass(frozen=True)
class Listing:
    build: Callable[[People, int], Scene]
    queries: int  # pinned: the same at every size


# Every page: the session, the user, their permissions (2), the unread-notifications badge, the
# list's count and its page. On top: the post a list is about (history, timeline, a post's
# reposts), the queue's other tab's count, and which of a post's reposts on the page are
# outdated. Written out, not measured, so a new query on any of these pages shows here.
LISTINGS = {
    "dashboard": Listing(my_posts, 7),
    "dashboard-all": Listing(all_posts, 7),
    "history": Listing(history, 8),
    "timeline": Listing(timeline, 8),
    "queue": Listing(waiting, 8),
    "queue-overdue": Listing(overdue, 8),
    "notifications": Listing(notifications, 7),
    "audit-log": Listing(audit_log, 7),
    "outdated-reposts": Listing(outdated_reposts, 7),
    "post-reposts": Listing(post_reposts, 9),
}

# The rows of a list: a table's body, or the items of the timeline or of the notifications.
BODY = re.compile(
    r'<tbody>(.*?)</tbody>|<(?:ol|ul) class="(?:timeline|notifications)">(.*?)</(?:ol|ul)>'
)


def rows_on(response: Any) -> int:
    assert response.status_code == 200
    found = BODY.search(response.content.decode().replace("\n", " "))
    assert found, "no list on the page"
    table, items = found.groups()
    return table.count("<tr") if table is not None else items.count("<li")


def get(client: Any, scene: Scene, **extra: str) -> Any:
    client.force_login(scene.user)
    return client.get(scene.url, scene.params | extra)


# --- The tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("name", LISTINGS)
def test_a_list_runs_the_same_queries_at_10_and_at_200_rows(
    client: Any, people: People, name: str, rows: int, django_assert_num_queries: Any
) -> None:
    listing = LISTINGS[name]
    scene = listing.build(people, rows)
    client.force_login(scene.user)
    with django_assert_num_queries(listing.queries):
        response = client.get(scene.url, scene.params)
    assert rows_on(response) == PAGE


@pytest.mark.parametrize("name", LISTINGS)
def test_a_list_shows_a_page_of_rows_and_its_links_keep_the_other_parameters(
    client: Any, people: People, name: str
) -> None:
    scene = LISTINGS[name].build(people, ROWS)
    first, second = get(client, scene), get(client, scene, page="2")
    assert rows_on(first) == rows_on(second) == PAGE
    keep = urlencode(scene.params).replace("&", "&amp;") + "&amp;" if scene.params else ""
    assert f'href="?{keep}page=2"' in first.content.decode()
    # The first page has one address: without page=1.
    first_page = f'href="?{keep[: -len("&amp;")]}"' if keep else 'href="."'
    assert first_page in second.content.decode() and "page=1" not in second.content.decode()
    assert f'href="?{keep}page=3"' in second.content.decode()


@pytest.mark.parametrize("name", LISTINGS)
def test_a_page_past_the_end_is_the_last_and_a_page_that_is_no_number_the_first(
    client: Any, people: People, name: str
) -> None:
    scene = LISTINGS[name].build(people, ROWS)
    past = get(client, scene, page="999")
    assert rows_on(past) == scene.rows - 2 * PAGE and "Page 3 of 3" in past.content.decode()
    garbled = get(client, scene, page="abc")
    assert rows_on(garbled) == PAGE and "Page 1 of 3" in garbled.content.decode()


@pytest.mark.parametrize("name", LISTINGS)
def test_no_list_fetches_the_text_of_a_revision(client: Any, people: People, name: str) -> None:
    scene = LISTINGS[name].build(people, ROWS)
    client.force_login(scene.user)
    with CaptureQueriesContext(connection) as queries:
        assert rows_on(client.get(scene.url, scene.params)) == PAGE
    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert "content_revision" in sql or name == "notifications"
    # What is fetched: the columns each SELECT lists, where one key read out of a JSON column
    # (an alert's expiry date) is not its text; a WHERE may test anything.
    fetched = ONE_KEY.sub("", "\n".join(SELECTED.findall(sql)))
    for column in Revision.TEXT_FIELDS:
        assert f'."{column}"' not in fetched, f"{name} selects {column}"


SELECTED = re.compile(r"SELECT (.*?) FROM ", re.DOTALL)
ONE_KEY = re.compile(r"""\."facts"(?:, '\$\.| -> | ->> )""")


POST_LINK = re.compile(r'href="/studio/posts/(\d+)/"')


def test_an_authors_dashboard_shows_only_their_posts_on_every_page(
    client: Any, people: People
) -> None:
    scene = my_posts(people, ROWS)
    for n in range(ROWS):  # as many of someone else's, written between the author's
        new_post(people, f"Not yours {n}", by=people.other_author)
    shown = [
        int(pk)
        for page in ("1", "2", "3")
        for pk in POST_LINK.findall(get(client, scene, page=page).content.decode())
    ]
    mine = Post.objects.filter(created_by=people.author).values_list("pk", flat=True)
    assert sorted(shown) == sorted(mine) and len(shown) == ROWS


def test_mark_read_marks_every_unread_notification_not_only_the_page(
    client: Any, people: People
) -> None:
    scene = notifications(people, ROWS)
    assert 'class="badge">17<' in get(client, scene).content.decode()
    client.post(scene.url)
    assert not Notification.objects.filter(recipient=people.reviewer).unread().exists()


def test_a_page_of_history_compares_within_it_and_any_two_revisions_by_number(
    client: Any, people: People
) -> None:
    post = post_with_revisions(people, ROWS)
    client.force_login(people.author)
    url = reverse("content:post_history", args=[post.pk])
    page = client.get(url, {"page": "2"}).content.decode()
    # r10 to r4: the first two are picked, none is the latest, each can be restored.
    assert re.search(r'name="to" value="10"[^>]*checked', page)
    assert re.search(r'name="from" value="9"[^>]*checked', page)
    assert "(latest)" not in page and page.count(">Restore</button>") == PAGE
    assert 'name="from" min="1" max="17"' in page
    compare = client.get(
        reverse("content:revision_compare", args=[post.pk]), {"from": "1", "to": "17"}
    )
    assert compare.status_code == 200 and "revision 1 → 17" in compare.content.decode()
    assert "r17</a> <small>(latest)</small>" in client.get(url).content.decode()


def test_the_queue_says_how_many_posts_the_other_tab_holds(client: Any, people: People) -> None:
    in_state(people, states.OVERDUE, "Overdue")
    page = get(client, waiting(people, 3)).content.decode()
    assert "Waiting for your review (3)" in page and "Overdue for re-review (1)" in page
