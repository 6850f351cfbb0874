"""All roadmaps at once: loading every source, lookups by id, shared skills.

The catalog turns each roadmap's sections and projects into one tree of
:class:`Node` objects. A leaf's progress is stored under its ``key``: the
shared skill key when it has one (so it is shared by every roadmap that
teaches it), otherwise ``roadmap/item``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tracker.loader import (
    SKILLS_FILE,
    LoadedRoadmap,
    Problem,
    RoadmapFileError,
    load_roadmap,
    load_skills,
)
from tracker.model import Item, Resource, Roadmap

ROADMAP_SUFFIXES = (".yaml", ".yml")


class LookupProblem(LookupError):
    """An unknown roadmap or item id; the message offers the closest ids."""


def closest(unknown: str, known: Iterable[str]) -> str:
    """`` (did you mean 'a', 'b'?)`` for the ids closest to ``unknown``, or ``''``."""
    known = list(known)
    close = difflib.get_close_matches(unknown, known, n=3, cutoff=0.5)
    if not close:
        close = [k for k in known if unknown in k][:3]
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


@dataclass(eq=False)
class Node:
    """One trackable thing: a section, item, project or milestone."""

    roadmap_id: str
    id: str
    title: str
    kind: str
    description: str | None = None
    resources: tuple[Resource, ...] = ()
    skill: str | None = None
    level: str | None = None
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list, repr=False)

    @property
    def key(self) -> str:
        """Where this leaf's status is stored."""
        return f"skill:{self.skill}" if self.skill else f"{self.roadmap_id}/{self.id}"

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> Iterator[Node]:
        """Every leaf under this node (itself when it is a leaf)."""
        if not self.children:
            yield self
            return
        for child in self.children:
            yield from child.leaves()

    def walk(self) -> Iterator[Node]:
        """This node and everything under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def path(self) -> list[Node]:
        """The nodes from the top of the tree down to this one."""
        chain = []
        node: Node | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


class RoadmapIndex:
    """One roadmap with its nodes indexed by id."""

    def __init__(self, loaded: LoadedRoadmap):
        self.roadmap: Roadmap = loaded.roadmap
        self.path = loaded.path
        self.id = self.roadmap.id
        self.title = self.roadmap.title
        self.sections = [self._item(item, None, "section") for item in self.roadmap.sections]
        self.projects = [self._project(index) for index in range(len(self.roadmap.projects))]
        self.roots: list[Node] = [*self.sections, *self.projects]
        self.nodes: dict[str, Node] = {n.id: n for root in self.roots for n in root.walk()}
        self.leaves: list[Node] = [leaf for root in self.roots for leaf in root.leaves()]
        self.keys: frozenset[str] = frozenset(leaf.key for leaf in self.leaves)

    @property
    def is_master(self) -> bool:
        """A roadmap with a plan, projects or careers gets the extra tabs."""
        r = self.roadmap
        return bool(r.projects or r.plan or r.key_skills or r.careers)

    def _item(self, item: Item, parent: Node | None, kind: str) -> Node:
        node = Node(
            self.id, item.id, item.title, kind, item.description, tuple(item.resources),
            item.skill, parent=parent,
        )
        node.children = [self._item(child, node, "item") for child in item.children]
        return node

    def _project(self, index: int) -> Node:
        project = self.roadmap.projects[index]
        node = Node(
            self.id, project.id, project.title, "project", project.brief,
            tuple(project.resources), level=project.level,
        )
        node.children = [
            Node(self.id, m.id, m.title, "milestone", m.description, parent=node)
            for m in project.milestones
        ]
        return node

    def node(self, item_id: str) -> Node:
        """The node with ``item_id``; :class:`LookupProblem` names the closest ids."""
        try:
            return self.nodes[item_id]
        except KeyError:
            hint = closest(item_id, self.nodes)
            raise LookupProblem(f"no item '{item_id}' in roadmap '{self.id}'{hint}") from None

    def resolve(self, ids: Iterable[str]) -> list[Node]:
        """Nodes for ids the loader already checked (plan, key skills, careers)."""
        return [self.nodes[i] for i in ids]


@dataclass
class Catalog:
    """Every roadmap that loaded, and every file that did not."""

    roadmaps: dict[str, RoadmapIndex]
    skills: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    overridden: list[tuple[str, Path, Path]] = field(default_factory=list)

    def roadmap(self, roadmap_id: str) -> RoadmapIndex:
        """The roadmap with ``roadmap_id``; :class:`LookupProblem` names the closest ids."""
        try:
            return self.roadmaps[roadmap_id]
        except KeyError:
            hint = closest(roadmap_id, self.roadmaps)
            raise LookupProblem(f"no roadmap '{roadmap_id}'{hint}") from None

    def node(self, roadmap_id: str, item_id: str) -> Node:
        """Look up one item of one roadmap."""
        return self.roadmap(roadmap_id).node(item_id)

    def nodes_with_key(self, key: str) -> list[Node]:
        """Every leaf, in every roadmap, whose status is stored under ``key``."""
        return self._leaves_by_key.get(key, [])

    def known_keys(self) -> set[str]:
        """Every progress key some roadmap uses."""
        return set(self._leaves_by_key)

    @cached_property
    def _leaves_by_key(self) -> dict[str, list[Node]]:
        index: dict[str, list[Node]] = {}
        for roadmap in self.roadmaps.values():
            for leaf in roadmap.leaves:
                index.setdefault(leaf.key, []).append(leaf)
        return index


def _files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    if not source.is_dir():
        return []
    return sorted(p for p in source.iterdir() if p.suffix in ROADMAP_SUFFIXES and p.is_file())


def load_catalog(sources: Iterable[Path]) -> Catalog:
    """Load every roadmap of every source; bad files become ``problems``.

    A later source's roadmap replaces an earlier one with the same id (so a user
    can customise a bundled roadmap); two files with one id in the same source
    is an error on the second.
    """
    files_by_source = [_files(Path(source)) for source in sources]
    skills: dict[str, str] = {}
    problems: list[Problem] = []
    for files in files_by_source:
        for path in files:
            if path.name == SKILLS_FILE:
                try:
                    skills.update(load_skills(path))
                except RoadmapFileError as error:
                    problems.extend(error.problems)
    loaded: dict[str, LoadedRoadmap] = {}
    overridden: list[tuple[str, Path, Path]] = []
    for files in files_by_source:
        seen_here: dict[str, Path] = {}
        for path in files:
            if path.name == SKILLS_FILE:
                continue
            try:
                result = load_roadmap(path, set(skills))
            except RoadmapFileError as error:
                problems.extend(error.problems)
                continue
            roadmap_id = result.roadmap.id
            if roadmap_id in seen_here:
                problems.append(
                    Problem(path, 1, 1, f"roadmap id '{roadmap_id}' is already used by "
                            f"{seen_here[roadmap_id]}")
                )
                continue
            seen_here[roadmap_id] = path
            if roadmap_id in loaded:
                overridden.append((roadmap_id, loaded[roadmap_id].path, path))
            loaded[roadmap_id] = result
    problems.extend(cover_problems(loaded.values(), set(loaded)))
    return Catalog(_ordered(loaded), skills, problems, overridden)


def cover_problems(roadmaps: Iterable[LoadedRoadmap], known: set[str]) -> list[Problem]:
    """A problem for every ``covers`` entry that names no known roadmap."""
    problems = []
    for result in roadmaps:
        for cover, (line, column) in zip(result.roadmap.covers, result.cover_positions, strict=True):
            if cover not in known:
                message = f"unknown roadmap id '{cover}'{closest(cover, known)}"
                problems.append(Problem(result.path, line, column, message))
    return problems


def validate_paths(paths: Iterable[Path], sources: Iterable[Path]) -> tuple[int, list[Problem]]:
    """Check roadmap files (folders are expanded) against the configured sources.

    Shared skills and roadmap ids come from the sources and from the paths
    themselves. Returns how many files were checked and every problem found.
    """
    base = load_catalog(sources)
    files = [f for path in paths for f in _files(Path(path))]
    missing = [Path(p) for p in paths if not Path(p).exists()]
    problems = [Problem(p, 1, 1, "no such file or folder") for p in missing]
    skills = dict(base.skills)
    for path in files:
        if path.name == SKILLS_FILE:
            try:
                skills.update(load_skills(path))
            except RoadmapFileError as error:
                problems.extend(error.problems)
    loaded = []
    for path in files:
        if path.name != SKILLS_FILE:
            try:
                loaded.append(load_roadmap(path, set(skills)))
            except RoadmapFileError as error:
                problems.extend(error.problems)
    known = set(base.roadmaps) | {result.roadmap.id for result in loaded}
    problems.extend(cover_problems(loaded, known))
    return len(files), problems


def _ordered(loaded: dict[str, LoadedRoadmap]) -> dict[str, RoadmapIndex]:
    """Roadmaps with a plan first, then the ones they cover in order, then by title."""
    masters = sorted(
        (r for r in loaded.values() if r.roadmap.covers or r.roadmap.plan),
        key=lambda r: r.roadmap.title.lower(),
    )
    order: list[str] = []
    for master in masters:
        for roadmap_id in (master.roadmap.id, *master.roadmap.covers):
            if roadmap_id in loaded and roadmap_id not in order:
                order.append(roadmap_id)
    rest = sorted((i for i in loaded if i not in order), key=lambda i: loaded[i].roadmap.title.lower())
    return {roadmap_id: RoadmapIndex(loaded[roadmap_id]) for roadmap_id in [*order, *rest]}
