"""Numbered references: the link targets an export lists as "[n] url" instead of links.

Filled by the link policies (`policies.LinkRules`) and read by `export` for each part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class References:
    """Numbered link targets of one export; numbers are stable across all parts."""

    numbers: dict[str, int] = field(default_factory=dict)
    used: list[int] = field(default_factory=list)

    def number(self, url: str) -> int:
        number = self.numbers.setdefault(url, len(self.numbers) + 1)
        if number not in self.used:
            self.used.append(number)
        return number

    def take_used(self) -> tuple[int, ...]:
        used, self.used = tuple(self.used), []
        return used

    def urls(self, numbers: Sequence[int]) -> list[tuple[int, str]]:
        by_number = {n: url for url, n in self.numbers.items()}
        return [(n, by_number[n]) for n in sorted(set(numbers))]
