"""Progress maths: counts, percents, derived statuses. Pure functions.

Percent complete = done leaves / (all leaves - skipped leaves). A parent's
status is derived from its leaves. :class:`ProgressIndex` keeps the counts of
every node and updates only the ancestors of a changed leaf, so one key press
never recomputes a whole roadmap. Activity (streaks, weeks) is in
:mod:`tracker.activity`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tracker.catalog import Catalog, Node


class Counts:
    """How many leaves are in each status."""

    __slots__ = ("total", "done", "doing", "skipped")

    def __init__(self, total: int = 0, done: int = 0, doing: int = 0, skipped: int = 0):
        self.total = total
        self.done = done
        self.doing = doing
        self.skipped = skipped

    def _fields(self) -> tuple[int, int, int, int]:
        return self.total, self.done, self.doing, self.skipped

    def __eq__(self, other: object) -> bool:
        return self._fields() == other._fields() if isinstance(other, Counts) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return f"Counts(total={self.total}, done={self.done}, doing={self.doing}, skipped={self.skipped})"

    @property
    def todo(self) -> int:
        return self.total - self.done - self.doing - self.skipped

    @property
    def percent(self) -> float:
        """Done over all but skipped; everything skipped counts as complete."""
        counted = self.total - self.skipped
        if counted <= 0:
            return 100.0 if self.total else 0.0
        return 100.0 * self.done / counted

    @property
    def status(self) -> str:
        """The derived status of a parent with these leaves."""
        if self.total and self.done + self.skipped == self.total:
            return "skipped" if self.done == 0 else "done"
        if self.done or self.doing:
            return "doing"
        return "todo"

    def absorb(self, other: Counts) -> None:
        """Add another group's counts to these."""
        self.total += other.total
        self.done += other.done
        self.doing += other.doing
        self.skipped += other.skipped

    def add(self, status: str, sign: int = 1) -> None:
        self.total += sign
        if status in ("done", "doing", "skipped"):
            setattr(self, status, getattr(self, status) + sign)

    def shift(self, old: str, new: str) -> None:
        """One leaf moved from ``old`` to ``new``."""
        self.add(old, -1)
        self.add(new, 1)


def shown_percent(counts: Counts, decimals: int = 1) -> float | None:
    """The percent to show, rounded to ``decimals``; ``None`` when nothing counts (all skipped).

    The one rule for every screen and report: never 100 before every counted
    item is done (223 of 224 is 99.6%, or 99% without decimals), never 0 once
    one is.
    """
    counted = counts.total - counts.skipped
    if counted <= 0:
        return None
    step = 10.0**-decimals
    value = round(100.0 * counts.done / counted, decimals)
    if counts.done < counted:
        value = min(value, 100.0 - step)
    if counts.done > 0:
        value = max(value, step)
    return value


def percent_text(counts: Counts, decimals: int = 1) -> str:
    """``99.6%``, or ``skipped`` when every item is skipped, or ``–`` when there are none."""
    value = shown_percent(counts, decimals)
    if value is None:
        return "skipped" if counts.total else "–"
    return f"{value:.{decimals}f}%"


def counts_text(counts: Counts) -> str:
    """What a percent is of: ``2 of 5 done, 1 skipped (not counted)``."""
    counted = counts.total - counts.skipped
    if counted <= 0:
        return f"all {counts.total} skipped" if counts.total else "no items"
    text = f"{counts.done} of {counted} done"
    if counts.doing:
        text += f", {counts.doing} in progress"
    if counts.skipped:
        text += f", {counts.skipped} skipped (not counted)"
    return text


def count(statuses: Iterable[str | None]) -> Counts:
    """Counts of a collection of leaf statuses (``None``: nothing stored, so todo), in one pass
    in C: every roadmap is counted on every start."""
    tally = Counter(statuses)
    return Counts(sum(tally.values()), tally["done"], tally["doing"], tally["skipped"])


def unique_leaves(nodes: Iterable[Node]) -> list[Node]:
    """Leaves under ``nodes``, each progress key once (shared skills count once)."""
    seen: dict[str, Node] = {}
    for node in nodes:
        for leaf in node.leaves():
            seen.setdefault(leaf.key, leaf)
    return list(seen.values())


class ProgressIndex:
    """Counts for every node of a catalog, kept current one change at a time.

    Each roadmap's and the overall counts come from progress keys alone; the
    counts of a roadmap's nodes are worked out the first time one is asked for
    (so its node tree is only built when it is shown or reported).
    """

    def __init__(self, catalog: Catalog, statuses: dict[str, str]):
        self.catalog = catalog
        self.statuses = dict(statuses)
        self._counts: dict[int, Counts] = {}
        self._filled: set[str] = set()
        stored = self.statuses.get
        self._roadmaps = {r.id: count(map(stored, r.leaf_keys)) for r in catalog.roadmaps.values()}
        self._overall = count(map(stored, catalog.known_keys()))

    def _fill_roadmap(self, roadmap_id: str) -> None:
        if roadmap_id not in self._filled:
            self._filled.add(roadmap_id)
            for root in self.catalog.roadmaps[roadmap_id].roots:
                self._fill(root)

    def _fill(self, node: Node) -> Counts:
        counts = Counts()
        if node.is_leaf:
            counts.add(self.status_of_key(node.key))
        for child in node.children:
            counts.absorb(self._fill(child))
        self._counts[id(node)] = counts
        return counts

    def status_of_key(self, key: str) -> str:
        return self.statuses.get(key, "todo")

    def status(self, node: Node) -> str:
        """A leaf's stored status or a parent's derived one."""
        if node.is_leaf:
            return self.status_of_key(node.key)
        return self.counts(node).status

    def counts(self, node: Node) -> Counts:
        self._fill_roadmap(node.roadmap_id)
        return self._counts[id(node)]

    def roadmap(self, roadmap_id: str) -> Counts:
        return self._roadmaps[roadmap_id]

    def overall(self) -> Counts:
        """Every distinct progress key of every roadmap."""
        return self._overall

    def update(self, changes: dict[str, str]) -> set[Node]:
        """Apply new statuses by key; return the nodes whose display changed.

        Only nodes of roadmaps whose counts were already worked out are
        returned; the others are counted from the new statuses when first asked.
        """
        touched: set[Node] = set()
        for key, new in changes.items():
            old = self.status_of_key(key)
            if old == new:
                continue
            self.statuses[key] = new
            roadmap_ids = self.catalog.roadmaps_with_key(key)
            if roadmap_ids:  # orphaned progress counts nowhere
                self._overall.shift(old, new)
            for roadmap_id in roadmap_ids:
                roadmap = self.catalog.roadmaps[roadmap_id]
                for _ in range(roadmap.key_counts[key]):
                    self._roadmaps[roadmap_id].shift(old, new)
                if roadmap_id in self._filled:
                    for leaf in roadmap.leaves_by_key[key]:
                        for node in leaf.path():
                            self._counts[id(node)].shift(old, new)
                            touched.add(node)
        return touched

    def of_nodes(self, nodes: Iterable[Node]) -> Counts:
        """Counts over the leaves under several nodes (a month, a career, a key skill)."""
        return count(self.status_of_key(leaf.key) for leaf in unique_leaves(nodes))
