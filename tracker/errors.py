"""The base of every error worded for the user (storage, reports, lookups, files)."""

from __future__ import annotations

from tracker.untrusted import one_line


class TrackerError(Exception):
    """A problem the user can act on. Its message is one line, control characters shown.

    Messages quote paths, ids and values from files and users, which may hold
    newlines or terminal escapes; they are made safe here, once, for the CLI
    and the app alike.
    """

    def __init__(self, message: str):
        super().__init__(one_line(message))


def unexpected_error(error: Exception) -> str:
    """One line for an error no layer worded: an OS fault as the system puts it, else a bug."""
    if isinstance(error, OSError):  # a fault of the system, not of the tracker
        return f"{error.strerror or error}: {error.filename}" if error.filename else str(error)
    return f"internal error: {type(error).__name__}: {error} (TRACKER_DEBUG=1 shows more)"
