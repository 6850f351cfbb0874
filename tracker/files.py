"""Writing a whole file so that nobody ever sees half of it: reports, backups, the parse cache,
the sync file.

A regular file (or a new one) is written to a temporary file in its folder,
flushed to disk (but for the parse cache) and renamed over it, with the
permissions of the file it replaces; a symbolic link is followed, so the file
it points to is replaced and the link stays a link. A pipe or a character device (``/dev/stdout``, a
terminal, ``/dev/null``) cannot be replaced and is written to directly. Errors
name the path the user gave, never the temporary file.
"""

from __future__ import annotations

import glob
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tracker.errors import TrackerError

PARTIAL_SUFFIX = ".partial"
"""Ends the name of a temporary file being written (``.NAME.PID.RANDOM.partial``)."""


class WriteError(TrackerError):
    """A file could not be written; the message names the user's path."""


def write_file(path: Path | str, data: bytes, *, sync: bool = True) -> Path:
    """Write ``data`` to ``path``: atomically for a file, directly for a pipe or device.

    ``sync=False`` renames without flushing to disk first: for a file whose loss
    in a crash costs only time (the parse cache, which checks its own contents).
    """
    path = Path(path).expanduser()
    info = check_target(path)
    if info is not None and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        try:
            with open(path, "wb") as stream:
                stream.write(data)
        except OSError as error:
            raise _failed(path, error) from None
        return path
    with replacing(path, sync=sync) as partial:
        partial.write_bytes(data)
    return path


@contextmanager
def replacing(
    path: Path | str, check: Callable[[], None] | None = None, *, sync: bool = True
) -> Iterator[Path]:
    """A new, empty temporary file to fill; when the block ends, it replaces ``path``.

    For writers that need a path of their own (SQLite's backup). A pipe or a
    device is refused, since it cannot be replaced. If the block fails, ``path``
    is left as it was and the temporary file is removed. ``check`` runs once
    the new file is on disk, just before the rename: if it raises, nothing is
    replaced either (a sync uses it to notice the file changed meanwhile).
    """
    path = Path(path).expanduser()
    info = check_target(path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise WriteError(f"cannot write {path}: not a regular file (a pipe, device or socket)")
    target = Path(os.path.realpath(path))  # a link stays, the file it points to is replaced
    partial = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}{PARTIAL_SUFFIX}")
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        try:
            if info is not None:
                os.chmod(partial, stat.S_IMODE(info.st_mode))
            yield partial
            if sync:
                descriptor = os.open(partial, os.O_RDONLY)
                try:
                    os.fsync(descriptor)
                finally:
                    os.close(descriptor)
            if check is not None:
                check()
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as error:
        raise _failed(path, error) from None


def remove_stale_partials(path: Path | str, older_than: float) -> int:
    """Remove temporary files of ``path`` left by writers that were killed (``kill -9``, a power
    cut) more than ``older_than`` seconds ago; how many. A live writer's is never that old."""
    target = Path(os.path.realpath(Path(path).expanduser()))
    removed = 0
    try:
        found = list(target.parent.glob(f".{glob.escape(target.name)}.*{PARTIAL_SUFFIX}"))
    except OSError:
        return 0
    for partial in found:
        try:
            if time.time() - partial.lstat().st_mtime > older_than:
                partial.unlink()
                removed += 1
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def check_target(path: Path) -> os.stat_result | None:
    """What ``path`` is (links followed), or ``None`` for a new file in an existing folder.

    :class:`WriteError` for a folder, or a file in a folder that does not exist
    (so a command can refuse before it does anything).
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        folder = Path(os.path.realpath(path)).parent
        if not folder.is_dir():
            raise WriteError(f"cannot write {path}: folder {folder} does not exist") from None
        return None
    except OSError as error:
        raise _failed(path, error) from None
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(f"cannot write {path}: it is a folder; give a file name")
    return info


def _failed(path: Path, error: OSError) -> WriteError:
    return WriteError(f"cannot write {path}: {error.strerror or error}")
