"""Turn roadmap YAML files into validated data, with errors that point at a line.

Every problem becomes a :class:`Problem` printed as ``path:line:column: message``.
A file is first read the quick way: libyaml's events straight into plain data
(:mod:`tracker.yaml_quick`), validated with the models' stored core schema
(:mod:`tracker.model_schema`), no positions kept. A file that is not valid, or
that the quick way cannot vouch for, is read again into a node tree that keeps
positions (:mod:`tracker.yaml_source`) and validated by the models, so that
pydantic's error locations can be mapped back to the node at fault. A valid
file whose references are wrong gets its node tree once one is found.
Unchanged files come from the parse cache (:mod:`tracker.parse_cache`).
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.parse_cache import ParseCache
from tracker.problems import Problem, RoadmapFileError, closest

if TYPE_CHECKING:
    from tracker.yaml_source import LazyDocument, YamlDocument

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Roadmap files larger than this are refused before parsing."""

SKILLS_FILE = "skills.yaml"
"""The file of a roadmaps folder that holds shared skill keys, not a roadmap."""


def is_skills_file(path: Path) -> bool:
    """Whether ``path`` is a folder's shared skills file (in any case, like every roadmap suffix)."""
    return path.name.lower() == SKILLS_FILE


Location = tuple[str | int, ...]


class LoadedRoadmap(NamedTuple):
    """A valid roadmap, as the plain data of a validated model, and where it came from.

    Plain data (not the pydantic model) so that a cached parse needs no pydantic.
    """

    roadmap: dict[str, Any]
    path: Path


def read_source(path: Path) -> bytes:
    """The bytes of a roadmap file; a problem at its first line if it cannot be one."""

    def whole_file(message: str) -> RoadmapFileError:
        return RoadmapFileError([Problem(path, 1, 1, message)])

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise whole_file("not a regular file (a folder, pipe, device or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise whole_file(
                f"file is {info.st_size / 1024 / 1024:.1f} MiB; "
                f"the limit is {MAX_FILE_BYTES // 1024 // 1024} MiB"
            )
        return path.read_bytes()
    except OSError as error:
        raise whole_file(f"cannot read file: {error.strerror or error}") from None


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
    roadmap: dict[str, Any], document: YamlDocument | LazyDocument, skill_keys: set[str] | None
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
    problems.extend(_path_problems(roadmap, document, trackable))
    for name, field_name in views:
        for index, entry in enumerate(roadmap[name]):
            check(entry[field_name], (name, index, field_name))
    problems.sort(key=lambda problem: (problem.line, problem.column))
    return problems


def _path_problems(
    roadmap: dict[str, Any], document: YamlDocument | LazyDocument, trackable: set[str]
) -> list[Problem]:
    """What a ``path`` block gets wrong within its own file: competencies that are no item
    here, plan months that do not exist, ids used twice. (Its references into other
    roadmaps are checked once every roadmap is loaded: :mod:`tracker.path_options`.)"""
    block = roadmap.get("path")
    if not block:
        return []
    problems: list[Problem] = []
    months = {month["month"] for month in roadmap["plan"]}

    def at(location: Location, message: str) -> None:
        problems.append(document.problem(document.locate(location), message))

    def option(entry: dict[str, Any], location: Location) -> None:
        competency = entry["competency"]
        if competency is not None and competency not in trackable:
            hint = closest(competency, trackable, cutoff=0.6)
            at((*location, "competency"), f"unknown item id '{competency}'{hint}")
        for index, month in enumerate(entry["months"]):
            if month["month"] not in months:
                at((*location, "months", index, "month"), f"the plan has no month {month['month']}")

    languages: set[str] = set()
    for index, language in enumerate(block["languages"]):
        here: Location = ("path", "languages", index)
        if language["id"] in languages:
            at((*here, "id"), f"duplicate language id '{language['id']}'")
        languages.add(language["id"])
        option(language, here)
        frameworks: set[str] = set()
        for f_index, framework in enumerate(language["frameworks"]):
            there: Location = (*here, "frameworks", f_index)
            if framework["id"] in frameworks:
                at(
                    (*there, "id"),
                    f"duplicate framework id '{framework['id']}' in language '{language['id']}'",
                )
            frameworks.add(framework["id"])
            option(framework, there)
    return problems


def _read(path: Path, content: bytes, model: str) -> tuple[dict[str, Any], YamlDocument | LazyDocument]:
    """The ``model_dump()`` of a file valid for ``model`` (named in :mod:`tracker.model`) and its positions.

    Raises :class:`RoadmapFileError` listing every problem found.
    """
    from tracker.model_schema import validated
    from tracker.yaml_quick import read_quick

    try:
        plain = read_quick(content.decode("utf-8"))
    except UnicodeDecodeError:
        plain = None
    data = validated(model, plain) if plain is not None else None
    if data is not None:
        from tracker.yaml_source import LazyDocument

        return data, LazyDocument(path, content)
    from pydantic import ValidationError

    from tracker import model as models
    from tracker.yaml_source import read_document

    document = read_document(path, content)
    try:
        data = getattr(models, model).model_validate(document.to_python()).model_dump()
    except ValidationError as error:
        raise RoadmapFileError(_validation_problems(document, error)) from None
    return data, document


def load_roadmap(
    path: Path, skill_keys: set[str] | None = None, cache: ParseCache | None = None
) -> LoadedRoadmap:
    """Load one roadmap file; ``skill_keys`` are the shared keys it may use.

    Raises :class:`RoadmapFileError` listing every problem found.
    """
    content = read_source(path)
    cached = cache.get(path, content) if cache is not None else None
    if cached is not None:
        roadmap, used_skills = cached
        if skill_keys is None or skill_keys.issuperset(used_skills):
            return LoadedRoadmap(roadmap, path)  # unchanged, so only the shared keys need checking
    roadmap, document = _read(path, content, "Roadmap")
    problems = _reference_problems(roadmap, document, skill_keys)
    if problems:
        raise RoadmapFileError(problems)
    if cache is not None:
        used_skills = sorted({item["skill"] for item, _ in _walk(roadmap["sections"], ()) if item["skill"]})
        cache.put(path, content, (roadmap, used_skills))
    return LoadedRoadmap(roadmap, path)


def locate(path: Path, location: Location) -> tuple[int, int]:
    """Line and column of the node at ``location`` in a file known to parse."""
    from tracker.yaml_source import read_document

    try:
        node = read_document(path, read_source(path)).locate(location)
    except RoadmapFileError:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_skills(path: Path, cache: ParseCache | None = None) -> dict[str, str]:
    """Load a ``skills.yaml`` registry: shared skill key to title."""
    content = read_source(path)
    cached = cache.get(path, content) if cache is not None else None
    if cached is not None:
        return cached
    registry, document = _read(path, content, "SkillRegistry")
    skills: dict[str, str] = {}
    problems = []
    for index, skill in enumerate(registry["skills"]):
        if skill["key"] in skills:
            node = document.locate(("skills", index, "key"))
            problems.append(document.problem(node, f"duplicate skill key '{skill['key']}'"))
        skills[skill["key"]] = skill["title"]
    if problems:
        raise RoadmapFileError(problems)
    if cache is not None:
        cache.put(path, content, skills)
    return skills
