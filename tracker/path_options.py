"""The stacks a learner can choose, as the master roadmap's ``path:`` block describes them.

A language names its covered roadmap and, optionally, the master item that
stands for it; each of its frameworks names the master item that stands for
the framework and, month by month, the sections of a covered roadmap to study
(the language's unless it says otherwise). References inside the master file
are checked by the loader; the ones into other roadmaps once every roadmap is
loaded, by :mod:`tracker.path_references`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tracker.errors import TrackerError
from tracker.problems import closest


class PathChoiceError(TrackerError, ValueError):
    """An unknown language or framework; the message lists the valid ids."""


@dataclass(frozen=True)
class Option:
    """A language or a framework: what choosing it brings into the plan."""

    id: str
    title: str
    description: str | None
    roadmap_id: str
    """The covered roadmap whose sections the option studies."""
    competency: str | None
    """The master roadmap's item that stands for the option (``None``: none)."""
    months: tuple[tuple[int, tuple[str, ...]], ...]
    """Plan month number and the ids of the items of ``roadmap_id`` studied in it."""

    def studies(self, month: int) -> tuple[str, ...]:
        """Ids of the items of :attr:`roadmap_id` studied in plan month ``month``."""
        return tuple(item for number, items in self.months if number == month for item in items)


@dataclass(frozen=True)
class Language(Option):
    frameworks: tuple[Option, ...] = ()

    def framework(self, framework_id: str) -> Option:
        """The framework with ``framework_id``; one line listing the valid ids otherwise."""
        for framework in self.frameworks:
            if framework.id == framework_id:
                return framework
        valid = ", ".join(f.id for f in self.frameworks)
        if not valid:
            raise PathChoiceError(f"{self.title} has no frameworks to choose from; leave out --framework")
        hint = closest(framework_id, self.framework_ids)
        raise PathChoiceError(
            f"unknown framework '{framework_id}' for {self.title}{hint}; choose one of: {valid}"
        )

    @property
    def framework_ids(self) -> list[str]:
        return [framework.id for framework in self.frameworks]


@dataclass(frozen=True)
class PathOptions:
    """Every language of one master roadmap's path block."""

    master_id: str
    languages: tuple[Language, ...]

    def language(self, language_id: str) -> Language:
        """The language with ``language_id``; one line listing the valid ids otherwise."""
        for language in self.languages:
            if language.id == language_id:
                return language
        hint = closest(language_id, [language.id for language in self.languages])
        valid = ", ".join(language.id for language in self.languages)
        raise PathChoiceError(f"unknown language '{language_id}'{hint}; choose one of: {valid}")

    def options(self) -> Iterator[tuple[Language, Option]]:
        """Every option with its language: each language first, then its frameworks."""
        for language in self.languages:
            yield language, language
            for framework in language.frameworks:
                yield language, framework


def _months(entries: list[dict[str, Any]]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    return tuple((entry["month"], tuple(entry["items"])) for entry in entries)


def options_from_data(roadmap_id: str, block: dict[str, Any] | None) -> PathOptions | None:
    """The choices of a roadmap's validated ``path`` block, or ``None`` when it has none."""
    if not block:
        return None
    languages = []
    for entry in block["languages"]:
        frameworks = tuple(
            Option(
                framework["id"],
                framework["title"],
                framework["description"],
                framework["roadmap"] or entry["roadmap"],
                framework["competency"],
                _months(framework["months"]),
            )
            for framework in entry["frameworks"]
        )
        languages.append(
            Language(
                entry["id"],
                entry["title"],
                entry["description"],
                entry["roadmap"],
                entry["competency"],
                _months(entry["months"]),
                frameworks,
            )
        )
    return PathOptions(roadmap_id, tuple(languages))
