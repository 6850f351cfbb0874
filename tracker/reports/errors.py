"""The one exception the report layer raises."""

from __future__ import annotations

from tracker.errors import TrackerError


class ReportError(TrackerError):
    """An export or import problem, worded for the user (one line)."""
