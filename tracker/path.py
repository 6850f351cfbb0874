"""The learner's path: a chosen stack, its start and pace, and what is on it.

A :class:`LearnerPath` is stored as one JSON setting. :class:`PathScope` says
which items the path leaves out (the master roadmap's items of the options
not chosen). :func:`path_months` lists each plan month's items on the path,
which the guide (:mod:`tracker.today`) dates and counts. No Textual, no click.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.guide import MonthCount, PlanMonth, Restart, first_unfinished, replan, schedule
from tracker.path_options import Language, Option, PathChoiceError, PathOptions
from tracker.stored import PATH_SETTING, timestamp

if TYPE_CHECKING:
    from tracker.catalog import Catalog, Node, RoadmapIndex
    from tracker.store import Store

MAX_WEEKS_PER_MONTH = 52
"""A plan month may be stretched to a year at most."""


# -- the time zone ---------------------------------------------------------------------------


def local_zone() -> tzinfo:
    """The learner's time zone, with its daylight-saving rules.

    ``datetime.now().astimezone().tzinfo`` is a fixed offset: right today,
    an hour off for every date across a daylight-saving change. So: the ``TZ``
    variable when it names a zone (``Europe/Amsterdam``, ``:Europe/Amsterdam``
    or a zoneinfo file path), else the zone ``/etc/localtime`` links to (or the
    file itself), else, where neither exists (Windows without the tzdata
    package), that fixed offset, which is right until the next change.
    """
    from zoneinfo import ZoneInfo

    name = os.environ.get("TZ", "").lstrip(":")
    try:
        if name.startswith("/"):
            with open(name, "rb") as file:
                return ZoneInfo.from_file(file, key=name)
        if name:
            return ZoneInfo(name)
    except (OSError, ValueError, KeyError):  # an unknown name, or a POSIX rule such as "CET-1CEST"
        pass
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
        if "/zoneinfo/" in target:
            return ZoneInfo(target.split("/zoneinfo/", 1)[1])
        with localtime.open("rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError, KeyError):
        pass
    fixed = datetime.now().astimezone().tzinfo
    assert fixed is not None
    return fixed


# -- the stored path -------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerPath:
    """The learner's choice: a language, maybe a framework, a start date and a pace."""

    language: str
    framework: str | None
    start: date
    weeks_per_month: int | None = None
    """Weeks per plan month; ``None`` is calendar months."""
    restarts: tuple[Restart, ...] = ()
    """Months re-dated by a replan (see :func:`tracker.guide.replan`)."""
    updated: str | None = None
    """When it was last saved (stored UTC time), set by :func:`save_path`."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "language": self.language,
                "framework": self.framework,
                "start": self.start.isoformat(),
                "weeks_per_month": self.weeks_per_month,
                "restarts": [{"month": r.month, "on": r.on.isoformat()} for r in self.restarts],
                "updated": self.updated,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> LearnerPath:
        """Read a stored path; ``ValueError`` (or ``TypeError``) for anything malformed."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LearnerPath:
        language, framework, weeks = data["language"], data.get("framework"), data.get("weeks_per_month")
        updated, restarts = data.get("updated"), data.get("restarts", [])
        if not isinstance(language, str) or not language:
            raise ValueError("no language")
        if framework is not None and (not isinstance(framework, str) or not framework):
            raise ValueError("framework is not text")
        if weeks is not None and (type(weeks) is not int or not 1 <= weeks <= MAX_WEEKS_PER_MONTH):
            raise ValueError("weeks_per_month out of range")
        if updated is not None and not isinstance(updated, str):
            raise ValueError("updated is not text")
        if not isinstance(restarts, list):
            raise ValueError("restarts is not a list")
        start = data["start"]
        if not isinstance(start, str):
            raise ValueError("start is not a date")
        parsed = tuple(_restart(entry) for entry in restarts)
        return cls(language, framework, date.fromisoformat(start), weeks, parsed, updated)

    def schedule(self, months: int):
        """The dates of plan months 1 to ``months`` (``ValueError`` for restarts outside them)."""
        return schedule(self.start, months, self.weeks_per_month, self.restarts)


def _restart(entry: object) -> Restart:
    if (
        not isinstance(entry, dict)
        or type(entry.get("month")) is not int
        or not isinstance(entry.get("on"), str)
    ):
        raise ValueError("a restart is not {month, on}")
    return Restart(entry["month"], date.fromisoformat(entry["on"]))


def read_path(store: Store) -> LearnerPath | None:
    """The stored path, or ``None`` when there is none or it cannot be read.

    A setting written by another program or version that does not parse is
    treated as no path (and left in place until a new path is saved): the
    learner is asked to choose again rather than shown an error.
    """
    return parse_path(store.setting(PATH_SETTING))


def parse_path(text: str | None) -> LearnerPath | None:
    """The path a setting holds (see :func:`read_path`)."""
    if not text:
        return None
    try:
        path = LearnerPath.from_json(text)
        path.schedule(36)  # restarts out of order or out of range make no plan
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return None
    return path


def save_path(store: Store, path: LearnerPath) -> LearnerPath:
    """Store ``path`` (one transaction), stamped with the store's clock; returns what was stored."""
    stamped = replace(path, updated=timestamp(store.clock()))
    store.set_setting(PATH_SETTING, stamped.to_json())
    return stamped


def path_options(catalog: Catalog) -> PathOptions | None:
    """The choices of the first roadmap (masters come first) that has a path block."""
    return catalog.path_choices()


def choose_path(
    catalog: Catalog,
    language: str,
    framework: str | None,
    start: date | None,
    weeks_per_month: int | None,
    today: date,
) -> LearnerPath:
    """A new path (not yet saved); :class:`PathChoiceError` names the valid ids.

    ``start`` defaults to ``today``; ``framework`` must be one of the
    language's (``None`` picks none: only the language is on the path).
    """
    options = path_options(catalog)
    if options is None:
        raise PathChoiceError("no roadmap offers a path to choose (the master roadmap has no 'path:' block)")
    chosen = options.language(language)
    if framework is not None:
        chosen.framework(framework)
    if weeks_per_month is not None and not 1 <= weeks_per_month <= MAX_WEEKS_PER_MONTH:
        raise PathChoiceError(f"weeks per month must be 1 to {MAX_WEEKS_PER_MONTH}, not {weeks_per_month}")
    return LearnerPath(language, framework, start or today, weeks_per_month)


@dataclass(frozen=True)
class Chosen:
    """A path resolved against the catalog: its options and their titles."""

    options: PathOptions
    language: Language
    framework: Option | None

    @property
    def title(self) -> str:
        """``Python + FastAPI``, or the language alone."""
        return self.language.title + (f" + {self.framework.title}" if self.framework else "")

    @property
    def picked(self) -> tuple[Option, ...]:
        return (self.language,) if self.framework is None else (self.language, self.framework)


def resolve(catalog: Catalog, path: LearnerPath) -> Chosen:
    """The options ``path`` names; :class:`PathChoiceError` when the roadmaps no longer offer them."""
    options = path_options(catalog)
    if options is None:
        raise PathChoiceError("no roadmap offers a path any more (the master roadmap has no 'path:' block)")
    language = options.language(path.language)
    framework = language.framework(path.framework) if path.framework is not None else None
    return Chosen(options, language, framework)


# -- what is on the path ---------------------------------------------------------------------


class PathScope:
    """Which nodes the path leaves out: the items of the options not chosen.

    Every option names items: its master competency, and the items of a
    covered roadmap it studies. A node belongs to the nearest of those at or
    above it: on the path when an option naming that item is chosen, off it
    when none is. A node under no option's item is on the path (HTTP, SQL,
    the projects); a parent is off only when everything under it is. Without
    a path nothing is off.
    """

    def __init__(self, chosen: Chosen | None = None):
        self.chosen = chosen
        self._marks: dict[tuple[str, str], bool] = {}
        """(roadmap, item) named by an option: whether an option naming it is chosen."""
        self._parents: dict[tuple[str, str], bool] = {}
        """Parents already worked out (a tree asks for every node)."""
        if chosen is None:
            return
        picked = {id(option) for option in chosen.picked}
        for _, option in chosen.options.options():
            on = id(option) in picked
            names = [(chosen.options.master_id, option.competency)] if option.competency else []
            names += [(option.roadmap_id, item) for _, items in option.months for item in items]
            for name in names:
                self._marks[name] = self._marks.get(name, False) or on

    @property
    def active(self) -> bool:
        """Whether a path is chosen (without one nothing is off it)."""
        return self.chosen is not None

    def _nearest(self, node: Node) -> bool | None:
        current: Node | None = node
        while current is not None:
            mark = self._marks.get((current.roadmap_id, current.id))
            if mark is not None:
                return mark
            current = current.parent
        return None

    def is_off_path(self, node: Node) -> bool:
        """Whether ``node`` is "not on your path" (dimmed, still tickable, never counted)."""
        if not self._marks:
            return False
        if node.is_leaf:
            return self._nearest(node) is False
        name = (node.roadmap_id, node.id)
        off = self._parents.get(name)
        if off is None:
            off = self._parents[name] = all(self.is_off_path(child) for child in node.children)
        return off

    def on_path_leaves(self, nodes: Iterable[Node]) -> list[Node]:
        """The leaves under ``nodes`` that are on the path, in order."""
        return [leaf for node in nodes for leaf in node.leaves() if not self.is_off_path(leaf)]


def scope_for(catalog: Catalog, path: LearnerPath | None) -> PathScope:
    """The scope of ``path``; everything is on the path without one (or when it is stale)."""
    if path is None:
        return PathScope()
    try:
        return PathScope(resolve(catalog, path))
    except PathChoiceError:
        return PathScope()


@dataclass(frozen=True)
class MonthItems:
    """A plan month and the items it holds on the path (leaves, each progress key once)."""

    number: int
    id: str
    title: str
    description: str | None
    items: tuple[Node, ...]

    def plan_month(self) -> PlanMonth[Node]:
        return PlanMonth(self.number, self.items)


def _master(catalog: Catalog, scope: PathScope) -> RoadmapIndex | None:
    if scope.chosen is not None:
        return catalog.roadmaps.get(scope.chosen.options.master_id)
    return next((roadmap for roadmap in catalog.roadmaps.values() if roadmap.plan), None)


def path_months(catalog: Catalog, scope: PathScope) -> list[MonthItems]:
    """Each plan month's items on the path, in roadmap order.

    A month holds the leaves on the path under what the master's plan names
    (in the master's tree order, projects' milestones in order), then those the
    chosen language studies in that month, then the framework's. A progress key
    belongs to the first month that holds it, so nothing is counted twice.
    Without a path the whole plan is used.
    """
    master = _master(catalog, scope)
    if master is None:
        return []
    order = {id(leaf): index for index, leaf in enumerate(master.leaves)}
    seen: set[str] = set()
    months = []
    for view in master.plan:
        number = view.number or 0
        leaves = sorted(scope.on_path_leaves(view.nodes), key=lambda leaf: order.get(id(leaf), 0))
        for option in scope.chosen.picked if scope.chosen else ():
            leaves += scope.on_path_leaves(_study_nodes(catalog, option, number))
        items = []
        for leaf in leaves:
            if leaf.key not in seen:
                seen.add(leaf.key)
                items.append(leaf)
        months.append(MonthItems(number, view.id, view.title, view.description, tuple(items)))
    return months


def _study_nodes(catalog: Catalog, option: Option, month: int) -> list[Node]:
    """The nodes ``option`` studies in ``month``, in their roadmap's order (unknown ids skipped:
    the catalog reports them as problems)."""
    roadmap = catalog.roadmaps.get(option.roadmap_id)
    if roadmap is None:
        return []
    wanted = set(option.studies(month))
    return [node for node in roadmap.nodes.values() if node.id in wanted]


def month_counts(months: Iterable[MonthItems], statuses: Mapping[str, str]) -> list[MonthCount]:
    """Each month's counted items (skipped ones do not count) and how many are done."""
    result = []
    for month in months:
        found = [statuses.get(item.key, "todo") for item in month.items]
        result.append(MonthCount(sum(s != "skipped" for s in found), found.count("done")))
    return result


def replan_path(catalog: Catalog, path: LearnerPath, statuses: Mapping[str, str], today: date) -> LearnerPath:
    """``path`` with its first unfinished month and the ones after it re-dated from ``today``.

    Done work is kept; months already finished keep their dates. Unchanged when
    every month is done or the first unfinished one has not started yet.
    """
    months = path_months(catalog, scope_for(catalog, path))
    counts = month_counts(months, statuses)
    restarts = replan(
        path.start, len(months), path.weeks_per_month, today, first_unfinished(counts), path.restarts
    )
    return replace(path, restarts=restarts)


__all__ = [
    "PATH_SETTING",
    "Chosen",
    "LearnerPath",
    "MonthItems",
    "PathChoiceError",
    "PathScope",
    "choose_path",
    "local_zone",
    "month_counts",
    "path_months",
    "path_options",
    "parse_path",
    "read_path",
    "replan_path",
    "resolve",
    "save_path",
    "scope_for",
]


def __getattr__(name: str) -> object:
    """``Guide`` and ``build_guide`` live in :mod:`tracker.today` (imported on first use)."""
    if name in ("Guide", "GuideMonth", "Readiness", "build_guide"):
        from tracker import today

        return getattr(today, name)
    raise AttributeError(f"module 'tracker.path' has no attribute '{name}'")
