"""What the store holds for a key, and the rules for every value in it.

One place for what a status, a time, a key and a note may be: the store
applies them when it writes and when it reads (the file may have been written
by another program), the importer when it checks a file, the exporter so that
it never writes what the importer would refuse.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import NamedTuple

STATUSES = ("todo", "doing", "done", "skipped")
MAX_NOTE_BYTES = 1024 * 1024
"""A note is text a person writes; past this it is refused (nothing changed)."""
PATH_SETTING = "path"
"""The settings key that holds the learner's path as JSON (see :mod:`tracker.path`)."""
SYNC_FILE = "sync.file"
"""The settings key that holds the absolute path of the sync file (see :mod:`tracker.sync`)."""


class Record(NamedTuple):
    """What is stored for one key: status, note and when each last changed."""

    status: str = "todo"
    updated: str | None = None
    note: str = ""
    note_updated: str | None = None


def timestamp(moment: datetime) -> str:
    """The stored form of a time: ISO 8601 in UTC, milliseconds."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """Read back a stored time."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def readable_time(value: object) -> str | None:
    """A stored time as :func:`timestamp` writes it, or ``None`` for anything else.

    The file may have been written by another program: what it holds is checked
    where it is read, so that nothing downstream meets a value it cannot handle.
    """
    if isinstance(value, str) and _STORED_TIME.fullmatch(value):
        try:
            parse_timestamp(value)
        except ValueError:  # 2026-02-30
            return None
        return value
    return None


MAX_KEY_LENGTH = 1000


def key_problem(key: object) -> str | None:
    """Why ``key`` cannot be a progress key, or ``None``: import refuses it, the store ignores it."""
    if not isinstance(key, str) or not key.strip():
        return "is empty or not text"
    if len(key) > MAX_KEY_LENGTH:
        return f"is longer than {MAX_KEY_LENGTH} characters"
    if key.isascii():  # the usual case, and cheap: an import checks every key of the history
        return None
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a JSON escape
        return "is not valid text (half a surrogate pair)"
    return None


def readable_status(value: object) -> str:
    """A stored status this tracker knows; anything else reads as ``todo``."""
    return value if isinstance(value, str) and value in STATUSES else "todo"


def note_problem(text: str) -> str | None:
    """Why ``text`` cannot be a note (not Unicode text, over :data:`MAX_NOTE_BYTES`), or ``None``."""
    if text.isascii() and len(text) <= MAX_NOTE_BYTES:  # the usual case, without encoding it
        return None
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:  # a lone surrogate: from a JSON escape or undecodable argv
        return f"the note is not valid text (U+{ord(text[error.start]):04X} at character {error.start + 1})"
    if size > MAX_NOTE_BYTES:
        return (
            f"the note is {size / 1024 / 1024:.1f} MiB; a note can hold at most "
            f"{MAX_NOTE_BYTES // 1024 // 1024} MiB"
        )
    return None


HISTORY_VALUE_BYTES = 16 * 1024
"""A note's old or new text in an export's ``history`` is written up to this size; a longer
one is left out (``null``, with ``"elided": true``): the note itself is in ``progress``, and a
long note edited often would otherwise make an export too big to import."""


def elided(value: str | None) -> bool:
    """Whether an export leaves ``value`` out of its history (a note text over
    :data:`HISTORY_VALUE_BYTES`): a copy of that history holds ``None`` there."""
    return (
        value is not None
        and len(value) * 4 > HISTORY_VALUE_BYTES
        and len(value.encode()) > HISTORY_VALUE_BYTES
    )
