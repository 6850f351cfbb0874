"""Keeping the screen equal to the store: writes, undo, and what other writers stored.

The app owns one :class:`Keeper` and routes its messages to it. Writes are
queued on the store thread when the key is handled; afterwards the true stored
state is read back and only what differs is redrawn. Every second the keeper
asks whether another writer (another process, a sync) committed, and catches up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from tracker import actions
from tracker.catalog import Node
from tracker.store import Change, Record, Store, StoreError
from tracker.stored import PATH_SETTING
from tracker.ui.messages import NoteEdited
from tracker.ui.widgets.roadmap_list import RoadmapList

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp


class OutsideChanges(NamedTuple):
    """What :func:`outside_changes` found: the data version, a recovered file, new records."""

    version: int
    recovered: str | None
    records: dict[str, Record] | None
    """Everything stored, when another writer committed since the last look."""


def outside_changes(store: Store, last_version: int) -> OutsideChanges:
    """On the store thread: put a deleted or replaced file back, then read what others wrote."""
    recovered = store.recover_file()
    version = store.data_version()
    changed = recovered is not None or version != last_version
    return OutsideChanges(version, recovered, store.records() if changed else None)


class Keeper:
    """Writes progress and notes, undoes, and catches up with other writers."""

    def __init__(self, app: TrackerApp, store: Store):
        """Built with the app (no screen yet): it remembers which version of the file it shows."""
        self.app = app
        self._data_version = store.data_version()

    def write(self, keys: list[str], function: Callable, *args, tell: str | None = None) -> None:
        """Queue one action on the store thread now; then show what is really stored.

        ``tell`` (the status set): say what it changed, how widely, and that it can be undone
        (for a branch or a reset, which change many items at once).
        """
        saving = self.app.gateway.submit(function, *args)

        async def finish() -> None:
            try:
                change = await saving
            except StoreError as error:
                self.app.notify(str(error), title="Not saved", severity="error", timeout=8)
            else:
                if change is None:
                    self.app.notify("Already so; nothing changed", timeout=2)
                elif tell:
                    self.app.notify(actions.describe_mark(self.app.catalog, change, tell), timeout=5)
            await self.resync(keys)

        self.app.run_worker(finish(), group="store")

    async def undo(self) -> None:
        try:
            change = await self.app.gateway.call(Store.undo)
        except StoreError as error:
            self.app.notify(str(error), title="Undo failed", severity="error", timeout=8)
            return
        if change is None:
            self.app.notify("Nothing left to undo", timeout=3)
            return
        for step in change.steps:
            if step.field == "note":
                self.app.notes[step.key] = step.new or ""
        await self.resync(list(change.keys))
        if PATH_SETTING in change.settings:  # an undone sync or import took the path back
            await self.app.guiding.reload_path()
        self.app.notify(f"Undid: {actions.describe_undo(self.app.catalog, change)}", timeout=4)
        entry, keys = self.app.detail.entry, set(change.keys)
        if isinstance(entry, Node) and entry.key in keys:
            self.app.detail.replace_note(self.app.notes.get(entry.key, ""))
        if change.keys and not (isinstance(entry, Node) and keys & {leaf.key for leaf in entry.leaves()}):
            await self._reveal_key(change.keys[0])  # on another line: show what changed

    async def catch_up_with(self, change: Change | None) -> None:
        """Show everything stored after ``change``, made on the store thread beyond any keys the
        app asked for (a sync): statuses, notes, the path and the guide's history."""
        try:
            records = await self.app.gateway.call(Store.records)
        except StoreError as error:
            self.app.notify(str(error), title="Cannot read progress", severity="error", timeout=8)
            return
        self.show_stored(records)
        if change is not None and PATH_SETTING in change.settings:
            await self.app.guiding.reload_path()
        elif self.app.guiding.in_view():
            self.app.guiding.refresh_guide()

    async def _reveal_key(self, key: str) -> None:
        """Put the cursor on the item stored under ``key``: in the open roadmap if it has it."""
        roadmap = self.app.browser.roadmap
        here = roadmap.leaves_by_key.get(key) if roadmap is not None else None
        node = here[0] if here else actions.node_of_key(self.app.catalog, key)
        if node is not None:
            await self.app.jump_to(node)

    async def resync(self, keys: list[str]) -> None:
        """Read the stored status of ``keys`` and redraw whatever depends on them."""
        try:
            stored = await self.app.gateway.call(Store.statuses, keys)
        except StoreError as error:
            self.app.notify(str(error), title="Cannot read progress", severity="error")
            return
        self.show_statuses({key: stored.get(key, "todo") for key in keys})

    def show_statuses(self, statuses: dict[str, str]) -> None:
        """Apply stored statuses by key and redraw whatever depends on those that changed."""
        changed = [key for key, status in statuses.items() if self.app.progress.status_of_key(key) != status]
        if not changed:
            return
        touched = self.app.progress.update({key: statuses[key] for key in changed})
        for tree in self.app.browser.trees():
            tree.refresh_entries(touched)
        catalog = self.app.catalog
        roadmap_ids = {roadmap_id for key in changed for roadmap_id in catalog.roadmaps_with_key(key)}
        self.app.query_one(RoadmapList).refresh_progress(roadmap_ids)
        self.app.detail.refresh_status()
        self.app.update_header()
        if self.app.guiding.in_view():
            self.app.guiding.refresh_guide()

    def save_note(self, message: NoteEdited) -> None:
        """Save an edited note on the store thread; a note changed elsewhere meanwhile keeps both texts."""
        node, text = message.node, message.text
        saving = self.app.gateway.submit(actions.save_note, node, text, message.base)

        async def finish() -> None:
            try:
                saved = await saving
            except StoreError as error:
                self.app.detail.note_not_saved(node, str(error))
                self.app.notify(str(error), title="Note not saved", severity="error", timeout=8)
                return
            self.app.notes[node.key] = saved.stored
            self.app.detail.note_saved(node, text, saved.stored, self.app.clock())
            if saved.merged(text):
                self.app.notify(
                    f"The note on {node.title} was changed elsewhere meanwhile; both texts are kept in it",
                    title="Note merged",
                    severity="warning",
                    timeout=8,
                )

        self.app.run_worker(finish(), group="store")

    def watch(self) -> None:
        """Notice writes made elsewhere and a database file that left its path (every second)."""
        if not self.app.workers or all(w.group != "watch" for w in self.app.workers):
            self.app.run_worker(self._catch_up(), group="watch")

    async def _catch_up(self) -> None:
        try:
            seen = await self.app.gateway.call(outside_changes, self._data_version)
        except StoreError as error:
            self.app.notify(str(error), title="Cannot read progress", severity="error", timeout=8)
            return
        if seen.recovered:
            self.app.notify(seen.recovered, title="Database file", severity="warning", timeout=20)
        self._data_version = seen.version
        if seen.records is not None:
            self.show_stored(seen.records)

    def show_stored(self, records: dict[str, Record]) -> None:
        """Bring the screen to ``records`` (everything stored), redrawing only what differs."""
        statuses = {key: record.status for key, record in records.items()}
        statuses.update({key: "todo" for key in self.app.progress.statuses.keys() - statuses.keys()})
        self.show_statuses(statuses)
        notes = {key: record.note for key, record in records.items() if record.note}
        changed_notes = {
            key for key in notes.keys() | self.app.notes.keys() if notes.get(key) != self.app.notes.get(key)
        }
        self.app.notes.clear()
        self.app.notes.update(notes)  # the same dict: the trees' filter reads it
        entry = self.app.detail.entry
        if isinstance(entry, Node) and entry.key in changed_notes:
            self.app.detail.outside_note(notes.get(entry.key, ""))

    def save_unsaved_note(self) -> None:
        """Save the note being edited, if the store has not confirmed it, before closing."""
        edited = self.app.detail.unsaved_note()
        if edited is None:
            return
        try:
            self.app.gateway.call_now(actions.save_note, edited.node, edited.text, edited.base)
        except StoreError as error:
            self.app.notify(str(error), title="Note not saved", severity="error", timeout=8)
