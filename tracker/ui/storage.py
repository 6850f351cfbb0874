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

    def submit(self, function: Callable[..., T], *args) -> asyncio.Future[T]:
        """Queue ``function(store, *args)`` on the store thread at once; await the future.

        Queued now, not when a worker first runs: a write asked for just before
        quitting is done even if its worker never starts.
        """
        return asyncio.wrap_future(self._executor.submit(function, self.store, *args))

    async def call(self, function: Callable[..., T], *args) -> T:
        """Run ``function(store, *args)`` on the store thread and return its result."""
        return await self.submit(function, *args)

    def call_now(self, function: Callable[..., T], *args) -> T:
        """Run ``function(store, *args)`` after the queued calls and wait for it (when closing)."""
        return self._executor.submit(function, self.store, *args).result()

    def close(self) -> None:
        """Finish pending writes, then close the database."""
        self._executor.shutdown(wait=True)
        self.store.close()
