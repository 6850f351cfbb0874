"""Runs store calls on one background thread, in order, off the UI thread.

A single worker thread keeps writes in the order the keys were pressed and
lets SQLite's busy timeout wait without freezing the screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from tracker.store import Store

T = TypeVar("T")


class StoreGateway:
    """Awaitable access to a :class:`Store` from the event loop."""

    def __init__(self, store: Store):
        self.store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")

    async def call(self, function: Callable[..., T], *args) -> T:
        """Run ``function(store, *args)`` on the store thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function, self.store, *args)

    def close(self) -> None:
        """Finish pending writes, then close the database."""
        self._executor.shutdown(wait=True)
        self.store.close()
