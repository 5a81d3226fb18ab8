"""What the public site shows, as one number: the key of every cached public page.

A published revision never changes, so a public page is a function of the posts' pointers and
states, a few settings and the code. Every change to what the public site shows (a publication,
a withdrawal, a review date, an address, a tag or language name) raises `PublicVersion.number` in
the same transaction, so a cached page keyed by it can never outlive the text it shows. It is
one row, not a time stamp per post: updating one row serialises the writers, so the number a
reader sees is never older than the content committed with it (time stamps taken before a
commit can be overtaken).
"""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import F
from django.utils import timezone

ROW = 1
# Before any change was recorded (a database emptied by a test's flush).
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class PublicVersion(models.Model):
    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=ROW), name="one_public_version")
        ]

    def __str__(self) -> str:
        return f"public version {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def bump(cls) -> None:
        """Everything public may have changed: cached public pages are stale from now on.
        Call it inside the transaction that makes the change."""
        now = timezone.now()
        if not cls.objects.filter(pk=ROW).update(number=F("number") + 1, changed_at=now):
            # A database emptied by a test's flush: start again, as the migration did.
            cls.objects.get_or_create(pk=ROW, defaults={"number": 1, "changed_at": now})

    @classmethod
    def current(cls) -> PublicVersion:
        """The version now: the one query of a cached public page. Written as SQL because
        building it with the ORM cost more than running it (60% of a cached page's time)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {table} WHERE id = %s", [ROW])  # noqa: S608 - the table's own name
            row = cursor.fetchone()
        if row is None:
            return cls(pk=ROW, number=0, changed_at=EPOCH)
        number, changed_at = row
        if isinstance(changed_at, str):  # SQLite may hand back text
            changed_at = datetime.datetime.fromisoformat(changed_at)
        if changed_at.tzinfo is None:  # SQLite: naive, in UTC as Django stores it
            changed_at = changed_at.replace(tzinfo=datetime.UTC)
        return cls(pk=ROW, number=number, changed_at=changed_at)


class PublicWord(models.Model):
    """A distinct longer word of a revision readers could have seen (content.public_words):
    `/verify/` looks an unsigned paste's words up here instead of reading every text."""

    revision = models.ForeignKey("content.Revision", on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["word", "revision"], name="unique_public_word")
        ]

    def __str__(self) -> str:
        return self.word


class SearchDocument(models.Model):
    """The published text of one revision as PostgreSQL's full-text search reads it
    (content.search): title and tags, summary and body, stemmed in the post's language, with
    weights A, B and C. Written when the revision is published, on PostgreSQL only; a GIN index
    on `vector` (migration 0017) finds matches without reading any text. Not kept in backups:
    a restore writes them again."""

    revision = models.OneToOneField(
        "content.Revision", primary_key=True, on_delete=models.CASCADE, related_name="search"
    )
    vector = SearchVectorField()

    def __str__(self) -> str:
        return f"search document of revision {self.revision_id}"
