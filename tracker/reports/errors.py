"""The one exception the report layer raises."""

from __future__ import annotations


class ReportError(Exception):
    """An export or import problem, worded for the user (one line)."""
