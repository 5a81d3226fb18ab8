"""Rows written once and never changed: revisions, reviews, overrides, audit events, statements.

A model says why in `written_once_message` (the error a caller sees) and whether rows may be
deleted at all (`deletable`); saving a row again, and `update()` (or, when not deletable,
`delete()`) on its queryset, raise TypeError with that message. This is what lets an approval
stay bound to the exact text it judged. It guards the ORM only: SQL typed by hand is not stopped.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models


class WrittenOnce(models.Model):
    written_once_message: ClassVar[str] = "This record is never changed once written."
    deletable: ClassVar[bool] = True

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(self.written_once_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not self.deletable:
            raise TypeError(self.written_once_message)
        return super().delete(*args, **kwargs)


class WrittenOnceQuerySet[M: WrittenOnce](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError(self.model.written_once_message)

    def delete(self) -> tuple[int, dict[str, int]]:
        if not self.model.deletable:
            raise TypeError(self.model.written_once_message)
        return super().delete()
