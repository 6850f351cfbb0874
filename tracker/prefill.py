"""Parse roadmap files in a second process while the app imports its modules.

The first start after an install, or after roadmap files changed, has files to
parse, and importing Textual takes as long. Where a second processor is there
to do it, a forked child loads the catalog into the parse cache meanwhile, and
the app then reads the catalog from the cache. Only on Linux (Windows has no
fork; macOS's system libraries may not survive one), and never when the cache
already holds every file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from tracker.catalog import all_cached, load_catalog
from tracker.loader import ParseCache


def parse_aside(sources: Sequence[Path], cache: ParseCache) -> Callable[[], None]:
    """Start filling ``cache`` with the files of ``sources`` it lacks, in a child process.

    Returns what to call before loading: it waits for the child and makes
    ``cache`` read what the child wrote. Whatever happens to the child, loading
    then works as without it (a file still missing is parsed then).
    """
    if cache.folder is None or not _second_processor() or all_cached(sources, cache):
        return lambda: None
    child = os.fork()
    if child == 0:
        _fill(sources, cache.folder)

    def wait() -> None:
        os.waitpid(child, 0)
        cache.forget()

    return wait


def _second_processor() -> bool:
    return hasattr(os, "fork") and hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 1


def _fill(sources: Sequence[Path], folder: Path) -> NoReturn:
    """The child's work: never a word on the terminal, never the parent's exit handlers."""
    status = 1
    try:
        quiet = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(quiet, descriptor)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # lives as long as the child
        load_catalog(sources, ParseCache(folder))
        status = 0
    finally:
        os._exit(status)
