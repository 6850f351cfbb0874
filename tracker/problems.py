"""Problems found in roadmap files, each at a file, line and column, and id suggestions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from tracker.untrusted import one_line


class Problem(NamedTuple):
    """One error in one file, at a line and column (1-based)."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        """``path:line:column: message``, always one line (a value quoted may hold a newline)."""
        return one_line(f"{self.path}:{self.line}:{self.column}: {self.message}")


class RoadmapFileError(Exception):
    """A file could not be loaded; ``problems`` lists every error found, in order."""

    def __init__(self, problems: list[Problem]):
        super().__init__(str(problems[0]))
        self.problems = problems


def closest(unknown: str, known: Iterable[str], cutoff: float = 0.5) -> str:
    """`` (did you mean 'a', 'b'?)`` for the ids closest to ``unknown``, or ``''``.

    Close spellings first; failing those, ids that contain ``unknown``.
    """
    import difflib  # imported here: only an unknown id needs it

    known = list(known)
    close = difflib.get_close_matches(unknown, known, n=3, cutoff=cutoff)
    if not close:
        close = [k for k in known if unknown in k][:3]
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
