"""One reading of the catalog and the store, shaped the way every report needs it.

All formats render the same :class:`Report`, so percents, done dates and
orphans agree between Markdown, HTML, JSON and CSV. Building one reads the
store once (records, plus the status history for formats that show activity)
and never writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from tracker.activity import active_days, changes_per_week, current_streak
from tracker.catalog import Catalog, Node, RoadmapIndex, View
from tracker.path import LearnerPath, read_path
from tracker.progress import Counts, ProgressIndex
from tracker.store import PastChange, Store
from tracker.stored import Record

if TYPE_CHECKING:
    from tracker.today import Guide

ACTIVITY_WEEKS = 12
"""How many weeks of changes the activity summary shows."""

_EMPTY = Record()


@dataclass(slots=True)
class Entry:
    """One node of a roadmap (or an orphaned key) with its status and what is stored."""

    key: str
    depth: int
    status: str
    record: Record
    node: Node | None = None
    """``None`` for an orphan: a stored key that no loaded roadmap uses."""
    counts: Counts | None = None
    """Leaf counts under a parent; ``None`` for a leaf."""
    done_on: str | None = None
    """``YYYY-MM-DD`` (UTC) of a done leaf, or of the last leaf of a parent done as a whole."""

    @property
    def kind(self) -> str:
        return self.node.kind if self.node is not None else "orphan"

    @property
    def title(self) -> str | None:
        return self.node.title if self.node is not None else None

    @property
    def roadmap_id(self) -> str | None:
        if self.node is not None:
            return self.node.roadmap_id
        return self.key.split("/", 1)[0] if _is_item_key(self.key) else None

    @property
    def item_id(self) -> str | None:
        if self.node is not None:
            return self.node.id
        return self.key.split("/", 1)[1] if _is_item_key(self.key) else None

    @property
    def parent_id(self) -> str | None:
        parent = self.node.parent if self.node is not None else None
        return parent.id if parent is not None else None

    @property
    def is_leaf(self) -> bool:
        return self.node is None or self.node.is_leaf


@dataclass(frozen=True)
class Group:
    """A section (tier) of a roadmap, or the projects of one level."""

    title: str
    counts: Counts
    heading: Entry | None
    """The section itself, which may carry a note; ``None`` for a level of projects."""
    entries: tuple[Entry, ...]
    """Everything under the heading, depth first (depth 0 is the top of the list)."""


@dataclass(frozen=True)
class ViewProgress:
    """A month of the plan or a career path, with the progress of what it names."""

    view: View
    counts: Counts


@dataclass(frozen=True)
class RoadmapReport:
    roadmap: RoadmapIndex
    counts: Counts
    groups: tuple[Group, ...]
    plan: tuple[ViewProgress, ...]
    careers: tuple[ViewProgress, ...]


@dataclass(frozen=True)
class Activity:
    """What the status history says about the learner's rhythm."""

    streak: int
    active_days: int
    changes: int
    weeks: tuple[tuple[date, int], ...]
    """Changes per week (by Monday), the last :data:`ACTIVITY_WEEKS` weeks, oldest first."""


@dataclass(frozen=True)
class Report:
    """Everything a report shows, for everything or for one roadmap."""

    exported: datetime
    scope: str | None
    overall: Counts
    roadmaps: tuple[RoadmapReport, ...]
    orphans: tuple[Entry, ...]
    activity: Activity | None
    records: dict[str, Record]
    """Everything stored, by key (what an export restores)."""
    guide: Guide | None = None
    """The learner's path and where they stand (formats that show it; everything or the master)."""
    path: LearnerPath | None = None
    """The stored path (what an export restores), whatever the scope."""
    history: tuple[PastChange, ...] = ()
    """Every change to the keys in scope, oldest first (formats that carry it)."""

    @property
    def title(self) -> str:
        if self.scope is not None:
            return self.roadmaps[0].roadmap.title
        return "All roadmaps"

    def entries(self) -> list[Entry]:
        """Every node of every roadmap in report order, then the orphans."""
        result: list[Entry] = []
        for roadmap in self.roadmaps:
            for group in roadmap.groups:
                if group.heading is not None:
                    result.append(group.heading)
                result.extend(group.entries)
        result.extend(self.orphans)
        return result


def _is_item_key(key: str) -> bool:
    return "/" in key and not key.startswith("skill:")


def build(
    catalog: Catalog,
    store: Store,
    roadmap_id: str | None = None,
    now: datetime | None = None,
    *,
    activity: bool = False,
    guide: bool = False,
    history: bool = False,
    tz: tzinfo | None = None,
) -> Report:
    """Read the store and shape a report; ``roadmap_id`` narrows it to one roadmap.

    ``guide`` adds the learner's path (for everything or the master roadmap,
    dates in ``tz``, the learner's zone by default); ``history`` every change.
    """
    roadmaps = [catalog.roadmap(roadmap_id)] if roadmap_id is not None else list(catalog.roadmaps.values())
    now = now if now is not None else store.clock()
    records = store.records()
    progress = ProgressIndex(catalog, {key: record.status for key, record in records.items()})
    builder = _Builder(progress, records)
    reports = tuple(builder.roadmap(roadmap) for roadmap in roadmaps)
    overall = progress.roadmap(roadmap_id) if roadmap_id is not None else progress.overall()
    rhythm = _activity(store, roadmaps if roadmap_id else None, now) if activity else None
    orphans = tuple(_orphans(records, roadmaps, roadmap_id))
    shown_guide = None
    if guide and _shows_guide(catalog, roadmap_id):
        from tracker.path import local_zone
        from tracker.today import build_guide

        shown_guide = build_guide(catalog, store, progress.statuses, now, tz or local_zone())
    past: tuple[PastChange, ...] = ()
    if history:
        keys = None if roadmap_id is None else {e.key for part in reports for e in _entries(part)}
        if keys is not None:
            keys.update(entry.key for entry in orphans)
        past = tuple(store.past_changes(keys))
    return Report(
        exported=now,
        scope=roadmap_id,
        overall=overall,
        roadmaps=reports,
        orphans=orphans,
        activity=rhythm,
        records=records,
        guide=shown_guide,
        path=read_path(store) if history else None,
        history=past,
    )


def _shows_guide(catalog: Catalog, roadmap_id: str | None) -> bool:
    """The guide belongs to a report of everything, or of the roadmap that holds the plan."""
    if roadmap_id is None:
        return True
    choices = catalog.path_choices()
    master = choices.master_id if choices else next((r.id for r in catalog.roadmaps.values() if r.plan), None)
    return roadmap_id == master


def _entries(part: RoadmapReport) -> list[Entry]:
    return [
        e for group in part.groups for e in ([group.heading] if group.heading else []) + list(group.entries)
    ]


class _Builder:
    def __init__(self, progress: ProgressIndex, records: dict[str, Record]):
        self.progress = progress
        self.records = records

    def roadmap(self, roadmap: RoadmapIndex) -> RoadmapReport:
        groups = [self._section(section) for section in roadmap.sections]
        for level in roadmap.project_levels:
            entries = [e for project in level.nodes for e in self._walk(project, 0)]
            groups.append(Group(level.title, self.progress.of_nodes(level.nodes), None, tuple(entries)))
        return RoadmapReport(
            roadmap=roadmap,
            counts=self.progress.roadmap(roadmap.id),
            groups=tuple(groups),
            plan=tuple(self._view(view) for view in roadmap.plan),
            careers=tuple(self._view(view) for view in roadmap.careers),
        )

    def _view(self, view: View) -> ViewProgress:
        return ViewProgress(view, self.progress.of_nodes(view.nodes))

    def _section(self, section: Node) -> Group:
        counts = self.progress.counts(section)
        if section.is_leaf:
            return Group(section.title, counts, None, (self._entry(section, 0),))
        entries = [e for child in section.children for e in self._walk(child, 0)]
        return Group(section.title, counts, self._entry(section, 0), tuple(entries))

    def _walk(self, node: Node, depth: int) -> list[Entry]:
        result = [self._entry(node, depth)]
        for child in node.children:
            result.extend(self._walk(child, depth + 1))
        return result

    def _entry(self, node: Node, depth: int) -> Entry:
        record = self.records.get(node.key)
        if node.is_leaf:
            status = self.progress.status_of_key(node.key)
            if record is None:
                return Entry(node.key, depth, status, _EMPTY, node)
            done_on = record.updated[:10] if status == "done" and record.updated else None
            return Entry(node.key, depth, status, record, node, None, done_on)
        # A parent's status is derived: only its note is its own.
        counts = self.progress.counts(node)
        own = Record(note=record.note, note_updated=record.note_updated) if record else _EMPTY
        done_on = None
        if counts.status == "done":
            times = [
                self.records[leaf.key].updated or ""
                for leaf in node.leaves()
                if leaf.key in self.records and self.progress.status_of_key(leaf.key) == "done"
            ]
            latest = max(times, default="")
            done_on = latest[:10] if latest else None
        return Entry(node.key, depth, counts.status, own, node, counts, done_on)


def _orphans(records: dict[str, Record], roadmaps: list[RoadmapIndex], roadmap_id: str | None) -> list[Entry]:
    """Stored records that no node in scope shows, so that an export loses nothing.

    A status counts as shown only on a leaf (a parent's status is derived), a
    note on any node. For one roadmap, only keys of the form ``ROADMAP/...`` are
    considered: shared ``skill:`` keys belong to no single roadmap.
    """
    leaf_keys = {leaf.key for roadmap in roadmaps for leaf in roadmap.leaves}
    node_keys = {node.key for roadmap in roadmaps for node in roadmap.nodes.values()}
    prefix = f"{roadmap_id}/" if roadmap_id is not None else ""
    result = []
    for key in sorted(records):
        record = records[key]
        if not key.startswith(prefix):
            continue
        lost_status = record.updated is not None and key not in leaf_keys
        lost_note = bool(record.note) and key not in node_keys
        if lost_status or lost_note:
            status = record.status if record.updated is not None else "todo"
            done_on = record.updated[:10] if status == "done" and record.updated else None
            result.append(Entry(key, 0, status, record, done_on=done_on))
    return result


def _activity(store: Store, roadmaps: list[RoadmapIndex] | None, now: datetime) -> Activity:
    keys = None if roadmaps is None else {k for roadmap in roadmaps for k in roadmap.keys}
    times = [at for at, key, _ in store.status_history() if keys is None or key in keys]
    days = active_days(times)
    today = now.astimezone(UTC).date()
    per_week = changes_per_week(days)
    monday = today - timedelta(days=today.weekday())
    weeks = tuple(
        (week, per_week.get(week, 0))
        for week in (monday - timedelta(weeks=back) for back in range(ACTIVITY_WEEKS - 1, -1, -1))
    )
    return Activity(current_streak(days, today), len(days), len(times), weeks)
