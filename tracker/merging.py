"""What wins when progress from elsewhere (an export, a sync file) meets what is stored.

Every rule of a merge lives here, used by ``tracker import`` and ``tracker sync``
alike, inside one transaction of the store (:meth:`tracker.store.Store.merging`):

- **Statuses**: per key, the later time wins; on the same millisecond the
  greater value, so that two devices always pick the same one. A later time
  for the same status is taken too, so that done dates agree.
- **Notes**: the same, a removed note (empty text with the time it was
  removed) included. When the two sides wrote different texts without either
  having seen the other's (a *conflict*), the newer is kept and the other is
  never dropped: it is in the note's history (:meth:`Store.note_versions`),
  written there if nothing else holds it, and the key is reported.
- **History**: a set. Each past change is copied with its own time unless it
  is here already (by time, action, key, field and values); a change undone on the other side
  is copied as undone, or marked undone here, so that streaks and the heatmap agree.
- **Settings** (the path): stored as the caller chose them (it keeps the
  newer), recorded so that undoing the import puts the old ones back.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence

from tracker.bulk import collector_paused
from tracker.store import NOT_RETIRED, Change, Identity, PastChange, Store, identity
from tracker.stored import Record

KEPT_ACTION = "kept"
"""The action of a history entry that holds a note text a merge set aside (the other side's,
older than the one kept); it changed nothing, so undo never reverts it on its own."""

_EMPTY = Record()


class Merging:
    """One import being merged, inside its transaction; :meth:`add` may run more than once."""

    def __init__(self, store: Store, change_id: int, at: str, label: str):
        self.store = store
        self.change_id = change_id
        self.at = at
        self.label = label
        self.touched: dict[str, None] = {}
        """Keys whose status or note changed, in order."""
        self.copied = 0
        """Past changes copied into the history."""
        self.retired = 0
        """Changes here marked undone because the other side undid them."""
        self.undone_copies = 0
        """Past changes copied as undone (they were undone there): they count for nothing."""
        self.kept = 0
        """Note texts written into the history because nothing else held them."""
        self.settings: dict[str, None] = {}
        self.conflicts: dict[str, None] = {}
        self.change: Change | None = None
        """What the merge did, once :meth:`finish` ran (``None`` when nothing changed)."""

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    def add(
        self,
        records: dict[str, Record],
        history: Iterable[PastChange] = (),
        settings: dict[str, str] | None = None,
    ) -> None:
        """Merge one side's records, history and settings into the store."""
        history = tuple(history)
        set_aside = self._records(records, history)
        with collector_paused():
            self._history(history)
        for name, value in (settings or {}).items():
            self._setting(name, value)
        for key, text, kept in set_aside:
            if not self._in_history(key, text):
                self._keep(key, text, kept)

    def move(self, moves: Iterable[tuple[str, Sequence[str]]]) -> None:
        """Carry progress stored under retired keys over to the keys that replaced them, as part
        of this change (see :meth:`Store.move_keys`; no backup: undo takes it back).

        A file written before a key was retired brings the old key back; a sync
        that kept it would write it out again, and the next start would move it
        again, every time.
        """
        pending = [(source, [t for t in dict.fromkeys(targets) if t != source]) for source, targets in moves]
        stored = self.store.stored_among(source for source, _ in pending)
        for source, targets in pending:
            if source in stored:
                for key in self.store._move_key(self.change_id, self.at, source, targets):
                    self.touched[key] = None

    def remember(self, name: str, value: str | None) -> None:
        """Store a setting that is not part of what the merge changed (undo leaves it)."""
        self.store.put_setting(name, value)

    def finish(self) -> None:
        """Settle the change: dropped when nothing changed, else described by :attr:`change`."""
        if not (
            self.touched or self.copied or self.undone_copies or self.retired or self.kept or self.settings
        ):
            self.conn.execute("DELETE FROM changes WHERE id = ?", [self.change_id])
            self.change = None
            return
        self.change = Change(
            self.change_id,
            self.at,
            "import",
            self.label,
            tuple(self.touched),
            copied=self.copied,
            conflicts=tuple(self.conflicts),
            settings=tuple(self.settings),
        )

    # -- statuses and notes ----------------------------------------------------------------

    def _records(
        self, records: dict[str, Record], history: Sequence[PastChange]
    ) -> list[tuple[str, str, str]]:
        """Write each record newer than what is stored; the texts of the other side that lost
        to a different note here, as ``(key, their text, the text kept)``."""
        stored = self.store.records()  # read inside the write lock: another copy may be writing
        theirs: dict[str, set[str]] | None = None
        set_aside = []
        for key, incoming in records.items():
            current = stored.get(key, _EMPTY)
            self._status(key, current, incoming)
            if incoming.note_updated is None:  # from an old export: taken only where nothing is
                newer = bool(incoming.note) and not current.note and current.note_updated is None
            else:
                newer = (current.note_updated or "", current.note) < (incoming.note_updated, incoming.note)
            if incoming.note == current.note:
                if newer:
                    self._stamp_note(key, current.note, incoming.note_updated or self.at)
                continue
            if newer:
                if current.note:
                    if theirs is None:
                        theirs = _note_texts(history)
                    if current.note not in theirs.get(key, ()):
                        self.conflicts[key] = None
                self.store._write_note(self.change_id, self.at, key, incoming.note)
                self._stamp_note(key, incoming.note, incoming.note_updated or self.at)
                self.touched[key] = None
            elif incoming.note:
                if not self._in_history(key, incoming.note):
                    self.conflicts[key] = None
                set_aside.append((key, incoming.note, current.note))
        return set_aside

    def _status(self, key: str, current: Record, incoming: Record) -> None:
        if not incoming.updated:
            return
        if (current.updated or "", current.status) >= (incoming.updated, incoming.status):
            return
        if self.store._write_status(self.change_id, self.at, key, incoming.status, keep_todo=True):
            self.touched[key] = None
        self.conn.execute("UPDATE progress SET updated = ? WHERE key = ?", [incoming.updated, key])

    def _stamp_note(self, key: str, text: str, updated: str) -> None:
        """Give the note of ``key`` (``text``, maybe empty: a removal) the time ``updated``."""
        self.conn.execute(
            "INSERT INTO notes (key, text, updated) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET updated = excluded.updated",
            [key, text, updated],
        )

    def _in_history(self, key: str, text: str) -> bool:
        """Whether the history here holds ``text`` as a note of ``key`` (before or after a change)."""
        return (
            self.conn.execute(
                "SELECT 1 FROM history WHERE key = ? AND field = 'note' AND (old = ? OR new = ?) LIMIT 1",
                [key, text, text],
            ).fetchone()
            is not None
        )

    def _keep(self, key: str, text: str, kept: str) -> None:
        """Write ``text`` into the history of ``key``'s note, beside the newer ``kept`` text."""
        cursor = self.conn.execute(
            "INSERT INTO changes (at, action, label, imported_by) VALUES (?, ?, ?, ?)",
            [self.at, KEPT_ACTION, f"{self.label}: the other side's older note, kept here", self.change_id],
        )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table
        self.store._log(cursor.lastrowid, key, "note", text, kept or None)
        self.kept += 1

    # -- history ---------------------------------------------------------------------------

    def _history(self, history: Sequence[PastChange]) -> None:
        """Copy past changes made elsewhere, each with its own time, marked as brought by this one.

        A step is one already here when its time, action, key, field and values
        are (:meth:`PastChange.identities`), counted in order: the second of two
        such steps matches the second one here. So importing a file twice, or
        one's own export, adds nothing. A change whose steps are all here is
        skipped. One undone there is copied as undone (so that both sides hold
        the same history), or, when here, marked undone here too. What an
        undone import brought does not count as here, so importing again brings
        it back.
        """
        known: Counter[Identity] | None = None
        seen: Counter[Identity] = Counter()
        for change in history:
            if not change.steps:
                continue
            if known is None:
                rows = self.conn.execute(  # not this merge's own steps: they were made here, just now
                    "SELECT c.at, c.action, h.key, h.field, h.old, h.new FROM history h "
                    "JOIN changes c ON c.id = h.change_id " + NOT_RETIRED + " AND c.id != ?",
                    [self.change_id],
                )
                known = Counter(identity(*row) for row in rows)
            steps = []
            for step, step_identity in zip(change.steps, change.identities(), strict=True):
                seen[step_identity] += 1
                if seen[step_identity] > known[step_identity]:
                    steps.append((step, step_identity))
            if change.undone and len(steps) < len(change.steps):
                self._undone_there(change)
            if not steps:
                continue
            cursor = self.conn.execute(
                "INSERT INTO changes (at, action, label, imported_by, undone_by) VALUES (?, ?, ?, ?, ?)",
                [
                    change.at,
                    change.action,
                    change.label,
                    self.change_id,
                    self.change_id if change.undone else None,
                ],
            )
            change_id = cursor.lastrowid
            assert change_id is not None  # an INSERT always has one
            for step, step_identity in steps:
                self.store._log(change_id, step.key, step.field, step.old, step.new)
                known[step_identity] += 1
            if change.undone:
                self.undone_copies += 1
            else:
                self.copied += 1

    def _undone_there(self, change: PastChange) -> None:
        """Mark the change here that the other side undid (same time, action, label and steps)."""
        candidates = self.conn.execute(
            "SELECT c.id FROM changes c " + NOT_RETIRED + " AND c.at = ? AND c.action = ? AND c.label = ? "
            "AND c.undone_by IS NULL ORDER BY c.id",
            [change.at, change.action, change.label],
        ).fetchall()
        wanted = Counter((step.key, step.field) for step in change.steps)
        for (candidate,) in candidates:
            steps = Counter(
                self.conn.execute(
                    "SELECT key, field FROM history WHERE change_id = ?", [candidate]
                ).fetchall()
            )
            if steps and not steps - wanted:  # a copy may hold only the steps that were new here
                self.conn.execute(
                    "UPDATE changes SET undone_by = ? WHERE id = ?", [self.change_id, candidate]
                )
                self.retired += 1
                return

    # -- settings --------------------------------------------------------------------------

    def _setting(self, name: str, value: str) -> None:
        old = self.store.setting(name)
        if old == value:
            return
        self.store.put_setting(name, value)
        self.conn.execute(
            "INSERT INTO setting_changes (change_id, name, old, new) VALUES (?, ?, ?, ?)",
            [self.change_id, name, old, value],
        )
        self.settings[name] = None


def _note_texts(history: Iterable[PastChange]) -> dict[str, set[str]]:
    """Every note text the history shows, by key: what the side it comes from has seen."""
    texts: dict[str, set[str]] = {}
    for change in history:
        for step in change.steps:
            if step.field == "note":
                texts.setdefault(step.key, set()).update(v for v in (step.old, step.new) if v)
    return texts
