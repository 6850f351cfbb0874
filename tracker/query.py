"""The filter's little language: words to find and statuses to keep.

``doing: http`` keeps the items in progress whose title, id, description or
note holds "http". One rule, in the core, for the app's filter and its help.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tracker.stored import STATUSES

FILTER_HELP = [
    ("words", "items whose title, id, description or note holds every word"),
    ("doing:", "only items in progress; also todo:, done:, skipped:"),
    ("doing: http", "both: items in progress about http"),
    ("esc", "clear the filter: the tree is back as it was"),
]
"""The syntax as (example, meaning) rows, for the help screen."""


class Query(NamedTuple):
    """What the filter asks for: every word somewhere in an item's text, and one of the statuses."""

    words: tuple[str, ...] = ()
    statuses: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words or self.statuses)

    def matches(self, texts: Iterable[str], status: str | None) -> bool:
        """Does an item with these ``texts`` match? ``status`` is ``None`` for a branch, which
        a status filter never matches by itself (only through the items under it)."""
        if self.statuses and status not in self.statuses:
            return False
        haystack = "\n".join(texts).casefold()
        return all(word in haystack for word in self.words)


def parse_query(text: str) -> Query:
    """Read filter text: ``todo:``, ``doing:``, ``done:``, ``skipped:`` pick statuses, the rest are words."""
    words, statuses = [], set()
    for token in text.casefold().split():
        name = token.removesuffix(":")
        if token.endswith(":") and name in STATUSES:
            statuses.add(name)
        else:
            words.append(token)
    return Query(tuple(words), frozenset(statuses))
