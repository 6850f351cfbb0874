"""Sync between devices through one progress file in a folder the learner already syncs.

No server: Syncthing, Dropbox, iCloud or a git repository carries the file;
:func:`sync_file` merges it both ways. The file is the JSON export
(:mod:`tracker.reports.json_format`), read with the importer's checks
(:func:`tracker.reports.restore.parse_export`) and merged with the import's
rules (:mod:`tracker.merging`: per key the newer wins, history as a set, a
note changed on both sides kept in the history), so a learner can read it,
diff it and keep it in git.

What makes it safe:

- The file is read and checked before the database is touched: a corrupt,
  empty, foreign or newer file is refused with one line, nothing changed.
- Everything a sync does to the database is one transaction, one change that
  ``tracker undo`` takes back.
- The file is replaced atomically (a temporary file in its folder, renamed):
  a reader, another device or a crash never sees half of it. Just before the
  rename the file is read again; if another device wrote it meanwhile, that
  version is merged too and the write tried again. A lock serialises syncs
  on one machine as well, but the re-read is what counts (cloud folders
  honour no locks).
- A file is only rewritten when the progress in it would change: two devices
  in step do not make the synced folder churn.

No Textual here: the CLI calls :func:`sync_file`, the app the same from its
store thread, and both read :func:`configured_file` and :func:`last_synced`.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tracker.actions import title_of
from tracker.catalog import Catalog
from tracker.errors import TrackerError
from tracker.files import WriteError, check_target, remove_stale_partials, replacing
from tracker.path import PATH_SETTING
from tracker.reports.errors import ReportError
from tracker.reports.json_format import MAX_EXPORT_BYTES
from tracker.reports.restore import Export, parse_export, path_setting
from tracker.store import Change, Store
from tracker.stored import SYNC_FILE, parse_timestamp, readable_time, timestamp

SYNC_LAST = "sync.last"
"""Setting: when this database last synced (a stored UTC time), for "synced 5 min ago"."""
SYNC_SEEN = "sync.seen"
"""Setting: the file and the SHA-256 of its content after the last sync: while the file
still holds exactly that, everything in it is already here and reading it again is skipped."""

ATTEMPTS = 5
"""How many times a sync merges a file that keeps changing before it gives up."""
LOCK_WAIT_SECONDS = 10.0
"""How long a sync waits for another sync of the same file on this machine, then goes ahead
(the re-read before the rename keeps that safe too)."""
STALE_PARTIAL_SECONDS = 3600.0
"""A temporary file of the sync file older than this was left by a killed writer."""

_EXPORT_TIME = re.compile(r'^  "exported": "[^"\n]*",\n', re.MULTILINE)


class SyncError(TrackerError):
    """The sync file cannot be used (refused, unreadable, unwritable); nothing was changed."""


@dataclass(frozen=True)
class SyncResult:
    """What one sync did, for a line in the terminal or a notification."""

    file: Path
    at: str
    """When it ran (stored UTC time), as :data:`SYNC_LAST` now says."""
    change: Change | None
    """What it changed in the database (``tracker undo`` takes it back); ``None``: nothing."""
    created: bool
    """The file did not exist: this sync wrote it first."""
    written: bool
    """The file was (re)written; otherwise it already held this progress."""
    conflicts: tuple[str, ...] = ()
    """One sentence per note changed on both devices."""
    rounds: int = 1
    """How many versions of the file were merged (more than one: another device wrote it meanwhile)."""

    @property
    def keys(self) -> tuple[str, ...]:
        """Progress keys whose status or note changed here."""
        return self.change.keys if self.change is not None else ()

    @property
    def copied(self) -> int:
        """Past changes from the other devices added to the history here."""
        return self.change.copied if self.change is not None else 0

    @property
    def path_taken(self) -> bool:
        """Whether the learner's path (stack, start, pace) came from the file (it was newer)."""
        return self.change is not None and PATH_SETTING in self.change.settings

    def describe(self) -> str:
        """One line: what changed here, and in the file."""
        here = []
        if self.keys:
            here.append(f"{len(self.keys)} {'item' if len(self.keys) == 1 else 'items'} updated here")
        if self.copied:
            here.append(f"{self.copied} past change(s) added to the history")
        if self.path_taken:
            here.append("the path taken from the file")
        if not here:
            here.append("history brought up to date" if self.change is not None else "nothing new here")
        if self.created:
            there = "the file created"
        else:
            there = "the file updated" if self.written else "the file already up to date"
        text = f"synced with {self.file}: {', '.join(here)}; {there}"
        if self.conflicts:
            text += f"; {len(self.conflicts)} note(s) changed on both devices"
        return text

    def messages(self) -> list[str]:
        """:meth:`describe`, then each note conflict, one line each."""
        return [self.describe(), *self.conflicts]


# -- settings --------------------------------------------------------------------------------


def configured_file(store: Store) -> Path | None:
    """The sync file set with :func:`set_sync_file`, or ``None``."""
    value = store.setting(SYNC_FILE)
    return Path(value) if value else None


def last_synced(store: Store) -> datetime | None:
    """When this database last synced (aware, UTC), or ``None``."""
    value = readable_time(store.setting(SYNC_LAST))
    return parse_timestamp(value) if value else None


def synced_ago(last: datetime | None, now: datetime) -> str:
    """``synced 5 min ago`` (for the app's header); ``not synced yet`` before the first sync."""
    if last is None:
        return "not synced yet"
    seconds = max(0, int((now - last).total_seconds()))
    if seconds < 60:
        return "synced just now"
    for unit, size in (("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            count = seconds // size
            plural = "s" if unit == "day" and count > 1 else ""
            return f"synced {count} {unit}{plural} ago"
    raise AssertionError("unreachable")


def set_sync_file(store: Store, path: Path | str) -> Path:
    """Remember ``path`` (``~`` expanded, made absolute) as the sync file; what was stored.

    Refused (:class:`SyncError`, nothing stored) for a folder or a file in a
    folder that does not exist.
    """
    chosen = absolute(path)
    _check_target(chosen, "nothing was set")
    store.set_setting(SYNC_FILE, str(chosen))
    return chosen


def unset_sync_file(store: Store) -> Path | None:
    """Forget the sync file; the one that was set, if any."""
    old = configured_file(store)
    store.remove_setting(SYNC_FILE)
    return old


def absolute(path: Path | str) -> Path:
    """``path`` with ``~`` expanded, made absolute from the current folder (links kept)."""
    return Path(os.path.abspath(Path(path).expanduser()))


# -- syncing ---------------------------------------------------------------------------------


def sync_configured(store: Store, catalog: Catalog) -> SyncResult:
    """Sync with the configured file; :class:`SyncError` when none is set."""
    path = configured_file(store)
    if path is None:
        raise SyncError(
            "no sync file is set; give one ('tracker sync PATH') or set one ('tracker sync --set PATH')"
        )
    return sync_file(store, catalog, path)


def sync_file(store: Store, catalog: Catalog, path: Path | str) -> SyncResult:
    """Merge the progress file at ``path`` into the database, then write the merged progress back.

    A missing file is created. Raises :class:`SyncError` (the file) or
    :class:`tracker.database.StoreError` (the database), both one line; then
    the database has not changed, nor has the file, unless the database failed
    after the file was written (which then holds this database's progress too,
    so the next sync loses nothing). Blocking: the app runs it on its store
    thread, and shows :meth:`SyncResult.messages`.
    """
    target = absolute(path)
    _check_target(target, "nothing was changed")
    with _one_at_a_time(target):
        remove_stale_partials(target, STALE_PARTIAL_SECONDS)
        seen = _read(target)
        export = _checked(seen, target, store)  # before the database is touched
        created = seen.data is None
        rounds = 0
        with store.merging(f"sync {target.name}") as merging:
            while True:
                rounds += 1
                if export is not None:
                    merging.add(export.records, export.history, path_setting(store, export))
                    live = catalog.known_keys()
                    merging.move(move for move in catalog.key_moves if move.source not in live)
                text = _export_text(store, catalog)
                if seen.data is not None and _same_progress(seen.data, text):
                    written, digest = False, seen.digest
                    break
                data = text.encode("utf-8")
                try:
                    _replace(target, data, seen)
                except _Changed as changed:
                    if rounds >= ATTEMPTS:
                        raise SyncError(
                            f"{target} kept changing while it was merged ({ATTEMPTS} tries); "
                            "nothing was changed, try again"
                        ) from None
                    seen = changed.now
                    export = _checked(seen, target, store)
                    continue
                written, digest = True, _digest(data)
                break
            at = timestamp(store.clock())
            merging.remember(SYNC_LAST, at)
            merging.remember(SYNC_SEEN, f"{target}\n{digest}")
    change = merging.change
    conflicts = tuple(conflict_line(catalog, key) for key in (change.conflicts if change is not None else ()))
    return SyncResult(target, at, change, created, written, conflicts, rounds)


def conflict_line(catalog: Catalog, key: str) -> str:
    """What a sync says about a note changed on both devices (by the item's title when known)."""
    title = title_of(catalog, key)
    return f"note on {title} changed on both devices; kept the newer, the other is in its history"


def _export_text(store: Store, catalog: Catalog) -> str:
    """The JSON export of everything, as ``tracker export --format json`` writes it."""
    from tracker.reports import render

    try:
        return render("json", catalog, store)
    except ReportError as error:  # too big for an import to read back: not written
        raise SyncError(str(error)) from None


def _same_progress(old: bytes, new: str) -> bool:
    """Whether the file already holds ``new`` but for the time it was exported."""
    try:
        text = old.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _EXPORT_TIME.sub("", text, count=1) == _EXPORT_TIME.sub("", new, count=1)


# -- reading and writing the file ------------------------------------------------------------


@dataclass(frozen=True)
class _Seen:
    """The file as read: its bytes (``None``: there is none) and their SHA-256."""

    data: bytes | None
    digest: str | None


class _Changed(Exception):
    """The file changed between reading it and replacing it."""

    def __init__(self, now: _Seen):
        super().__init__("the sync file changed")
        self.now = now


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_target(target: Path, unchanged: str) -> None:
    try:
        check_target(target)
    except WriteError as error:
        raise SyncError(f"{error}; {unchanged}") from None


def _read(target: Path) -> _Seen:
    """The file's bytes now; a folder, a device or an unreadable file is refused."""
    try:
        info = target.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SyncError(f"{target} is a folder; give the sync file's name. Nothing was changed")
        if not stat.S_ISREG(info.st_mode):
            raise SyncError(f"{target} is not a regular file (a pipe, device or socket). Nothing was changed")
        if info.st_size > MAX_EXPORT_BYTES:
            raise SyncError(
                f"{target}: it is larger than {MAX_EXPORT_BYTES // 2**20} MiB. Nothing was changed"
            )
        data = target.read_bytes()
    except FileNotFoundError:
        return _Seen(None, None)
    except OSError as error:
        raise SyncError(f"cannot read {target}: {error.strerror or error}. Nothing was changed") from None
    return _Seen(data, _digest(data))


def _checked(seen: _Seen, target: Path, store: Store) -> Export | None:
    """The file's progress, checked; ``None`` for no file, or for the very file the last sync
    left (everything in it is here already)."""
    if seen.data is None or store.setting(SYNC_SEEN) == f"{target}\n{seen.digest}":
        return None
    try:
        return parse_export(seen.data, str(target))
    except ReportError as error:
        raise SyncError(str(error)) from None


def _replace(target: Path, data: bytes, seen: _Seen) -> None:
    """Write ``data`` over ``target`` atomically, unless it no longer holds what was ``seen``."""

    def unchanged() -> None:
        now = _read(target)
        if now.digest != seen.digest:
            raise _Changed(now)

    try:
        with replacing(target, check=unchanged) as partial:
            partial.write_bytes(data)
    except WriteError as error:
        raise SyncError(f"{error}; nothing was changed") from None


@contextmanager
def _one_at_a_time(target: Path) -> Iterator[None]:
    """Hold a lock on ``target`` for this machine's syncs, waiting up to :data:`LOCK_WAIT_SECONDS`.

    Best effort, never a reason to fail: without ``fcntl`` (Windows), a lock
    file that cannot be opened or is someone else's, or after the wait, the
    sync goes ahead. The lock file lives in the temporary folder, not beside
    the sync file, so the synced folder holds nothing but the progress.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    name = hashlib.sha256(os.fsencode(os.path.realpath(target))).hexdigest()[:24]
    lock = Path(tempfile.gettempdir()) / f"tracker-sync-{os.getuid()}-{name}.lock"
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        yield
        return
    try:
        if os.fstat(descriptor).st_uid == os.getuid():
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.02)
                except OSError:
                    break
        yield
    finally:
        os.close(descriptor)  # releases the lock
