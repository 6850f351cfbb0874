"""Opening the SQLite file behind the store, and SQLite's errors in words.

An existing file is inspected read-only before anything else, so a corrupt
file, one of a newer schema or of another program is refused untouched. Then
it is opened for writing, or, where it cannot be written (a read-only file,
folder or file system, a full disk), for reading only: what is stored can
always be shown, and each write says why it cannot be made.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from tracker.errors import TrackerError

BUSY_TIMEOUT_SECONDS = 5.0
HEADER = b"SQLite format 3\x00"
LOW_SPACE_BYTES = 1024 * 1024
"""Less free space than this turns SQLite's "disk I/O error" into "disk full"."""


class StoreError(TrackerError):
    """A storage problem, worded for the user (one line)."""


def error_code(error: sqlite3.Error) -> str:
    """SQLite's primary result code by name: ``BUSY`` for ``SQLITE_BUSY_SNAPSHOT`` and so on."""
    name = getattr(error, "sqlite_errorname", None) or ""
    return name.removeprefix("SQLITE_").split("_")[0]


CANNOT_WRITE_HERE = frozenset({"CANTOPEN", "IOERR", "FULL", "READONLY", "PERM"})
"""Codes of a file that cannot be written where it is, though it may still be read."""


def explain(error: sqlite3.Error, path: Path) -> StoreError:
    """One line for the user, chosen by SQLite's result code (never by its wording)."""
    code = error_code(error)
    if code in ("BUSY", "LOCKED"):
        return StoreError(
            f"{path} is locked by another program (waited {BUSY_TIMEOUT_SECONDS:g}s); "
            "nothing was changed, try again"
        )
    if code == "FULL" or (code == "IOERR" and _low_on_space(path)):
        return StoreError(f"disk full while writing {path}; nothing was changed")
    if code in ("READONLY", "PERM"):
        return StoreError(f"{path} is read-only; nothing was changed")
    if code in ("CORRUPT", "NOTADB"):
        return StoreError(corrupt_message(path, str(error)))
    if code == "CANTOPEN":
        return StoreError(f"cannot open {path} ({error})")
    if code == "IOERR":
        return StoreError(f"disk I/O error on {path} ({error}); nothing was changed")
    return StoreError(f"database error on {path}: {error}")


def _low_on_space(path: Path) -> bool:
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < LOW_SPACE_BYTES


def corrupt_message(path: Path, detail: str) -> str:
    return (
        f"{path} is not a readable tracker database ({detail}); it was left untouched. "
        f"To start fresh, move it aside (e.g. mv '{path}' '{path}.broken') or pass --db NEW_FILE"
    )


def check_location(path: Path, create_folder: bool) -> None:
    """The file's folder exists (created if asked) and the path is not a folder."""
    folder = path.parent
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    if not folder.is_dir():
        if not create_folder:
            raise StoreError(f"cannot open {path}: folder {folder} does not exist")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create folder {folder}: {error.strerror}") from None


def write_blocker(path: Path) -> StoreError | None:
    """Why ``path`` cannot be written (the error each write will get), or ``None``."""
    if path.exists() and not os.access(path, os.W_OK):
        return StoreError(f"{path} is read-only; nothing was changed")
    if not os.access(path.parent, os.W_OK):  # SQLite writes its journal beside the file
        return StoreError(
            f"{path} cannot be changed: folder {path.parent} is not writable; nothing was changed"
        )
    return None


def connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    """A connection as the store uses it: autocommit (explicit transactions), any thread."""
    return sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False, uri=uri
    )


def open_read_write(path: Path) -> sqlite3.Connection:
    """Open (or create) the file for writing, in WAL mode; raises :class:`sqlite3.Error`."""
    connection = connect(str(path))
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        if str(path) != ":memory:":
            _enable_wal(connection)
        # NORMAL is SQLite's advice for WAL: a commit survives the process being
        # killed at any point; only an OS crash or power cut can drop the last one.
        connection.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        connection.close()
        raise
    return connection


def _enable_wal(connection: sqlite3.Connection) -> None:
    """Switch to the WAL journal, retrying until the busy timeout.

    SQLite answers "database is locked" at once, without calling the busy
    handler, while another process is creating the file or switching it to WAL.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if error_code(error) not in ("BUSY", "LOCKED") or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open an existing file without writing a byte to it or beside it.

    A WAL file needs its ``-shm`` index, which SQLite cannot create in a
    read-only folder or on a full disk; then the file is read as immutable,
    unless its write-ahead log holds changes that this would miss.
    """
    uri = path.resolve().as_uri()
    try:
        return _probed(connect(f"{uri}?mode=ro", uri=True))
    except sqlite3.Error as error:
        wal = path.with_name(path.name + "-wal")
        if error_code(error) not in ("CANTOPEN", "IOERR") or (wal.exists() and wal.stat().st_size):
            raise explain(error, path) from None
    try:
        return _probed(connect(f"{uri}?mode=ro&immutable=1", uri=True))
    except sqlite3.Error as error:
        raise explain(error, path) from None


def _probed(connection: sqlite3.Connection) -> sqlite3.Connection:
    """``connection`` once it has read the file (SQLite opens it lazily)."""
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def inspect(path: Path, known_versions: int) -> tuple[sqlite3.Connection, int] | None:
    """An existing file opened read-only and checked, with its schema version; ``None`` if new.

    A missing or empty file is new. Anything that is not a healthy tracker
    database of a known version is refused, untouched.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(HEADER))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror}") from None
    if not header:
        return None
    if header != HEADER:
        raise StoreError(corrupt_message(path, "no SQLite header"))
    connection = open_read_only(path)
    try:
        version, check, tables = _examine(connection, path)
        if check != "ok":
            raise StoreError(corrupt_message(path, f"integrity check: {check}"))
        if version > known_versions:
            raise StoreError(
                f"{path} was written by a newer tracker (schema {version}; this version knows "
                f"{known_versions}); upgrade tracker to open it. The file was left untouched"
            )
        if version == 0 and tables:
            raise StoreError(
                f"{path} is an SQLite file of another program (tables: {', '.join(sorted(tables))}); "
                "it was left untouched. Pass --db with another path"
            )
    except BaseException:
        connection.close()
        raise
    return connection, version


CHECKED_AT_OPEN = ("progress", "notes", "settings")
"""The tables every open checks page by page: the learner's progress. The change log
(``changes`` and ``history``) grows without bound, so checking it would make every start
slower with every tick; ``tracker doctor`` checks the whole file, and SQLite reports a
damaged page of the log whenever one is read."""


def _examine(connection: sqlite3.Connection, path: Path) -> tuple[int, str, set[str]]:
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        check = "ok"
        for table in CHECKED_AT_OPEN:
            if table in tables and check == "ok":
                check = connection.execute(f"PRAGMA quick_check({table})").fetchone()[0]
    except sqlite3.Error as error:
        raise explain(error, path) from None
    return version, check, tables
