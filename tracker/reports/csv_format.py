"""CSV: one row per item, for a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return) as a formula; every such cell gets a
leading single quote so it is shown as text instead. Control characters other
than tab and line ends are shown as their pictures (``␛``).
"""

from __future__ import annotations

import csv
import io

from tracker.reports.snapshot import Entry, Report
from tracker.reports.text import visible_cell

COLUMNS = (
    "roadmap",
    "roadmap_title",
    "group",
    "item",
    "parent",
    "key",
    "kind",
    "title",
    "status",
    "done_on",
    "updated",
    "note",
    "note_updated",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a cell a spreadsheet shows as text, never runs."""
    text = "" if value is None else visible_cell(str(value))
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _row(entry: Entry, roadmap_title: str | None, group: str | None) -> list[str]:
    values = (
        entry.roadmap_id,
        roadmap_title,
        group,
        entry.item_id,
        entry.parent_id,
        entry.key,
        entry.kind,
        entry.title,
        entry.status,
        entry.done_on,
        entry.record.updated,
        entry.record.note,
        entry.record.note_updated,
    )
    return [cell(value) for value in values]


def render(report: Report) -> str:
    """Header row, then every node of every roadmap in scope, then the orphans."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for part in report.roadmaps:
        for group in part.groups:
            entries = [group.heading] if group.heading is not None else []
            for entry in [*entries, *group.entries]:
                writer.writerow(_row(entry, part.roadmap.title, group.title))
    for entry in report.orphans:
        writer.writerow(_row(entry, None, None))
    return out.getvalue()
