"""Work that builds many objects at once: an export's, an import's or a sync's history.

Python's cyclic garbage collector runs every few hundred allocations and walks
every object still alive; building 100,000 history entries (and their JSON)
makes it walk them again and again, for nothing: none of them is garbage, and
none forms a cycle. Pausing it around such work makes an export, an import and
a sync of a long history about a fifth faster.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; turned back on after, if it was on (the app
    turns it off while it starts, and may run a sync meanwhile)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
