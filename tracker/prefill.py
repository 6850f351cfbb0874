"""Parse roadmap files in a second process on a cold start.

The first start after an install, or after roadmap files changed, parses them.
Where a second processor is there, a forked child parses into the parse cache
meanwhile: every file while the app imports Textual, or every other file while
a command parses the rest. Loading then reads the cache. Only on Linux
(Windows has no fork; macOS's system libraries may not survive one), and
never when the cache holds every file. Whatever happens to the child, loading
works as without it: a file still missing is parsed then.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import NoReturn

from tracker.catalog import load_catalog, roadmap_files
from tracker.loader import (
    RoadmapFileError,
    is_skills_file,
    load_roadmap,
    load_skills,
)
from tracker.parse_cache import ParseCache

HALVES_FROM = 256 * 1024
"""Bytes of roadmap files to parse from which a command shares them with a child."""


def parse_aside(sources: Sequence[Path], cache: ParseCache) -> Callable[[], None]:
    """Start a child parsing every file of ``sources`` that ``cache`` lacks.

    Returns what to call before loading: it waits for the child and takes what
    it saved into ``cache``.
    """
    if not _uncached(sources, cache):
        return lambda: None
    child = _fork(lambda: load_catalog(sources, ParseCache(cache.folder)))
    return lambda: _join(child, cache)


def parse_halves(sources: Sequence[Path], cache: ParseCache) -> None:
    """Parse the files of ``sources`` that ``cache`` lacks into it, every other one in a child.

    Not for less than :data:`HALVES_FROM` bytes: a child costs more than it
    saves. The child saves its half; the caller's load saves the whole.
    """
    sizes = {path: _size(path) for path in _uncached(sources, cache) if not is_skills_file(path)}
    if sum(sizes.values()) < HALVES_FROM:
        return
    skills = [path for path in roadmap_files(sources) if is_skills_file(path)]
    roadmaps = sorted(sizes, key=sizes.__getitem__, reverse=True)  # so that the halves weigh the same

    def child_half() -> None:
        theirs = ParseCache(cache.folder)
        _parse(skills, roadmaps[1::2], theirs)
        theirs.save()

    child = _fork(child_half)
    _parse(skills, roadmaps[::2], cache)
    _join(child, cache)


def _uncached(sources: Sequence[Path], cache: ParseCache) -> list[Path]:
    """The files of ``sources`` that ``cache`` has never parsed; none where no child can help.

    Only whether there is an entry, not whether it still fits the file: reading
    and fingerprinting every file here would cost each warm start what the load
    does anyway, and a file edited since is one file for the load to parse.
    """
    if cache.folder is None or not _second_processor():
        return []
    return [path for path in roadmap_files(sources) if not cache.has_entry(path)]


def _second_processor() -> bool:
    return hasattr(os, "fork") and hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _parse(skill_files: Iterable[Path], files: Iterable[Path], cache: ParseCache) -> None:
    """Load ``files`` into ``cache``, checked against every shared skill as the catalog does."""
    skills: dict[str, str] = {}
    for path in skill_files:
        with suppress(RoadmapFileError):
            skills.update(load_skills(path, cache))
    for path in files:
        with suppress(RoadmapFileError):
            load_roadmap(path, set(skills), cache)


def _fork(work: Callable[[], object]) -> int:
    """Run ``work`` in a child: never a word on the terminal, never the parent's exit handlers."""
    child = os.fork()
    if child == 0:
        _child(work)
    return child


def _child(work: Callable[[], object]) -> NoReturn:
    status = 1
    try:
        quiet = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(quiet, descriptor)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # lives as long as the child
        work()
        status = 0
    finally:
        os._exit(status)


def _join(child: int, cache: ParseCache) -> None:
    os.waitpid(child, 0)
    cache.refresh()
