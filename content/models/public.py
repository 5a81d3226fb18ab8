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

from django.db import models
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
        """The version now (one small query on every public request: kept to two columns)."""
        row = cls.objects.filter(pk=ROW).values_list("number", "changed_at").first()
        number, changed_at = row or (0, EPOCH)
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
