"""Turn roadmap YAML files into validated models, with errors that point at a line.

Every problem becomes a :class:`Problem` printed as ``path:line:column: message``.
The YAML is composed into a node tree first (:mod:`tracker.yaml_source`), so
that pydantic's error locations and our own reference checks can be mapped
back to the node at fault. Unchanged files come from a parse cache, which
needs neither YAML nor pydantic.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.files import WriteError, write_file
from tracker.problems import Problem, RoadmapFileError, closest

if TYPE_CHECKING:
    from tracker.yaml_source import YamlDocument

SKILLS_FILE = "skills.yaml"
"""The file of a roadmaps folder that holds shared skill keys, not a roadmap."""

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedRoadmap:
    """A valid roadmap, as the plain data of a validated model, and where it came from.

    Plain data (not the pydantic model) so that a cached parse needs no pydantic.
    """

    roadmap: dict[str, Any]
    path: Path


class ParseCache:
    """Parsed YAML of files that loaded cleanly, keyed by path, size and mtime.

    Parsing YAML and validating it are the slow part of start-up. A cached
    roadmap holds the validated data and the shared skill keys it uses; only
    those are checked again on every load (the shared skills may have changed:
    if one is gone, the file is read again to report it at its line; every
    other reference lies within the unchanged file). A file with any problem is never
    served from the cache, so its errors are always reported from the YAML
    itself. Each roadmap folder has a cache file of its own in ``folder``, read
    when one of its files is first asked for, so a big folder of your own never
    slows down loading another. A cache file that cannot be read or written is
    ignored.
    """

    VERSION = 4

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._entries: dict[str, dict[str, tuple[int, int, Any]]] = {}
        """Per roadmap folder: path -> (mtime, size, data)."""
        self._dirty: set[str] = set()

    def _file(self, source: str) -> Path:
        assert self.folder is not None
        digest = zlib.crc32(source.encode("utf-8", "surrogatepass"))  # the file names its folder inside
        return self.folder / f"{digest:08x}.marshal"

    def _folder_entries(self, path: Path) -> dict[str, tuple[int, int, Any]]:
        source = str(path.parent)
        entries = self._entries.get(source)
        if entries is None:
            entries = self._entries[source] = {}
            if self.folder is not None:
                try:
                    stored = marshal.loads(self._file(source).read_bytes())
                    if stored.get("version") == self.VERSION and stored.get("source") == source:
                        entries.update(stored["entries"])
                except (OSError, ValueError, EOFError, TypeError, AttributeError):
                    pass
        return entries

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int]:
        info = path.stat()
        return info.st_mtime_ns, info.st_size

    def get(self, path: Path) -> Any | None:
        entry = self._folder_entries(path).get(str(path))
        try:
            return entry[2] if entry and entry[:2] == self._stamp(path) else None
        except OSError:
            return None

    def put(self, path: Path, data: Any) -> None:
        try:
            self._folder_entries(path)[str(path)] = (*self._stamp(path), data)
            self._dirty.add(str(path.parent))
        except OSError:
            pass

    def save(self) -> None:
        """Write the cache files that changed (atomically; failures are ignored)."""
        if self.folder is None:
            return
        for source in sorted(self._dirty):
            stored = {"version": self.VERSION, "source": source, "entries": self._entries[source]}
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                write_file(self._file(source), marshal.dumps(stored))
            except (OSError, ValueError, WriteError):
                continue
            self._dirty.discard(source)


def _describe(error: dict[str, Any]) -> str:
    """A short human message for one pydantic error."""
    location = error["loc"]
    name = next((part for part in reversed(location) if isinstance(part, str)), "value")
    kind = error["type"]
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        return f"unknown key '{name}'"
    if kind == "string_pattern_mismatch":
        value = error["input"]
        if name == "url":
            return f"'{value}' is not a http(s) URL"
        return f"'{value}' is not a valid id for '{name}': use lower-case letters, digits and '-'"
    if kind in ("string_type", "int_type", "list_type", "model_type", "dict_type"):
        wanted = {
            "string_type": "text",
            "int_type": "a whole number",
            "list_type": "a list",
            "model_type": "a mapping",
            "dict_type": "a mapping",
        }[kind]
        found = type(error["input"]).__name__
        found = {"dict": "a mapping", "list": "a list", "NoneType": "nothing"}.get(found, found)
        return f"'{name}' should be {wanted}, found {found}"
    if kind == "literal_error":
        return f"'{name}' must be one of {error['ctx']['expected']}, found {error['input']!r}"
    return f"'{name}': {error['msg'][0].lower()}{error['msg'][1:]}"


def _validation_problems(document: YamlDocument, error: Any) -> list[Problem]:
    """Problems for a pydantic ``ValidationError``, at the nodes it names."""
    problems = []
    for item in error.errors(include_url=False):
        location = tuple(item["loc"])
        node = document.locate(location, key=item["type"] == "extra_forbidden")
        problems.append(document.problem(node, _describe(item)))
    return problems


def _walk(items: Iterable, location: Location) -> Iterator[tuple[Any, Location]]:
    for index, item in enumerate(items):
        here = (*location, index)
        yield item, here
        yield from _walk(item["children"], (*here, "children"))


def _reference_problems(
    roadmap: dict[str, Any], document: YamlDocument, skill_keys: set[str] | None
) -> list[Problem]:
    """Duplicate ids, unknown references and misplaced skill keys."""
    problems: list[Problem] = []
    seen: dict[str, Location] = {}
    trackable: set[str] = set()

    def claim(identifier: str, location: Location, *, track: bool) -> None:
        if identifier in seen:
            first = document.locate((*seen[identifier], "id"))
            problems.append(
                document.problem(
                    document.locate((*location, "id")),
                    f"duplicate id '{identifier}' (first used on line {first.start_mark.line + 1})",
                )
            )
        else:
            seen[identifier] = location
            if track:
                trackable.add(identifier)

    for item, location in _walk(roadmap["sections"], ("sections",)):
        claim(item["id"], location, track=True)
        skill = item["skill"]
        if skill is not None:
            if item["children"]:
                problems.append(
                    document.problem(
                        document.locate((*location, "skill")),
                        f"'skill' belongs on a leaf; '{item['id']}' has children",
                    )
                )
            elif skill_keys is not None and skill not in skill_keys:
                problems.append(
                    document.problem(
                        document.locate((*location, "skill")),
                        f"unknown shared skill '{skill}'{closest(skill, skill_keys, cutoff=0.6)}",
                    )
                )
    for p, project in enumerate(roadmap["projects"]):
        claim(project["id"], ("projects", p), track=True)
        for m, milestone in enumerate(project["milestones"]):
            claim(milestone["id"], ("projects", p, "milestones", m), track=True)
    views = (("plan", "items"), ("key_skills", "items"), ("careers", "requires"))
    for name, _ in views:
        for index, entry in enumerate(roadmap[name]):
            claim(entry["id"], (name, index), track=False)

    def check(references: list[str], location: Location) -> None:
        for index, reference in enumerate(references):
            if reference not in trackable:
                problems.append(
                    document.problem(
                        document.locate((*location, index)),
                        f"unknown item id '{reference}'{closest(reference, trackable, cutoff=0.6)}",
                    )
                )

    for p, project in enumerate(roadmap["projects"]):
        check(project["skills"], ("projects", p, "skills"))
    for name, field_name in views:
        for index, entry in enumerate(roadmap[name]):
            check(entry[field_name], (name, index, field_name))
    problems.sort(key=lambda problem: (problem.line, problem.column))
    return problems


def load_roadmap(
    path: Path, skill_keys: set[str] | None = None, cache: ParseCache | None = None
) -> LoadedRoadmap:
    """Load one roadmap file; ``skill_keys`` are the shared keys it may use.

    Raises :class:`RoadmapFileError` listing every problem found.
    """
    cached = cache.get(path) if cache is not None else None
    if cached is not None:
        roadmap, used_skills = cached
        if skill_keys is None or skill_keys.issuperset(used_skills):
            return LoadedRoadmap(roadmap, path)  # unchanged, so only the shared keys need checking
    from pydantic import ValidationError

    from tracker.model import Roadmap
    from tracker.yaml_source import read_document

    document = read_document(path)
    try:
        roadmap = Roadmap.model_validate(document.to_python()).model_dump()
    except ValidationError as error:
        raise RoadmapFileError(_validation_problems(document, error)) from None
    problems = _reference_problems(roadmap, document, skill_keys)
    if problems:
        raise RoadmapFileError(problems)
    if cache is not None:
        used_skills = sorted({item["skill"] for item, _ in _walk(roadmap["sections"], ()) if item["skill"]})
        cache.put(path, (roadmap, used_skills))
    return LoadedRoadmap(roadmap, path)


def locate(path: Path, location: Location) -> tuple[int, int]:
    """Line and column of the node at ``location`` in a file known to parse."""
    from tracker.yaml_source import read_document

    try:
        node = read_document(path).locate(location)
    except RoadmapFileError:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_skills(path: Path, cache: ParseCache | None = None) -> dict[str, str]:
    """Load a ``skills.yaml`` registry: shared skill key to title."""
    cached = cache.get(path) if cache is not None else None
    if cached is not None:
        return cached
    from pydantic import ValidationError

    from tracker.model import SkillRegistry
    from tracker.yaml_source import read_document

    document = read_document(path)
    try:
        registry = SkillRegistry.model_validate(document.to_python())
    except ValidationError as error:
        raise RoadmapFileError(_validation_problems(document, error)) from None
    skills: dict[str, str] = {}
    problems = []
    for index, skill in enumerate(registry.skills):
        if skill.key in skills:
            node = document.locate(("skills", index, "key"))
            problems.append(document.problem(node, f"duplicate skill key '{skill.key}'"))
        skills[skill.key] = skill.title
    if problems:
        raise RoadmapFileError(problems)
    if cache is not None:
        cache.put(path, skills)
    return skills
