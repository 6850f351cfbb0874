"""JSON: the documented, versioned ``tracker-progress`` export that ``tracker import`` reads.

Lossless on purpose: text is written exactly as stored (JSON escapes what it
must, and every control character, so none reaches a terminal). ``items``
lists every node of every roadmap in scope, and every stored key that no
roadmap uses (an orphan), with its status; ``progress`` holds what is stored
for each of those keys, once (a note on a shared skill is written once, not
once per roadmap that has the skill). So an export holds everything needed to
restore the progress it shows, and is never bigger than import reads.
``path`` is the learner's stored path (or ``null``) and ``history`` every
change (time, action, label, whether it was undone, and each key, field, old
and new value), so that a restored database keeps its heatmap, streaks and
done dates.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tracker.path import LearnerPath
from tracker.progress import shown_percent
from tracker.reports.errors import ReportError
from tracker.reports.snapshot import Entry, Report
from tracker.store import PastChange, Step
from tracker.stored import HISTORY_VALUE_BYTES as HISTORY_VALUE_BYTES  # re-exported
from tracker.stored import Record, elided, key_problem, note_problem, readable_time, timestamp

FORMAT = "tracker-progress"
VERSION = 3
"""Version 3 added ``path`` and ``history``; version 2 moved what is stored from ``items`` to
``progress``; versions 1 and 2 are still read."""
HISTORY_FIELDS = ("status", "note")
"""What a history entry may have changed."""
_UNESCAPED_CONTROLS = re.compile(r"[\x7f-\x9f]")
"""Controls that JSON may leave raw (it escapes those below U+0020): escaped too, so that
the export is safe on a terminal and still decodes to the same text."""
MAX_EXPORT_BYTES = 64 * 1024 * 1024
"""The largest export: ``tracker import`` reads no more, so no bigger one is written."""


def item(entry: Entry) -> dict[str, Any]:
    """One entry of ``items``: a node (or orphan) and its status (a parent's is derived)."""
    return {
        "roadmap": entry.roadmap_id,
        "id": entry.item_id,
        "key": entry.key,
        "kind": entry.kind,
        "parent": entry.parent_id,
        "title": entry.title,
        "status": entry.status,
    }


def stored(key: str, record: Record) -> dict[str, Any]:
    """One entry of ``progress``: exactly what the store holds for ``key``.

    A note that import would refuse (one stored before notes were capped) is
    refused here instead, so that no export is written that cannot be restored.
    """
    problem = note_problem(record.note)
    if problem:
        raise ReportError(f"{key}: {problem}, which 'tracker import' refuses; nothing was written")
    return {
        "key": key,
        "status": record.status,
        "updated": record.updated,
        "note": record.note,
        "note_updated": record.note_updated,
    }


def history_problem(change: PastChange) -> str | None:
    """Why a change cannot be carried by an export (import would refuse it), or ``None``.

    The store may hold what another program wrote there; such a change is left
    out of the export rather than written for import to refuse.
    """
    if readable_time(change.at) is None:
        return f"time {change.at!r} is not a stored time"
    for text in (change.action, change.label):
        if not isinstance(text, str) or note_problem(text):
            return "its action or label is not text"
    for step in change.steps:
        if key_problem(step.key) or step.field not in HISTORY_FIELDS:
            return f"it changed {step.field!r} of {step.key!r}"
        for value in (step.old, step.new):
            if value is not None and (not isinstance(value, str) or note_problem(value)):
                return f"a value of {step.key!r} is not text import reads"
    return None


def past_change(change: PastChange) -> dict[str, Any]:
    """One entry of ``history``: a change and each value it changed."""
    return {
        "at": change.at,
        "action": change.action,
        "label": change.label,
        "undone": change.undone,
        "entries": [_step(step) for step in change.steps],
    }


def _step(step: Step) -> dict[str, Any]:
    entry: dict[str, Any] = {"key": step.key, "field": step.field, "old": step.old, "new": step.new}
    for name in ("old", "new"):
        value = entry[name]
        if elided(value):
            entry[name] = None
            entry["elided"] = True
    return entry


def path_entry(path: LearnerPath | None) -> dict[str, Any] | None:
    """The stored path as ``tracker path`` would save it (``None`` without one)."""
    return None if path is None else json.loads(path.to_json())


def document(report: Report) -> dict[str, Any]:
    """The export as plain data."""
    entries = report.entries()
    keys = dict.fromkeys(entry.key for entry in entries)
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
        "items": [item(entry) for entry in entries],
        "progress": [stored(key, report.records[key]) for key in keys if key in report.records],
        "path": path_entry(report.path),
        "history": [past_change(change) for change in report.history if history_problem(change) is None],
    }


def render(report: Report) -> str:
    """The export as UTF-8 friendly JSON text (two-space indent, trailing newline).

    Refused with :class:`ReportError` when larger than :data:`MAX_EXPORT_BYTES`.
    """
    text = json.dumps(document(report), ensure_ascii=False, indent=2) + "\n"
    text = _UNESCAPED_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_EXPORT_BYTES:
        raise ReportError(
            f"the JSON export would be {size / 2**20:.1f} MiB, and 'tracker import' reads at most "
            f"{MAX_EXPORT_BYTES // 2**20} MiB; nothing was written. Export one roadmap at a time, "
            "or shorten the longest notes"
        )
    return text
