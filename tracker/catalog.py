"""All roadmaps at once: loading every source, lookups by id, shared skills.

The catalog turns each roadmap's sections and projects into one tree of
:class:`Node` objects, built the first time that roadmap's nodes are asked
for (its progress keys are known at once). A leaf's progress is stored under
its ``key``: the shared skill key when it has one (so it is shared by every
roadmap that teaches it), otherwise ``roadmap/item``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tracker.errors import TrackerError
from tracker.loader import (
    LoadedRoadmap,
    Problem,
    RoadmapFileError,
    is_skills_file,
    load_roadmap,
    load_skills,
    locate,
)
from tracker.parse_cache import ParseCache
from tracker.path_references import item_ids, path_problems
from tracker.problems import closest

if TYPE_CHECKING:
    from tracker.path_options import PathOptions

ROADMAP_SUFFIXES = (".yaml", ".yml")

LEVEL_DESCRIPTIONS = {
    "beginner": (
        "Small, self-contained services that put the fundamentals to work: one process, "
        "one database, CRUD over HTTP, tests and a README. Start here."
    ),
    "intermediate": (
        "Several moving parts at once: payments or third-party APIs, background work, "
        "real-time updates, roles and caching. Take these on once the beginner projects feel easy."
    ),
    "advanced": (
        "Systems that must scale and stay up: several services, queues and events, "
        "observability and failure handling. The work of a senior backend engineer."
    ),
}
"""What each project level asks of the learner (shown on the Projects tab; the
levels themselves are checked by the schema)."""


class LookupProblem(TrackerError, LookupError):
    """An unknown roadmap or item id; the message offers the closest ids."""


def progress_key(roadmap_id: str, item_id: str, skill: str | None) -> str:
    """Where a leaf's status is stored: its shared skill, or its roadmap and id."""
    return f"skill:{skill}" if skill else f"{roadmap_id}/{item_id}"


class KeyMove(NamedTuple):
    """A retired progress key and the keys its stored progress belongs to now (``moved:`` in
    ``skills.yaml``, written here as stored: ``skill:KEY`` or ``roadmap/item``)."""

    source: str
    targets: tuple[str, ...]


def stored_key(reference: str) -> str:
    """The stored key a ``skills.yaml`` reference means: ``sql-joins`` is a shared skill,
    ``python/py-basics`` an item's own key."""
    return reference if "/" in reference else f"skill:{reference}"


class Link(NamedTuple):
    """A resource: a title and the URL it points at."""

    title: str
    url: str


class View(NamedTuple):
    """A month of the plan, a key skill or a career path: a name for a set of nodes."""

    id: str
    title: str
    description: str | None
    nodes: tuple[Node, ...]
    number: int | None = None


class Node:
    """One trackable thing: a section, item, project or milestone (equal only to itself).

    Records here are ``NamedTuple``s and plain classes, not dataclasses: defining
    a dataclass compiles its methods, about a millisecond each on every start.
    """

    __slots__ = (
        "roadmap_id",
        "id",
        "title",
        "kind",
        "description",
        "resources",
        "skill",
        "level",
        "parent",
        "children",
        "exercises",
        "key",
    )

    def __init__(
        self,
        roadmap_id: str,
        id: str,
        title: str,
        kind: str,
        description: str | None = None,
        resources: tuple[Link, ...] = (),
        skill: str | None = None,
        level: str | None = None,
        parent: Node | None = None,
    ):
        self.roadmap_id = roadmap_id
        self.id = id
        self.title = title
        self.kind = kind
        self.description = description
        self.resources = resources
        self.skill = skill
        self.level = level
        self.parent = parent
        self.children: list[Node] = []
        self.exercises: tuple[str, ...] = ()
        """For a project: ids of the items it exercises."""
        self.key = progress_key(roadmap_id, id, skill)
        """Where this leaf's status is stored."""

    def __repr__(self) -> str:
        return f"Node({self.roadmap_id!r}, {self.id!r}, {self.title!r}, {self.kind!r})"

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


class BuiltRoadmap(NamedTuple):
    """Everything built from one roadmap's nodes, all at once."""

    sections: list[Node]
    projects: list[Node]
    roots: list[Node]
    nodes: dict[str, Node]
    leaves: list[Node]
    leaves_by_key: dict[str, list[Node]]
    plan: list[View]
    key_skills: list[View]
    careers: list[View]
    project_levels: list[View]


class CrossLink(NamedTuple):
    """A link from one entry to another: what it is to the entry, and the roadmap that shows it."""

    relation: str
    target: Node | View
    roadmap_id: str


class RoadmapIndex:
    """One roadmap with its nodes indexed by id.

    The title, progress keys and other plain facts are read at once; the tree of
    nodes and the plan, key skills and careers over it are built together on
    first use (under a lock: the store thread may be writing a report), so
    starting up never pays for the roadmaps nobody opens.
    """

    def __init__(self, loaded: LoadedRoadmap):
        data = loaded.roadmap
        self._data = data
        self.path = loaded.path
        self.id: str = data["id"]
        self.title: str = data["title"]
        self.description: str | None = data["description"]
        self.resources = _links(data["resources"])
        self.covers: list[str] = data["covers"]
        self.path_block: dict | None = data.get("path")
        """The stacks a learner can choose here (see :mod:`tracker.path_options`), if any."""
        self.leaf_keys: tuple[str, ...] = tuple(_leaf_keys(data))
        """The progress key of every leaf, in tree order (a shared key can repeat)."""
        self.keys: frozenset[str] = frozenset(self.leaf_keys)
        self._built: BuiltRoadmap | None = None
        self._building = threading.Lock()

    @cached_property
    def key_counts(self) -> Counter[str]:
        """How many leaves each progress key has here (needed only when progress changes)."""
        return Counter(self.leaf_keys)

    @property
    def is_master(self) -> bool:
        """A roadmap with projects, a plan or careers gets the extra tabs."""
        data = self._data
        return bool(data["projects"] or data["plan"] or data["key_skills"] or data["careers"])

    @property
    def is_built(self) -> bool:
        """Have this roadmap's nodes been built yet?"""
        return self._built is not None

    @property
    def built(self) -> BuiltRoadmap:
        """The nodes and views of this roadmap, built the first time they are asked for."""
        if self._built is None:
            with self._building:
                if self._built is None:
                    self._built = self._build()
        return self._built

    def _build(self) -> BuiltRoadmap:
        data = self._data
        sections = [self._item(item, None, "section") for item in data["sections"]]
        projects = [self._project(project) for project in data["projects"]]
        roots = [*sections, *projects]
        nodes = {n.id: n for root in roots for n in root.walk()}
        leaves = [leaf for root in roots for leaf in root.leaves()]
        leaves_by_key: dict[str, list[Node]] = {}
        for leaf in leaves:
            leaves_by_key.setdefault(leaf.key, []).append(leaf)

        def view(entry: dict, field_name: str, number: int | None = None) -> View:
            members = tuple(nodes[i] for i in entry[field_name])
            return View(entry["id"], entry["title"], entry["description"], members, number)

        return BuiltRoadmap(
            sections,
            projects,
            roots,
            nodes,
            leaves,
            leaves_by_key,
            plan=[view(month, "items", month["month"]) for month in data["plan"]],
            key_skills=[view(skill, "items") for skill in data["key_skills"]],
            careers=[view(career, "requires") for career in data["careers"]],
            project_levels=_project_levels(projects),
        )

    @property
    def sections(self) -> list[Node]:
        return self.built.sections

    @property
    def projects(self) -> list[Node]:
        return self.built.projects

    @property
    def roots(self) -> list[Node]:
        return self.built.roots

    @property
    def nodes(self) -> dict[str, Node]:
        return self.built.nodes

    @property
    def leaves(self) -> list[Node]:
        return self.built.leaves

    @property
    def leaves_by_key(self) -> dict[str, list[Node]]:
        """The leaves of each progress key (two leaves can share a skill)."""
        return self.built.leaves_by_key

    @property
    def plan(self) -> list[View]:
        return self.built.plan

    @property
    def key_skills(self) -> list[View]:
        return self.built.key_skills

    @property
    def careers(self) -> list[View]:
        return self.built.careers

    @property
    def project_levels(self) -> list[View]:
        """The projects grouped by level, in the order the levels first appear."""
        return self.built.project_levels

    def _item(self, item: dict, parent: Node | None, kind: str) -> Node:
        node = Node(
            self.id,
            item["id"],
            item["title"],
            kind,
            item["description"],
            _links(item["resources"]),
            item["skill"],
            parent=parent,
        )
        node.children = [self._item(child, node, "item") for child in item["children"]]
        return node

    def _project(self, project: dict) -> Node:
        node = Node(
            self.id,
            project["id"],
            project["title"],
            "project",
            project["brief"],
            _links(project["resources"]),
            level=project["level"],
        )
        node.children = [
            Node(self.id, m["id"], m["title"], "milestone", m["description"], parent=node)
            for m in project["milestones"]
        ]
        node.exercises = tuple(project["skills"])
        return node

    def overview(self) -> View:
        """The roadmap itself as a view: its description (whom it is for) over its sections."""
        return View(self.id, self.title, self.description, tuple(self.sections))

    def views_holding(self, node: Node) -> list[View]:
        """Plan months that cover ``node`` or anything above it."""
        above = {id(n) for n in node.path()}
        return [month for month in self.plan if any(id(n) in above for n in month.nodes)]

    def projects_using(self, node: Node) -> list[Node]:
        """Projects that exercise ``node`` or anything above it."""
        above = {n.id for n in node.path()}
        return [p for p in self.projects if above & set(p.exercises)]

    def node(self, item_id: str) -> Node:
        """The node with ``item_id``; :class:`LookupProblem` names the closest ids."""
        try:
            return self.nodes[item_id]
        except KeyError:
            hint = closest(item_id, self.nodes)
            raise LookupProblem(f"no item '{item_id}' in roadmap '{self.id}'{hint}") from None


class Catalog:
    """Every roadmap that loaded, and every file that did not."""

    def __init__(
        self,
        roadmaps: dict[str, RoadmapIndex],
        skills: dict[str, str],
        problems: list[Problem] | None = None,
        overridden: list[tuple[str, Path, Path]] | None = None,
        key_moves: list[KeyMove] | None = None,
    ):
        self.roadmaps = roadmaps
        self.skills = skills
        self.problems = [] if problems is None else problems
        self.overridden = [] if overridden is None else overridden
        self.key_moves = [] if key_moves is None else key_moves
        """Retired keys and where their stored progress goes (see :func:`tracker.actions.apply_key_moves`)."""

    def roadmap(self, roadmap_id: str) -> RoadmapIndex:
        """The roadmap with ``roadmap_id``; :class:`LookupProblem` names the closest ids."""
        try:
            return self.roadmaps[roadmap_id]
        except KeyError:
            hint = closest(roadmap_id, self.roadmaps)
            raise LookupProblem(f"no roadmap '{roadmap_id}'{hint}") from None

    def cross_links(self, entry: Node | View, roadmap_id: str) -> list[CrossLink]:
        """Where ``entry`` (shown in roadmap ``roadmap_id``) leads: the one set of linking rules.

        A view lists its items; a project the items it exercises; an item the
        projects that exercise it, the same skill in other roadmaps (opened in
        those roadmaps) and the plan months that cover it.
        """
        if isinstance(entry, View):
            return [CrossLink("", node, node.roadmap_id) for node in entry.nodes]
        roadmap = self.roadmaps[entry.roadmap_id]
        links: list[CrossLink] = []
        if entry.kind == "project":
            links += [CrossLink("exercises", roadmap.nodes[i], roadmap.id) for i in entry.exercises]
        else:
            links += [CrossLink("project", p, roadmap.id) for p in roadmap.projects_using(entry)]
        if entry.skill:
            links += [
                CrossLink(f"in {self.roadmaps[n.roadmap_id].title}", n, n.roadmap_id)
                for n in self.nodes_with_key(entry.key)
                if n is not entry
            ]
        links += [CrossLink("in the plan", month, roadmap.id) for month in roadmap.views_holding(entry)]
        return links + self._path_links(entry)

    def path_choices(self) -> PathOptions | None:
        """The stacks a learner can choose: the first roadmap's (masters come first) path block."""
        return self._path_choices

    @cached_property
    def _path_choices(self) -> PathOptions | None:
        from tracker.path_options import options_from_data

        for roadmap in self.roadmaps.values():
            options = options_from_data(roadmap.id, roadmap.path_block)
            if options is not None:
                return options
        return None

    def _path_links(self, entry: Node) -> list[CrossLink]:
        """A master competency leads to the covered sections its options study ("studied in
        Python"), and such a section back to the competency ("for FastAPI in Backend & Server")."""
        options = self._path_choices
        if options is None or options.master_id not in self.roadmaps:
            return []
        master = self.roadmaps[options.master_id]
        links: list[CrossLink] = []
        for _, option in options.options():
            studied = self.roadmaps.get(option.roadmap_id)
            if studied is None:
                continue
            if entry.roadmap_id == master.id and entry.id == option.competency:
                ids = dict.fromkeys(item for _, items in option.months for item in items)
                links += [
                    CrossLink(f"studied in {studied.title}", studied.nodes[i], studied.id)
                    for i in ids
                    if i in studied.nodes
                ]
            elif entry.roadmap_id == studied.id and option.competency in master.nodes:
                if any(entry.id in items for _, items in option.months):
                    target = master.nodes[option.competency]
                    links.append(CrossLink(f"for {option.title} in {master.title}", target, master.id))
        return links

    def node(self, roadmap_id: str, item_id: str) -> Node:
        """Look up one item of one roadmap."""
        return self.roadmap(roadmap_id).node(item_id)

    def nodes_with_key(self, key: str) -> list[Node]:
        """Every leaf, in every roadmap, whose status is stored under ``key``."""
        return [
            leaf
            for roadmap_id in self.roadmaps_with_key(key)
            for leaf in self.roadmaps[roadmap_id].leaves_by_key[key]
        ]

    def roadmaps_with_key(self, key: str) -> list[str]:
        """Ids of the roadmaps that have a leaf stored under ``key``, in catalog order."""
        return self._roadmaps_by_key.get(key, [])

    def known_keys(self) -> set[str]:
        """Every progress key some roadmap uses."""
        return set().union(*(roadmap.keys for roadmap in self.roadmaps.values()))

    @cached_property
    def _roadmaps_by_key(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for roadmap in self.roadmaps.values():
            for key in roadmap.keys:
                index.setdefault(key, []).append(roadmap.id)
        return index


def _files(source: Path, problems: list[Problem]) -> list[Path]:
    """The roadmap files of a source: a folder's ``.yaml`` and ``.yml`` files (in any case),
    or the source itself; reading each says if it is not a regular file.

    A missing source has none (the user's folder need not exist); a folder that
    cannot be listed is a problem.
    """
    if not source.is_dir():
        return [source] if source.exists() else []
    try:
        entries = sorted(source.iterdir())
    except OSError as error:
        problems.append(Problem(source, 1, 1, f"cannot list the folder: {error.strerror or error}"))
        return []
    return [path for path in entries if path.suffix.lower() in ROADMAP_SUFFIXES and not path.is_dir()]


def roadmap_files(sources: Iterable[Path]) -> list[Path]:
    """Every roadmap and skills file of ``sources`` (as :func:`load_catalog` finds them)."""
    return [path for source in sources for path in _files(Path(source), [])]


def load_catalog(sources: Iterable[Path], cache: ParseCache | None = None) -> Catalog:
    """Load every roadmap of every source; bad files become ``problems``.

    A later source's roadmap replaces an earlier one with the same id (so a user
    can customise a bundled roadmap); two files with one id in the same source
    is an error on the second.
    """
    problems: list[Problem] = []
    files_by_source = [_files(Path(source), problems) for source in sources]
    skills: dict[str, str] = {}
    key_moves: list[KeyMove] = []
    moves_cache = _moves_cache(cache)
    for files in files_by_source:
        for path in files:
            if is_skills_file(path):
                try:
                    skills.update(load_skills(path, cache))
                except RoadmapFileError as error:
                    problems.extend(error.problems)
                else:
                    key_moves.extend(load_key_moves(path, moves_cache))
    loaded: dict[str, LoadedRoadmap] = {}
    overridden: list[tuple[str, Path, Path]] = []
    for files in files_by_source:
        seen_here: dict[str, Path] = {}
        for path in files:
            if is_skills_file(path):
                continue
            try:
                result = load_roadmap(path, set(skills), cache)
            except RoadmapFileError as error:
                problems.extend(error.problems)
                continue
            roadmap_id = result.roadmap["id"]
            if roadmap_id in seen_here:
                problems.append(
                    Problem(
                        path,
                        1,
                        1,
                        f"roadmap id '{roadmap_id}' is already used by {seen_here[roadmap_id]}",
                    )
                )
                continue
            seen_here[roadmap_id] = path
            if roadmap_id in loaded:
                overridden.append((roadmap_id, loaded[roadmap_id].path, path))
            loaded[roadmap_id] = result
    problems.extend(cover_problems(loaded.values(), set(loaded)))
    problems.extend(
        path_problems(loaded.values(), lambda i: item_ids(loaded[i].roadmap) if i in loaded else None)
    )
    if cache is not None:
        cache.save()
    if moves_cache is not None:
        moves_cache.save()
    return Catalog(_ordered(loaded), skills, problems, overridden, key_moves)


def _moves_cache(cache: ParseCache | None) -> ParseCache | None:
    """A parse cache of its own for the ``moved:`` lists, beside the roadmaps' one.

    The loader caches a skills file as key to title; the moves are kept apart so
    that a warm start reads neither YAML nor pydantic for them either.
    """
    if cache is None or cache.folder is None:
        return None
    return ParseCache(cache.folder / "key-moves")


def load_key_moves(path: Path, cache: ParseCache | None = None) -> list[KeyMove]:
    """The ``moved:`` list of a skills file that validated (so its shape is known)."""
    try:
        content = path.read_bytes()
    except OSError:
        return []
    entries = cache.get(path, content) if cache is not None else None
    if entries is None:
        from tracker.yaml_quick import read_quick
        from tracker.yaml_source import read_document

        try:
            data = read_quick(content.decode("utf-8")) or read_document(path, content).to_python()
        except (UnicodeDecodeError, RoadmapFileError):
            return []
        moved = data.get("moved") if isinstance(data, dict) else None
        entries = [(entry["from"], list(entry["to"])) for entry in moved or ()]
        if cache is not None:
            cache.put(path, content, entries)
    return [
        KeyMove(stored_key(source), tuple(stored_key(target) for target in targets))
        for source, targets in entries
    ]


def cover_problems(roadmaps: Iterable[LoadedRoadmap], known: set[str]) -> list[Problem]:
    """A problem for every ``covers`` entry that names no known roadmap."""
    problems = []
    for result in roadmaps:
        for index, cover in enumerate(result.roadmap["covers"]):
            if cover not in known:
                line, column = locate(result.path, ("covers", index))
                message = f"unknown roadmap id '{cover}'{closest(cover, known)}"
                problems.append(Problem(result.path, line, column, message))
    return problems


def validate_paths(
    paths: Iterable[Path], sources: Iterable[Path], cache: ParseCache | None = None
) -> tuple[int, list[Problem]]:
    """Check roadmap files (folders are expanded) against the configured sources.

    Shared skills and roadmap ids come from the sources (through ``cache``) and
    from the paths themselves (always read). Returns how many files were
    checked and every problem found.
    """
    base = load_catalog(sources, cache)
    missing = [Path(p) for p in paths if not Path(p).exists()]
    problems = [Problem(p, 1, 1, "no such file or folder") for p in missing]
    files = [f for path in paths for f in _files(Path(path), problems)]
    skills = dict(base.skills)
    for path in files:
        if is_skills_file(path):
            try:
                skills.update(load_skills(path))
            except RoadmapFileError as error:
                problems.extend(error.problems)
    loaded = []
    for path in files:
        if not is_skills_file(path):
            try:
                loaded.append(load_roadmap(path, set(skills)))
            except RoadmapFileError as error:
                problems.extend(error.problems)
    known = set(base.roadmaps) | {result.roadmap["id"] for result in loaded}
    problems.extend(cover_problems(loaded, known))
    data = {roadmap_id: index._data for roadmap_id, index in base.roadmaps.items()}
    data.update({result.roadmap["id"]: result.roadmap for result in loaded})
    problems.extend(path_problems(loaded, lambda i: item_ids(data[i]) if i in data else None))
    return len(files), problems


def _ordered(loaded: dict[str, LoadedRoadmap]) -> dict[str, RoadmapIndex]:
    """Roadmaps with a plan first, then the ones they cover in order, then by title."""
    masters = sorted(
        (r.roadmap for r in loaded.values() if r.roadmap["covers"] or r.roadmap["plan"]),
        key=lambda r: r["title"].lower(),
    )
    order: list[str] = []
    for master in masters:
        for roadmap_id in (master["id"], *master["covers"]):
            if roadmap_id in loaded and roadmap_id not in order:
                order.append(roadmap_id)
    rest = sorted((i for i in loaded if i not in order), key=lambda i: loaded[i].roadmap["title"].lower())
    return {roadmap_id: RoadmapIndex(loaded[roadmap_id]) for roadmap_id in [*order, *rest]}


def _leaf_keys(data: dict) -> list[str]:
    """The progress keys of a roadmap's leaves in tree order, read from its data without
    building nodes (with a stack, not recursion: this runs for every roadmap on every start)."""
    roadmap_id = data["id"]
    keys: list[str] = []
    stack = list(reversed(data["sections"]))
    while stack:
        item = stack.pop()
        children = item["children"]
        if children:
            stack.extend(reversed(children))
        else:
            keys.append(progress_key(roadmap_id, item["id"], item["skill"]))
    for project in data["projects"]:
        milestones = project["milestones"] or [project]
        keys.extend(progress_key(roadmap_id, m["id"], None) for m in milestones)
    return keys


def _links(resources: list[dict]) -> tuple[Link, ...]:
    return tuple([Link(r["title"], r["url"]) for r in resources]) if resources else ()


def _project_levels(projects: list[Node]) -> list[View]:
    """One view per project level ("Beginner projects"), saying what the level means."""
    levels = dict.fromkeys(project.level or "other" for project in projects)
    return [
        View(
            f"level-{level}",
            f"{level.capitalize()} projects",
            LEVEL_DESCRIPTIONS.get(level),
            tuple(p for p in projects if (p.level or "other") == level),
        )
        for level in levels
    ]
