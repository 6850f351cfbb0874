"""JSON: the documented, versioned ``tracker-progress`` export that ``tracker import`` reads.

Lossless on purpose: text is written exactly as stored (JSON escapes what it
must), every node of every roadmap in scope is listed, and so is every stored
key no roadmap uses (an orphan), so an export holds everything needed to
restore the progress it shows.
"""

from __future__ import annotations

import json
from typing import Any

from tracker.progress import shown_percent
from tracker.reports.snapshot import Entry, Report
from tracker.store import timestamp

FORMAT = "tracker-progress"
VERSION = 1


def item(entry: Entry) -> dict[str, Any]:
    """One entry of ``items``; a parent's status is derived and its ``updated`` is null."""
    return {
        "roadmap": entry.roadmap_id,
        "id": entry.item_id,
        "key": entry.key,
        "kind": entry.kind,
        "parent": entry.parent_id,
        "title": entry.title,
        "status": entry.status,
        "updated": entry.record.updated,
        "note": entry.record.note,
        "note_updated": entry.record.note_updated,
    }


def document(report: Report) -> dict[str, Any]:
    """The export as plain data."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported": timestamp(report.exported),
        "scope": report.scope,
        "roadmaps": [
            {
                "id": part.roadmap.id,
                "title": part.roadmap.title,
                "total": part.counts.total,
                "done": part.counts.done,
                "doing": part.counts.doing,
                "skipped": part.counts.skipped,
                "percent": shown_percent(part.counts),
            }
            for part in report.roadmaps
        ],
        "items": [item(entry) for entry in report.entries()],
    }


def render(report: Report) -> str:
    """The export as UTF-8 friendly JSON text (two-space indent, trailing newline)."""
    return json.dumps(document(report), ensure_ascii=False, indent=2) + "\n"
