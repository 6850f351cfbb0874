"""Sync in the app: with a sync file set, after the first frame, from the palette and on quit.

The merging is the core's (:func:`tracker.sync.sync_configured`, the same as
``tracker sync``), run on the store thread; this module only says what it did,
brings the screen up to what is now stored, and keeps "synced 5 min ago" in
the header. A failure is a notification (or, on quit, a line after the app
closes), never a crash, and the database and the file are left as they were.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tracker.store import Store, StoreError
from tracker.stored import SYNC_FILE

if TYPE_CHECKING:
    from tracker.catalog import Catalog
    from tracker.sync import SyncResult
    from tracker.ui.app import TrackerApp

HEADER_SECONDS = 30.0
"""How often the header's "synced … ago" is brought up to date."""


def _configuration(store: Store) -> tuple[str | None, datetime | None]:
    """The sync file and the last sync; the sync's modules load only where a file is set."""
    if not store.setting(SYNC_FILE):
        return None, None
    from tracker.sync import configured_file, last_synced

    path = configured_file(store)
    return (str(path) if path is not None else None), last_synced(store)


def _sync(store: Store, catalog: Catalog) -> SyncResult:
    from tracker.sync import sync_configured

    return sync_configured(store, catalog)


class Syncing:
    """Sync on start (after the first frame), on ``Sync now`` and on quit."""

    def __init__(self, app: TrackerApp):
        self.app = app
        self.file: str | None = None
        self.last: datetime | None = None
        self._read = False

    def start(self) -> None:
        """Read the setting, then sync in the background if a file is set."""

        async def run() -> None:
            try:
                self.file, self.last = await self.app.gateway.call(_configuration)
            except StoreError:
                return  # the database's own trouble is said elsewhere
            self._read = True
            self.app.update_header()
            if self.file is not None:
                await self._run(quiet=True)

        self.app.run_worker(run(), group="sync")
        self.app.set_interval(HEADER_SECONDS, self.app.update_header)

    def header_text(self) -> str:
        """`` · synced 5 min ago`` for the header, when a sync file is set."""
        if self.file is None:
            return ""
        from tracker.sync import synced_ago

        return f" · {synced_ago(self.last, self.app.clock())}"

    def sync_now(self) -> None:
        """The palette's ``Sync now``."""
        self.app.run_worker(self._run(quiet=False), group="sync", exclusive=True)

    async def _run(self, quiet: bool) -> None:
        from tracker.sync import SyncError

        try:
            result = await self.app.gateway.call(_sync, self.app.catalog)
        except (SyncError, StoreError) as error:
            self.app.notify(str(error), title="Sync failed", severity="error", timeout=10)
            return
        self.file, self.last = str(result.file), self.app.clock()
        self.app.update_header()
        await self.app.keeper.catch_up_with(result.change)  # done dates can change with no status
        if result.conflicts:
            self.app.notify("\n".join(result.messages()), title="Synced", severity="warning", timeout=15)
        elif not quiet or result.change is not None:
            self.app.notify(result.describe(), title="Synced", timeout=6)

    def sync_on_quit(self) -> str | None:
        """Sync before closing (blocking, on the store thread); a line to print if it failed."""
        from tracker.sync import SyncError

        try:
            if not self._read:  # quitting before the start's read finished
                self.file, self.last = self.app.gateway.call_now(_configuration)
                self._read = True
            if self.file is None:
                return None
            self.app.gateway.call_now(_sync, self.app.catalog)
        except (SyncError, StoreError) as error:
            return f"tracker: sync on quit failed: {error}"
        return None
