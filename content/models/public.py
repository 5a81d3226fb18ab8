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

from django.db import models
from django.db.models import F
from django.utils import timezone

ROW = 1


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
        return cls.objects.filter(pk=ROW).first() or cls(pk=ROW, number=0)
