"""The path block's references into other roadmaps, checked once every roadmap is loaded.

Run on every load, also from the parse cache, so this module holds only the
check (the choices themselves are in :mod:`tracker.path_options`, loaded when
a path is asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tracker.loader import LoadedRoadmap, Location, locate
from tracker.problems import Problem, closest


def _study_references(data: dict[str, Any]) -> Iterator[tuple[Location, str, str]]:
    """Every covered-roadmap reference of a path block: where it is, the roadmap, the item id
    (``""`` for the roadmap reference itself)."""
    block = data.get("path")
    if not block:
        return
    for index, language in enumerate(block["languages"]):
        here: Location = ("path", "languages", index)
        yield (*here, "roadmap"), language["roadmap"], ""
        yield from _month_references(here, language["roadmap"], language["months"])
        for f_index, framework in enumerate(language["frameworks"]):
            there: Location = (*here, "frameworks", f_index)
            roadmap = framework["roadmap"] or language["roadmap"]
            if framework["roadmap"]:
                yield (*there, "roadmap"), roadmap, ""
            yield from _month_references(there, roadmap, framework["months"])


def _month_references(
    here: Location, roadmap: str, months: list[dict[str, Any]]
) -> Iterator[tuple[Location, str, str]]:
    for m_index, month in enumerate(months):
        for i_index, item in enumerate(month["items"]):
            yield (*here, "months", m_index, "items", i_index), roadmap, item


def path_problems(
    roadmaps: Iterable[LoadedRoadmap], ids_of: Callable[[str], set[str] | None]
) -> list[Problem]:
    """A problem for every path reference to a roadmap or item that is not loaded.

    ``ids_of`` gives the item ids of a loaded roadmap (``None`` for an unknown
    one); it is asked once per roadmap referenced. The file is only read again
    (to find the line) when a reference is broken, so a warm start from the
    parse cache never needs YAML.
    """
    problems = []
    known_ids: dict[str, set[str] | None] = {}
    for loaded in roadmaps:
        for location, roadmap_id, item_id in _study_references(loaded.roadmap):
            if roadmap_id not in known_ids:
                known_ids[roadmap_id] = ids_of(roadmap_id)
            known = known_ids[roadmap_id]
            if known is None and item_id:
                continue  # reported once, where the roadmap is named
            if known is None:
                loaded_ids = [i for i, ids in known_ids.items() if ids is not None]
                message = f"unknown roadmap id '{roadmap_id}'{closest(roadmap_id, loaded_ids)}"
            elif item_id and item_id not in known:
                hint = closest(item_id, known, cutoff=0.6)
                message = f"no item '{item_id}' in roadmap '{roadmap_id}'{hint}"
            else:
                continue
            line, column = locate(loaded.path, location)
            problems.append(Problem(loaded.path, line, column, message))
    return problems


def item_ids(data: dict[str, Any]) -> set[str]:
    """The ids of a roadmap's sections, items, projects and milestones (from its plain data)."""
    ids: set[str] = set()

    def under(item: dict[str, Any]) -> None:
        ids.add(item["id"])
        for child in item["children"]:
            under(child)

    for section in data["sections"]:
        under(section)
    for project in data["projects"]:
        ids.add(project["id"])
        ids.update(milestone["id"] for milestone in project["milestones"])
    return ids
