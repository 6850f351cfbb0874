"""Durable progress: statuses, notes, an append-only history and settings.

One SQLite file through sqlite-utils. Every user action is one ``BEGIN
IMMEDIATE`` transaction, committed before the method returns. The store knows
progress *keys* (see :attr:`tracker.catalog.Node.key`), not roadmaps: the
catalog decides which keys an action touches, the store makes it durable.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tracker import database
from tracker.database import BUSY_TIMEOUT_SECONDS as BUSY_TIMEOUT_SECONDS  # re-exported
from tracker.database import StoreError, explain
from tracker.files import WriteError, replacing
from tracker.stored import (
    HISTORY_VALUE_BYTES,
    STATUSES,
    Record,
    elided,
    key_problem,
    note_problem,
    readable_status,
    readable_time,
    timestamp,
)

if TYPE_CHECKING:
    import sqlite_utils

    from tracker.merging import Merging


SCHEMA_VERSION = 4

Clock = Callable[[], datetime]

NOT_RETIRED = "LEFT JOIN changes importer ON importer.id = c.imported_by WHERE importer.undone_by IS NULL"
"""Leaves out the changes ``c`` that an import copied in, once that import is undone: they
no longer count as here (importing again brings them back) and are not exported."""


def utc_now() -> datetime:
    """The real clock; tests pass their own."""
    return datetime.now(UTC)


def check_note(text: str) -> None:
    """Refuse a note :func:`note_problem` finds fault with (nothing is changed)."""
    problem = note_problem(text)
    if problem:
        raise StoreError(f"{problem}; nothing was changed")


def keep_both(mine: str, theirs: str, when: datetime) -> str:
    """One note holding two writers' texts: ``mine`` first, then ``theirs`` under a rule."""
    stamp = when.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{mine.rstrip()}\n\n--- kept from another writer, {stamp} ---\n{theirs}"


def restamped(value: str | None, at: str) -> str | None:
    """A setting put back by an undo, given the undo's time if it carries its own.

    The path is such a setting (a JSON object with an ``updated`` time): a sync
    keeps the newer of two paths, so the one an undo puts back must be newer
    than the one it replaces, or the next sync would bring that one back.
    """
    if value is None:
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if not isinstance(data, dict) or "updated" not in data:
        return value
    data["updated"] = at
    return json.dumps(data, sort_keys=True)


def _file_identity(path: Path) -> tuple[int, int] | None:
    """Device and inode of ``path`` (``None`` for an in-memory or missing database)."""
    if path == Path(":memory:"):
        return None
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


class Change(NamedTuple):
    """One user action as history sees it."""

    id: int
    at: str
    action: str
    label: str
    keys: tuple[str, ...]
    steps: tuple[Step, ...] = ()
    """What an undo wrote, key by key (other changes leave this empty)."""
    copied: int = 0
    """For an import: how many past changes it copied into the history."""
    conflicts: tuple[str, ...] = ()
    """For an import: keys whose note was changed on both sides; the newer was kept and the
    other is in the note's history (see :meth:`Store.note_versions`)."""
    settings: tuple[str, ...] = ()
    """For an import, the settings it replaced (the path); for an undo, those it put back."""


class Step(NamedTuple):
    """One value an action changed: ``field`` (status or note) of ``key``, from ``old`` to ``new``."""

    key: str
    field: str
    old: str | None
    new: str | None


class NoteVersion(NamedTuple):
    """An earlier text of a note, and the last time the history shows it."""

    text: str
    at: str


class PastChange(NamedTuple):
    """A change as an export carries it: when, what, and each value it changed."""

    at: str
    action: str
    label: str
    steps: tuple[Step, ...]
    undone: bool = False

    def identities(self) -> list[Identity]:
        """What tells its steps apart: time, action, key, field and values (counted in order,
        see :class:`tracker.merging.Merging`); a value an export leaves out (a long note's,
        see :func:`tracker.stored.elided`) as ``None``, which is what a copy of it holds. So
        a change and the sync that took it elsewhere within the same millisecond, or two
        syncs of one millisecond, are told apart."""
        return [
            identity(self.at, self.action, step.key, step.field, step.old, step.new) for step in self.steps
        ]


Identity = tuple[str, str, str, str, str | None, str | None]


def identity(at: str, action: str, key: str, field: str, old: str | None, new: str | None) -> Identity:
    """One step's :meth:`PastChange.identities` entry."""
    if old is not None and len(old) > _NEVER_ELIDED and elided(old):
        old = None
    if new is not None and len(new) > _NEVER_ELIDED and elided(new):
        new = None
    return at, action, key, field, old, new


_NEVER_ELIDED = HISTORY_VALUE_BYTES // 4
"""Up to this many characters a text is never elided (a character is at most 4 bytes): the
common case, without a call."""


def _same_times_in_one_order(changes: list[PastChange]) -> list[PastChange]:
    """``changes`` (in order of time) with those of one millisecond put in an order of their own
    content, not of when they reached this database, which differs between devices."""
    start = 0
    for end in range(1, len(changes) + 1):
        if end == len(changes) or changes[end].at != changes[start].at:
            if end - start > 1:
                changes[start:end] = sorted(changes[start:end], key=_content)
            start = end
    return changes


def _content(change: PastChange) -> tuple:
    steps = tuple((s.key, s.field, s.old or "", s.new or "") for s in change.steps)
    return change.action, change.label, change.undone, steps


def _create_v1(db: sqlite_utils.Database) -> None:
    db.table("progress").create(
        {"key": str, "status": str, "updated": str}, pk="key", not_null={"status", "updated"}
    )
    db.table("notes").create(
        {"key": str, "text": str, "updated": str}, pk="key", not_null={"text", "updated"}
    )
    db.table("changes").create(
        {"id": int, "at": str, "action": str, "label": str, "undone_by": int},
        pk="id",
        not_null={"at", "action", "label"},
        foreign_keys=[("undone_by", "changes", "id")],
    )
    db.table("history").create(
        {"id": int, "change_id": int, "key": str, "field": str, "old": str, "new": str},
        pk="id",
        not_null={"change_id", "key", "field"},
        foreign_keys=[("change_id", "changes", "id")],
    )
    db.table("history").create_index(["key"])
    db.table("history").create_index(["change_id"])
    db.table("settings").create({"key": str, "value": str}, pk="key", not_null={"value"})


def _index_change_times(db: sqlite_utils.Database) -> None:
    """Activity asks for changes since a day; without an index every query reads all of them."""
    db.table("changes").create_index(["at"], index_name="changes_at", if_not_exists=True)


def _mark_imported_changes(db: sqlite_utils.Database) -> None:
    """Changes copied from an export keep their own time; ``imported_by`` names the import that
    brought them, so that undo never reverts them one by one (undoing the import retires them)."""
    db.execute("ALTER TABLE changes ADD COLUMN imported_by INTEGER REFERENCES changes(id)")


def _record_setting_changes(db: sqlite_utils.Database) -> None:
    """What an import or a sync did to a setting (the path), so that undoing it puts it back."""
    db.table("setting_changes").create(
        {"id": int, "change_id": int, "name": str, "old": str, "new": str},
        pk="id",
        not_null={"change_id", "name"},
        foreign_keys=[("change_id", "changes", "id")],
    )
    db.table("setting_changes").create_index(["change_id"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _create_v1,
    _index_change_times,
    _mark_imported_changes,
    _record_setting_changes,
]
"""Migration ``n`` takes a file from schema version ``n`` to ``n + 1``."""


class Store:
    """Progress storage on one SQLite file. Use :meth:`open`."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        clock: Clock,
        cannot_write: StoreError | None = None,
    ):
        self.conn = connection
        self.path = path
        self.clock = clock
        self._identity = _file_identity(path)
        """Device and inode of the file opened, to notice it being deleted or replaced."""
        self.created = False
        """Whether this open made a new, empty database (a mistyped path does too)."""
        self._cannot_write = cannot_write

    @property
    def read_only(self) -> bool:
        """Opened for reading only (the file, folder or disk cannot take writes)."""
        return self._cannot_write is not None

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The connection as a sqlite-utils database, for schema work (imported on demand)."""
        import sqlite_utils

        # No plugins: scanning entry points is slow, and no installed plugin should run
        # code against the progress database.
        return sqlite_utils.Database(self.conn, execute_plugins=False)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, clock: Clock = utc_now, *, create_folder: bool = False) -> Store:
        """Open (creating or migrating) the database at ``path``.

        A corrupt file, a file of a newer schema or of another program is refused
        and left byte-for-byte untouched: it is inspected read-only first. A file
        that cannot be written (read-only, in a read-only folder, on a full disk)
        is opened for reading; each write then fails with the reason.
        """
        path = Path(path)
        memory = path == Path(":memory:")
        if not memory:
            database.check_location(path, create_folder)
        existing = None if memory else database.inspect(path, len(MIGRATIONS))
        reader, version = existing or (None, 0)
        blocker = None if memory else database.write_blocker(path)
        if blocker is None:
            try:
                connection = database.open_read_write(path)
            except sqlite3.Error as error:
                readable = database.error_code(error) in database.CANNOT_WRITE_HERE
                if reader is not None and not readable:
                    reader.close()
                if not readable or (reader is None and database.error_code(error) != "CANTOPEN"):
                    raise explain(error, path) from None
                blocker = explain(error, path)
        if blocker is not None:
            return cls._read_only(reader, path, clock, version, blocker)
        if reader is not None:
            reader.close()
        store = cls(connection, path, clock)
        try:
            store._migrate(version)
        except BaseException:
            connection.close()
            raise
        return store

    @classmethod
    def _read_only(
        cls, reader: sqlite3.Connection | None, path: Path, clock: Clock, version: int, blocker: StoreError
    ) -> Store:
        if reader is None and path.exists():  # an empty file
            raise StoreError(f"cannot start a new database in {path}: {blocker}")
        if reader is None:
            raise StoreError(f"cannot create {path}: folder {path.parent} is not writable")
        if version < len(MIGRATIONS):
            reader.close()
            raise StoreError(f"cannot upgrade {path} from schema {version}: {blocker}")
        return cls(reader, path, clock, blocker)

    def close(self) -> None:
        """Close the connection (the data is already committed)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self, version: int) -> None:
        if version >= len(MIGRATIONS):
            return
        if version > 0:
            self.backup(
                self.path.with_name(
                    f"{self.path.name}.v{version}-{self.clock().strftime('%Y%m%d%H%M%S')}.bak"
                )
            )
        with self.transaction():
            current = self.schema_version  # another process may have migrated meanwhile
            self.created = current == 0
            for step in range(current, len(MIGRATIONS)):
                MIGRATIONS[step](self.db)
                self.conn.execute(f"PRAGMA user_version = {step + 1}")

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken up front so readers of old values stay right."""
        if self._cannot_write is not None:
            raise StoreError(str(self._cannot_write))
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise explain(error, self.path) from None
        try:
            yield
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback()
            raise explain(error, self.path) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, list(params)).fetchall()
        except sqlite3.Error as error:
            raise explain(error, self.path) from None

    # -- reading -------------------------------------------------------------------------

    def records(self) -> dict[str, Record]:
        """Everything stored, by key, as this tracker can read it (see :meth:`unreadable`).

        A removed note is a record too (empty text, the time it was removed), so
        that a merge knows the removal is newer than the text another copy holds.
        """
        result: dict[str, Record] = {}
        for key, status, updated in self._read("SELECT key, status, updated FROM progress"):
            if key_problem(key) is None and readable_time(updated):  # a status is read with its time
                result[key] = Record(readable_status(status), updated)
        for key, text, updated in self._read("SELECT key, text, updated FROM notes"):
            if key_problem(key) is None and isinstance(text, str) and (text or readable_time(updated)):
                old = result.get(key, Record())
                result[key] = Record(old.status, old.updated, text, readable_time(updated))
        return result

    def statuses(self, keys: Iterable[str] | None = None) -> dict[str, str]:
        """Stored status by key (keys never set are absent, meaning ``todo``)."""
        rows = self._read("SELECT key, status, updated FROM progress")
        wanted = None if keys is None else set(keys)
        return {
            key: readable_status(status)
            for key, status, updated in rows
            if key_problem(key) is None and readable_time(updated) and (wanted is None or key in wanted)
        }

    def note(self, key: str) -> str:
        """The note for ``key``, or ``''``."""
        rows = self._read("SELECT text FROM notes WHERE key = ?", [key])
        return rows[0][0] if rows and isinstance(rows[0][0], str) else ""

    def note_versions(self, key: str) -> list[NoteVersion]:
        """The texts the note on ``key`` had before, newest first (not the current one).

        Read from the history, undone changes included: a text written here,
        one another device wrote, and one a sync set aside because the other
        device's was newer (see :meth:`merge`). Each text once, with the last
        time the history shows it.
        """
        rows = self._read(
            "SELECT c.at, h.old, h.new FROM history h JOIN changes c ON c.id = h.change_id "
            "WHERE h.key = ? AND h.field = 'note' ORDER BY c.at, h.id",
            [key],
        )
        seen: dict[str, str] = {}
        for at, old, new in rows:
            for text in (old, new):
                if isinstance(text, str) and text and readable_time(at):
                    seen.pop(text, None)
                    seen[text] = at
        current = self.note(key)
        return [NoteVersion(text, at) for text, at in reversed(seen.items()) if text != current]

    def unreadable(self) -> list[str]:
        """What another program stored that this tracker cannot read, one ``key: what`` line each.

        An unknown status is read as ``todo`` and a note's unreadable time as
        unknown; a status without a readable time, a note that is not text and a
        key that cannot be one are left out. Doctor lists them all.
        """
        found = []
        for table, field in (("progress", "status"), ("notes", "text")):
            for key, value, updated in self._read(f"SELECT key, {field}, updated FROM {table}"):
                problem = key_problem(key)
                if problem:
                    found.append(f"{key!r} in {table}: the key {problem} (left out)")
                    continue
                if table == "progress" and value not in STATUSES:
                    found.append(f"{key}: status {value!r} (read as todo)")
                if table == "notes" and not isinstance(value, str):
                    found.append(f"{key}: a note that is not text (left out)")
                if readable_time(updated) is None and table == "progress":
                    found.append(f"{key}: status time {updated!r} (left out)")
                if readable_time(updated) is None and table == "notes":
                    found.append(f"{key}: note time {updated!r} (read as unknown)")
        return found

    def setting(self, name: str, default: str | None = None) -> str | None:
        rows = self._read("SELECT value FROM settings WHERE key = ?", [name])
        return rows[0][0] if rows else default

    def changes(self, limit: int | None = None) -> list[Change]:
        """Recent user actions, newest first."""
        sql = "SELECT id, at, action, label FROM changes ORDER BY id DESC"
        rows = self._read(sql + (f" LIMIT {int(limit)}" if limit else ""))
        keys: dict[int, list[str]] = {}
        ids = [row[0] for row in rows]
        if ids:
            marks = ",".join("?" * len(ids))
            for change_id, key in self._read(
                f"SELECT change_id, key FROM history WHERE change_id IN ({marks}) ORDER BY id", ids
            ):
                keys.setdefault(change_id, []).append(key)
        return [Change(i, at, action, label, tuple(keys.get(i, ()))) for i, at, action, label in rows]

    def past_changes(self, keys: set[str] | None = None) -> list[PastChange]:
        """Every change with its steps, oldest first (only the steps of ``keys``, if given;
        a change left without steps is left out). What a JSON export carries.

        In order of time, so that two devices holding the same history write the
        same file (changes of the same millisecond in order of what they are).
        What an undone import brought is left out: it is this database's own
        bookkeeping (the changes are still where they were made), not something
        that was undone there.
        """
        rows = self._read(
            "SELECT c.id, c.at, c.action, c.label, c.undone_by IS NOT NULL, h.key, h.field, h.old, h.new "
            f"FROM changes c JOIN history h ON h.change_id = c.id {NOT_RETIRED} ORDER BY c.at, c.id, h.id"
        )
        grouped: dict[int, tuple[tuple[str, str, str, bool], list[Step]]] = {}
        for change_id, at, action, label, undone, key, field, old, new in rows:
            if change_id not in grouped:
                grouped[change_id] = ((at, action, label, bool(undone)), [])
            if keys is None or key in keys:
                grouped[change_id][1].append(Step(key, field, old, new))
        changes = [
            PastChange(at, action, label, tuple(steps), undone)
            for (at, action, label, undone), steps in grouped.values()
            if steps
        ]
        return _same_times_in_one_order(changes)

    def status_history(self) -> list[tuple[str, str, str]]:
        """Every status change as ``(time, key, new status)``, oldest first."""
        rows = self._read(
            "SELECT c.at, h.key, h.new FROM history h JOIN changes c ON c.id = h.change_id "
            "WHERE h.field = 'status' ORDER BY h.id"
        )
        return [
            (at, key, readable_status(new))
            for at, key, new in rows
            if readable_time(at) and key_problem(key) is None
        ]

    def stored_keys(self) -> set[str]:
        """Keys with a status or a note (for the orphan report)."""
        rows = self._read("SELECT key FROM progress UNION SELECT key FROM notes WHERE text != ''")
        return {key for (key,) in rows if key_problem(key) is None}

    # -- writing -------------------------------------------------------------------------

    def _begin_change(self, action: str, label: str) -> tuple[int, str]:
        at = timestamp(self.clock())
        cursor = self.conn.execute(
            "INSERT INTO changes (at, action, label) VALUES (?, ?, ?)", [at, action, label]
        )
        assert cursor.lastrowid is not None  # an INSERT into a rowid table
        return cursor.lastrowid, at

    def _write_status(
        self, change_id: int, at: str, key: str, status: str | None, *, keep_todo: bool = False
    ) -> bool:
        """Store ``status`` for ``key``; ``keep_todo`` stores an explicit ``todo`` row (and
        so its time) where there is none, which an import needs to restore a reset item."""
        old = self.conn.execute("SELECT status FROM progress WHERE key = ?", [key]).fetchone()
        old_status = old[0] if old else None
        if old_status == status or (old_status is None and status == "todo" and not keep_todo):
            return False
        if status is None:
            self.conn.execute("DELETE FROM progress WHERE key = ?", [key])
        else:
            self.conn.execute(
                "INSERT INTO progress (key, status, updated) VALUES (?, ?, ?) ON CONFLICT(key) "
                "DO UPDATE SET status = excluded.status, updated = excluded.updated",
                [key, status, at],
            )
        self._log(change_id, key, "status", old_status, status)
        return True

    def _write_note(
        self, change_id: int, at: str, key: str, text: str | None, *, keep_time: bool = True
    ) -> bool:
        """Store ``text`` as the note of ``key``. An empty text removes the note but, with
        ``keep_time``, keeps the time of the removal (a row with no text), so that a sync
        knows it is newer than the note another device still has."""
        old = self.conn.execute("SELECT text FROM notes WHERE key = ?", [key]).fetchone()
        old_text = old[0] if old and old[0] else None
        if (old_text or "") == (text or ""):
            return False
        if text or keep_time:
            self.conn.execute(
                "INSERT INTO notes (key, text, updated) VALUES (?, ?, ?) ON CONFLICT(key) "
                "DO UPDATE SET text = excluded.text, updated = excluded.updated",
                [key, text or "", at],
            )
        else:
            self.conn.execute("DELETE FROM notes WHERE key = ?", [key])
        self._log(change_id, key, "note", old_text, text or None)
        return True

    def _log(self, change_id: int, key: str, field: str, old: str | None, new: str | None) -> None:
        self.conn.execute(
            "INSERT INTO history (change_id, key, field, old, new) VALUES (?, ?, ?, ?, ?)",
            [change_id, key, field, old, new],
        )

    def set_status(self, keys: Iterable[str], status: str, label: str = "") -> Change | None:
        """Give every key ``status`` in one transaction; ``None`` if nothing changed."""
        if status not in STATUSES:
            raise StoreError(f"unknown status '{status}'; use one of: {', '.join(STATUSES)}")
        keys = tuple(dict.fromkeys(keys))
        with self.transaction():
            change_id, at = self._begin_change("status", label or status)
            changed = [key for key in keys if self._write_status(change_id, at, key, status)]
            if not changed:
                self.conn.execute("DELETE FROM changes WHERE id = ?", [change_id])
                return None
        return Change(change_id, at, "status", label or status, tuple(changed))

    def set_note(self, key: str, text: str, label: str = "", base: str | None = None) -> Change | None:
        """Replace the note of ``key`` (empty text removes it); ``None`` if unchanged.

        ``base`` is the note the writer last saw. If another writer has stored
        something else since, that text is not overwritten: both are kept, the
        one written here first (see :func:`keep_both`). Read the note back to
        see what was stored.
        """
        check_note(text)
        with self.transaction():
            if base is not None:
                stored = self.note(key)
                if stored not in (base, text):
                    text = keep_both(text, stored, self.clock())
                    check_note(text)
            change_id, at = self._begin_change("note", label or "note")
            if not self._write_note(change_id, at, key, text):
                self.conn.execute("DELETE FROM changes WHERE id = ?", [change_id])
                return None
        return Change(change_id, at, "note", label or "note", (key,))

    def set_setting(self, name: str, value: str) -> None:
        """Remember a preference (not part of the undo history)."""
        with self.transaction():
            self.put_setting(name, value)

    def remove_setting(self, name: str) -> bool:
        """Forget a preference; whether there was one."""
        with self.transaction():
            return self.conn.execute("DELETE FROM settings WHERE key = ?", [name]).rowcount > 0

    def put_setting(self, name: str, value: str | None) -> None:
        """Write (or, for ``None``, remove) a setting inside the open transaction."""
        if value is None:
            self.conn.execute("DELETE FROM settings WHERE key = ?", [name])
            return
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [name, value],
        )

    def undo(self) -> Change | None:
        """Revert the latest change not yet undone; ``None`` when there is nothing left.

        A value the change brought where there was none becomes an explicit
        ``todo`` (or a removed note) at the time of the undo, not a missing row:
        a sync then knows the undo is newer than what another device holds, so
        it is not brought back. Undoing a move of retired keys removes the rows
        instead, so that the next move carries the old progress over again.
        """
        with self.transaction():
            row = self.conn.execute(
                "SELECT id, action, label FROM changes WHERE undone_by IS NULL AND action != 'undo' "
                "AND imported_by IS NULL ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            target, action, label = row
            keep = action != "move"
            change_id, at = self._begin_change("undo", f"undo {label}")
            entries = self.conn.execute(
                "SELECT key, field, old FROM history WHERE change_id = ? ORDER BY id DESC", [target]
            ).fetchall()
            for key, field, old in entries:
                if field == "status":
                    status = "todo" if old is None and keep else old
                    self._write_status(change_id, at, key, status, keep_todo=keep)
                else:
                    self._write_note(change_id, at, key, old, keep_time=keep)
            restored = self._undo_settings(target, at)
            self.conn.execute(  # what the change marked as undone elsewhere is live again
                "UPDATE changes SET undone_by = NULL WHERE undone_by = ? "
                "AND (imported_by IS NULL OR imported_by != ?)",
                [target, target],
            )
            self.conn.execute("UPDATE changes SET undone_by = ? WHERE id = ?", [change_id, target])
            self.conn.execute(  # the history an import brought goes with it
                "UPDATE changes SET undone_by = ? WHERE imported_by = ? AND undone_by IS NULL",
                [change_id, target],
            )
            steps = tuple(
                Step(*row)
                for row in self.conn.execute(
                    "SELECT key, field, old, new FROM history WHERE change_id = ? ORDER BY id", [change_id]
                )
            )
        keys = tuple(dict.fromkeys(k for k, _, _ in entries))
        return Change(change_id, at, "undo", label, keys, steps, settings=restored)

    def _undo_settings(self, target: int, at: str) -> tuple[str, ...]:
        """Put back the settings an import replaced, unless changed since; the names put back."""
        rows = self.conn.execute(
            "SELECT name, old, new FROM setting_changes WHERE change_id = ? ORDER BY id DESC", [target]
        ).fetchall()
        restored = []
        for name, old, new in rows:
            if self.setting(name) != new:
                continue  # set again since: the newer choice stays
            self.put_setting(name, restamped(old, at))
            restored.append(name)
        return tuple(reversed(restored))

    def merge(
        self,
        records: dict[str, Record],
        label: str = "import",
        history: Iterable[PastChange] = (),
        settings: dict[str, str] | None = None,
    ) -> Change | None:
        """Take each record whose time is newer than what is stored, in one transaction.

        ``history`` is copied in too, without duplicates, and ``settings`` are
        stored as given (see :class:`tracker.merging.Merging` for every rule); the
        returned change's ``steps`` is empty, its ``keys`` the keys whose status
        or note changed. ``None`` when nothing at all changed.
        """
        with self.merging(label) as merging:
            merging.add(records, history, settings)
        return merging.change

    @contextmanager
    def merging(self, label: str = "import") -> Iterator[Merging]:
        """One import in one transaction, which may merge more than once (a sync whose file
        changed while it merged merges the new file too), undone as one change."""
        from tracker.merging import Merging

        with self.transaction():
            change_id, at = self._begin_change("import", label)
            merging = Merging(self, change_id, at, label)
            yield merging
            merging.finish()

    # -- retired keys --------------------------------------------------------------------

    def stored_among(self, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` have a status or a note: one query on both tables' primary keys."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return set()
        marks = ",".join("?" * len(wanted))
        rows = self._read(
            f"SELECT key FROM progress WHERE key IN ({marks}) "
            f"UNION SELECT key FROM notes WHERE key IN ({marks}) AND text != ''",
            wanted + wanted,
        )
        return {row[0] for row in rows}

    def move_keys(
        self, moves: Iterable[tuple[str, Iterable[str]]], label: str = "moved progress to new keys"
    ) -> Change | None:
        """Give what is stored under each retired key to its new keys, then drop the old rows.

        The database is backed up beside itself first (``NAME.keys-STAMP.bak``),
        as before a schema migration; then everything happens in one transaction,
        recorded in the history so that :meth:`undo` takes it back. Moves run in
        order, so a key moved twice over the years ends up where the last move
        says. Each new key gets the old status with its original time, unless it
        has a status of its own set later; notes are copied, and where the new key
        already has a different note the two are kept together, the older first.
        A retired key with nothing stored is skipped, so running this again
        changes nothing. ``None`` when nothing changed.
        """
        moves = [(source, [t for t in dict.fromkeys(targets) if t != source]) for source, targets in moves]
        if self.path != Path(":memory:"):
            stamp = self.clock().strftime("%Y%m%d%H%M%S")
            self.backup(self.path.with_name(f"{self.path.name}.keys-{stamp}.bak"))
        with self.transaction():
            change_id, at = self._begin_change("move", label)
            touched: list[str] = []
            for source, targets in moves:
                touched += self._move_key(change_id, at, source, list(targets))
            if not touched:
                self.conn.execute("DELETE FROM changes WHERE id = ?", [change_id])
                return None
        return Change(change_id, at, "move", label, tuple(dict.fromkeys(touched)))

    def _move_key(self, change_id: int, at: str, source: str, targets: list[str]) -> list[str]:
        status = self.conn.execute("SELECT status, updated FROM progress WHERE key = ?", [source]).fetchone()
        note = self.conn.execute("SELECT text, updated FROM notes WHERE key = ?", [source]).fetchone()
        if note is not None and not note[0]:
            note = None  # only the time a note was removed: nothing to carry over
        touched = []
        for target in targets:
            if status is not None and self._take_status(change_id, at, target, *status):
                touched.append(target)
            if note is not None and self._take_note(change_id, at, target, *note):
                touched.append(target)
        if status is not None:
            self._write_status(change_id, at, source, None)
            touched.append(source)
        if note is not None:
            self._write_note(change_id, at, source, None, keep_time=False)
            touched.append(source)
        return touched

    def _take_status(self, change_id: int, at: str, key: str, status: str, updated: str) -> bool:
        """Give ``key`` a moved status and its time, unless ``key`` has a newer one."""
        current = self.conn.execute("SELECT updated FROM progress WHERE key = ?", [key]).fetchone()
        if current is not None and current[0] >= updated:
            return False
        if not self._write_status(change_id, at, key, status, keep_todo=True):
            return False
        self.conn.execute("UPDATE progress SET updated = ? WHERE key = ?", [updated, key])
        return True

    def _take_note(self, change_id: int, at: str, key: str, text: str, updated: str) -> bool:
        """Give ``key`` a moved note; beside a different note of its own, keep both, older first."""
        current = self.conn.execute("SELECT text, updated FROM notes WHERE key = ?", [key]).fetchone()
        if not text:
            return False  # a removed note moves nothing
        if current is not None and current[0]:
            if text in current[0]:
                return False
            older, newer = sorted([(current[1], current[0]), (updated, text)])
            text, updated = f"{older[1].rstrip()}\n\n{newer[1]}", newer[0]
        if not self._write_note(change_id, at, key, text):
            return False
        self.conn.execute("UPDATE notes SET updated = ? WHERE key = ?", [updated, key])
        return True

    # -- other writers and the file itself -----------------------------------------------

    def data_version(self) -> int:
        """A number that changes when another connection commits (SQLite's ``data_version``).

        Cheap enough to ask every second: the app uses it to notice writes made
        by ``tracker mark`` or a second copy of the app.
        """
        return self._read("PRAGMA data_version")[0][0]

    def recover_file(self) -> str | None:
        """Put the data back if the file at :attr:`path` is no longer the one open.

        A deleted file is written back from the open connection (online backup)
        and reopened there. A file replaced by another keeps the newcomer's
        progress: this connection's is merged into it (the newer change wins
        per key), after a full copy of it is saved beside it. Returns one line
        saying what happened, or ``None`` when the file is still the same.
        """
        if self._identity is None or _file_identity(self.path) == self._identity:
            return None
        if not self.path.exists():
            restored = self.backup(self.path.with_name(self.path.name + ".restoring"))
            self._close_unlinked()
            restored.replace(self.path)
            self._attach(Store.open(self.path, self.clock))
            return f"{self.path} was deleted while open; its progress was written back there"
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        kept = self.backup(self.path.with_name(f"{self.path.name}.kept-{stamp}.db"))
        records = self.records()
        self._close_unlinked()
        try:
            newcomer = Store.open(self.path, self.clock)
        except StoreError as error:
            replaced = self.path
            self._attach(Store.open(kept, self.clock))
            return f"{replaced} was replaced by a file that cannot be used ({error}); carrying on in {kept}"
        self._attach(newcomer)
        self.merge(records, label="progress kept from the replaced file")
        return (
            f"{self.path} was replaced by another file; this session's progress was merged into it "
            f"(a full copy is in {kept.name})"
        )

    def _close_unlinked(self) -> None:
        """Close the connection to a file that left its path, emptying its WAL first.

        The ``-wal`` and ``-shm`` files still sit at the path; emptied and then
        removed on close, they cannot be mistaken for the next file's.
        """
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.conn.close()

    def _attach(self, other: Store) -> None:
        """Take over ``other``'s connection (a reopened file) as this store's."""
        self.conn = other.conn
        self.path = other.path
        self.__dict__.pop("db", None)  # the sqlite-utils wrapper of the old connection
        self._identity = other._identity

    # -- activity ------------------------------------------------------------------------

    def done_per_quarter_hour(self, since: str | None = None) -> list[tuple[str, int]]:
        """Items a person marked done per UTC quarter hour (``2026-01-05T09:45``), oldest first.

        Counted in SQL so a long history costs little here; ``since`` is a stored
        time (see :func:`timestamp`). Only ``status`` actions count, and only
        those not undone: an undone tick did not happen, an undo that brings
        ``done`` back restores an earlier tick (already counted at its own
        time), and an import's ticks were made elsewhere, at other times. Each
        tick counts: an item reset and ticked again is two.
        Quarter hours, not hours, so that zones such as +05:45 split days right
        (:func:`tracker.activity.days_from_buckets`).
        """
        bucket = "substr(c.at, 1, 14) || printf('%02d', CAST(substr(c.at, 15, 2) AS INTEGER) / 15 * 15)"
        # CROSS JOIN keeps changes as the outer loop, so a ``since`` reads the index on
        # changes(at) and history is reached through its change_id index.
        return self._read(
            f"SELECT {bucket} AS quarter, count(*) FROM changes c "
            "CROSS JOIN history h ON h.change_id = c.id "
            "WHERE c.action = 'status' AND c.undone_by IS NULL "
            "AND h.field = 'status' AND h.new = 'done' "
            + ("AND c.at >= ? " if since is not None else "")
            + "GROUP BY quarter ORDER BY quarter",
            [since] if since is not None else [],
        )

    def done_between(self, bounds: Sequence[str]) -> list[int]:
        """Ticks (as :meth:`done_per_quarter_hour` counts them) between each two consecutive
        stored times of ``bounds``: the first included, the second not.

        One range read of the index on change times per span, so counting the
        days of a heatmap costs what those days hold, never the whole history.
        """
        sql = (
            "SELECT count(*) FROM changes c CROSS JOIN history h ON h.change_id = c.id "
            "WHERE c.at >= ? AND c.at < ? AND c.action = 'status' AND c.undone_by IS NULL "
            "AND h.field = 'status' AND h.new = 'done'"
        )
        try:
            return [
                self.conn.execute(sql, [a, b]).fetchone()[0] for a, b in zip(bounds, bounds[1:], strict=False)
            ]
        except sqlite3.Error as error:
            raise explain(error, self.path) from None

    def first_done_since(self, since: str) -> str | None:
        """The time of the first tick (as :meth:`done_per_quarter_hour` counts them) at or after
        ``since``: one seek on the index of change times, so walking from one active day to the
        next costs a lookup per active day, however long the history."""
        rows = self._read(
            "SELECT c.at FROM changes c CROSS JOIN history h ON h.change_id = c.id "
            "WHERE c.at >= ? AND c.action = 'status' AND c.undone_by IS NULL "
            "AND h.field = 'status' AND h.new = 'done' ORDER BY c.at LIMIT 1",
            [since],
        )
        return rows[0][0] if rows else None

    def history_span(self) -> tuple[str, str] | None:
        """The times of the first and the last change (``None`` without any): two index lookups."""
        # Two subqueries: SQLite reads min() or max() off the index only when each is alone.
        rows = self._read("SELECT (SELECT min(at) FROM changes), (SELECT max(at) FROM changes)")
        return None if not rows or rows[0][0] is None else (rows[0][0], rows[0][1])

    # -- maintenance ---------------------------------------------------------------------

    def backup(self, destination: Path | str) -> Path:
        """Copy the live database with SQLite's online backup API, then replace ``destination``."""
        destination = Path(destination)
        try:
            with replacing(destination) as partial:
                target = sqlite3.connect(str(partial))
                try:
                    self.conn.backup(target)
                finally:
                    target.close()
        except sqlite3.Error as error:
            raise explain(error, destination) from None
        except WriteError as error:
            raise StoreError(str(error)) from None
        return destination

    def integrity(self) -> list[str]:
        """``PRAGMA integrity_check`` lines; ``['ok']`` for a healthy file."""
        return [row[0] for row in self._read("PRAGMA integrity_check")]
