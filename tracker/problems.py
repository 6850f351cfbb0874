"""Problems found in roadmap files, each at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One error in one file, at a line and column (1-based)."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class RoadmapFileError(Exception):
    """A file could not be loaded; ``problems`` lists every error found, in order."""

    def __init__(self, problems: list[Problem]):
        super().__init__(str(problems[0]))
        self.problems = problems
