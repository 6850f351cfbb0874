"""Reading a ``tracker-progress`` JSON export back into the store.

The whole file is read and checked before the database is touched: a file of
another format or a newer version, malformed or truncated JSON, or one bad
item refuses the import with one line saying why, and nothing is written.
Then :meth:`tracker.store.Store.merge` applies it in one transaction, the
newer change winning for each key. Keys that no loaded roadmap uses are kept
(as orphaned progress) and reported, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.bulk import collector_paused
from tracker.catalog import Catalog
from tracker.path import PATH_SETTING, LearnerPath, read_path
from tracker.reports.errors import ReportError
from tracker.reports.json_format import FORMAT, HISTORY_FIELDS, MAX_EXPORT_BYTES, VERSION
from tracker.store import Change, PastChange, Step, Store
from tracker.stored import (
    STATUSES,
    Record,
    key_problem,
    note_problem,
    parse_timestamp,
    readable_time,
    timestamp,
)

UNCHANGED = "Nothing was changed"


@dataclass(frozen=True)
class Export:
    """A checked export: the record of every key it holds, its history and path (version 3)."""

    source: str
    records: dict[str, Record]
    history: tuple[PastChange, ...] = ()
    path: LearnerPath | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    source: str
    keys: int
    """Distinct keys in the file."""
    change: Change | None
    orphans: tuple[str, ...]
    """Keys in the file that no loaded roadmap uses (stored anyway)."""
    path_taken: bool = False
    """Whether the file's path replaced the one stored here (it was newer)."""

    def describe(self) -> str:
        """One line for the CLI or a notification."""
        if self.change is None:
            text = (
                f"imported {self.source}: nothing changed (all {self.keys} items are already here or older)"
            )
        else:
            text = (
                f"imported {self.source}: {len(self.change.keys)} of {self.keys} items updated "
                "(newer than what was stored)"
            )
            if self.change.copied:
                text += f"; {self.change.copied} past change(s) added to the history"
            if self.path_taken:
                text += "; the path taken from the file"
        if self.orphans:
            shown = ", ".join(self.orphans[:5])
            more = f" and {len(self.orphans) - 5} more" if len(self.orphans) > 5 else ""
            text += f"; {len(self.orphans)} key(s) no roadmap uses kept as orphaned progress: {shown}{more}"
        return text


def _refuse(source: str, why: str) -> ReportError:
    return ReportError(f"{source}: {why}. {UNCHANGED}")


def _describe_json_type(value: Any) -> str:
    if isinstance(value, list):
        return "a JSON array"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool) or value is None:
        return f"the JSON value {json.dumps(value)}"
    return "a JSON number"


def parse_export(data: bytes, source: str) -> Export:
    """Check an export's bytes; :class:`ReportError` says why it is refused.

    Version 2 holds what is stored in ``progress``, each key once; version 1
    held it in ``items``, a shared key once per roadmap that has it.
    """
    with collector_paused():  # a long history is many small objects, none of them garbage
        return _parse_export(data, source)


def _parse_export(data: bytes, source: str) -> Export:
    if len(data) > MAX_EXPORT_BYTES:
        raise _refuse(source, f"it is larger than {MAX_EXPORT_BYTES // 2**20} MiB")
    if not data.strip():
        raise _refuse(source, "the file is empty; expected a tracker-progress JSON export")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(source, f"not UTF-8 text (byte {error.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        ending = text.rstrip()
        truncated = error.pos >= len(ending) or not ending.endswith(("}", "]"))
        hint = "; the file looks truncated" if truncated else ""
        raise _refuse(
            source,
            f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}){hint}",
        ) from None
    except RecursionError:
        raise _refuse(source, "JSON nested too deeply") from None
    if not isinstance(document, dict):
        raise _refuse(
            source,
            f"holds {_describe_json_type(document)}, not a tracker-progress export "
            '(a JSON object with "format": "tracker-progress")',
        )
    if document.get("format") != FORMAT:
        found = document.get("format")
        what = 'has no "format" field' if found is None else f"has format {found!r}"
        raise _refuse(source, f"not a tracker-progress export (it {what})")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _refuse(source, f"unknown tracker-progress version {version!r}")
    if version > VERSION:
        raise _refuse(
            source,
            f"a tracker-progress version {version} export; this tracker reads version "
            f"{VERSION}, upgrade tracker to import it",
        )
    field, label = ("items", "item") if version == 1 else ("progress", "progress entry")
    rows = document.get(field)
    if not isinstance(rows, list):
        raise _refuse(source, f'"{field}" is missing or not a list')
    records: dict[str, Record] = {}
    for number, raw in enumerate(rows, start=1):
        key, record = _item(raw, f"{label} {number}", source)
        records[key] = _newer(records.get(key), record)
    if version < 3:
        return Export(source, records)
    return Export(
        source, records, _history(document.get("history"), source), _path(document.get("path"), source)
    )


def _path(raw: Any, source: str) -> LearnerPath | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _refuse(source, '"path" is not a JSON object')
    try:
        path = LearnerPath.from_dict(raw)
        path.schedule(36)
    except (KeyError, ValueError, TypeError, OverflowError) as error:
        raise _refuse(source, f'"path" is not a path ({error})') from None
    if path.updated is not None:
        _time(path.updated, '"path": "updated"', source)
    return path


def _history(raw: Any, source: str) -> tuple[PastChange, ...]:
    """The changes of ``history``, each checked as the store would write it.

    A long history is 100,000 entries: the usual case (a time as the store
    writes it) takes the short way, and a place is only worded for an error.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _refuse(source, '"history" is not a list')
    changes = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise _refuse(source, f"history entry {number} is not a JSON object")
        at = readable_time(entry.get("at"))
        if at is None:
            at = _time(entry.get("at"), f'history entry {number}: "at"', source)
            if at is None:
                raise _refuse(source, f'history entry {number} has no "at"')
        action, label, undone = entry.get("action"), entry.get("label", ""), entry.get("undone", False)
        for name, text in (("action", action), ("label", label)):
            if not isinstance(text, str) or note_problem(text) or (name == "action" and not text):
                raise _refuse(source, f'history entry {number}: "{name}" is not text')
        if not isinstance(undone, bool):
            raise _refuse(source, f'history entry {number}: "undone" is not true or false')
        steps = entry.get("entries")
        if not isinstance(steps, list):
            raise _refuse(source, f'history entry {number}: "entries" is missing or not a list')
        assert isinstance(action, str) and isinstance(label, str)  # checked above
        changes.append(
            PastChange(at, action, label, tuple([_step(s, number, source) for s in steps]), undone)
        )
    return tuple(changes)


def _step(raw: Any, number: int, source: str) -> Step:
    where = "history entry {}"  # worded only for an error
    if not isinstance(raw, dict):
        raise _refuse(source, f"{where.format(number)}: an entry is not a JSON object")
    key, field = raw.get("key"), raw.get("field")
    problem = key_problem(key)
    if problem or not isinstance(key, str):
        raise _refuse(source, f'{where.format(number)}: "key" {problem}')
    if field not in HISTORY_FIELDS or not isinstance(field, str):
        raise _refuse(
            source,
            f'{where.format(number)} ({key}): "field" {field!r} is not one of {", ".join(HISTORY_FIELDS)}',
        )
    old, new = raw.get("old"), raw.get("new")
    if not isinstance(raw.get("elided", False), bool):
        raise _refuse(source, f'{where.format(number)} ({key}): "elided" is not true or false')
    for value in (old, new):
        if value is not None and (not isinstance(value, str) or note_problem(value)):
            raise _refuse(source, f'{where.format(number)} ({key}): "old" and "new" must be text or null')
    return Step(key, field, old, new)


def _item(raw: Any, where: str, source: str) -> tuple[str, Record]:
    if not isinstance(raw, dict):
        raise _refuse(source, f"{where} is not a JSON object")
    key = raw.get("key")
    if key is None:
        raise _refuse(source, f'{where} has no "key"')
    problem = key_problem(key)
    if problem:
        raise _refuse(source, f'{where}: "key" {problem}')
    where = f"{where} ({key})"
    status = raw.get("status", "todo")
    if status not in STATUSES:
        raise _refuse(source, f'{where}: "status" {status!r} is not one of {", ".join(STATUSES)}')
    note = raw.get("note") or ""
    if not isinstance(note, str):
        raise _refuse(source, f'{where}: "note" is not text')
    problem = note_problem(note)
    if problem:
        raise _refuse(source, f'{where}: "note": {problem}')
    updated = _time(raw.get("updated"), f'{where}: "updated"', source)
    note_updated = _time(raw.get("note_updated"), f'{where}: "note_updated"', source)
    return key, Record(status, updated, note, note_updated)


def _time(value: Any, where: str, source: str) -> str | None:
    """A stored time in its canonical form (so that times compare as text)."""
    if value is None:
        return None
    if readable_time(value) is not None:  # already as the store writes it: nothing to convert
        return value
    try:
        if not isinstance(value, str):
            raise ValueError
        moment = parse_timestamp(value)
        if moment.tzinfo is None:
            raise ValueError
    except ValueError:
        raise _refuse(source, f"{where} {value!r} is not an ISO 8601 time with a time zone") from None
    try:
        return timestamp(moment)
    except OverflowError:  # 0001-01-01T00:00+01:00 is still in year 0 in UTC
        raise _refuse(source, f"{where} {value!r} is outside the years 1 to 9999 in UTC") from None


def _newer(old: Record | None, new: Record) -> Record:
    """One key listed twice (a shared skill in several roadmaps): the newer of each half."""
    if old is None:
        return new
    status = new if (new.updated or "") > (old.updated or "") else old
    note = new if (new.note_updated or "") > (old.note_updated or "") else old
    return Record(status.status, status.updated, note.note, note.note_updated)


def read_export(path: Path | str) -> Export:
    """Read and check an export file (nothing is written)."""
    path = Path(path).expanduser()
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise _refuse(str(path), f"it is larger than {MAX_EXPORT_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error.strerror or error}. {UNCHANGED}") from None
    return parse_export(data, str(path))


def import_export(store: Store, catalog: Catalog, export: Export) -> ImportResult:
    """Merge a checked export into the store, in one transaction.

    Statuses and notes: the newer of each wins. History: each change the store
    does not hold yet is copied with its own time (see
    :meth:`tracker.store.Store.merge`), so heatmap, streaks and done dates
    survive a restore. The path: the file's when none is stored here or the
    file's was saved later.
    """
    change = store.merge(
        export.records,
        label=f"import {Path(export.source).name}",
        history=export.history,
        settings=path_setting(store, export),
    )
    known = {node.key for roadmap in catalog.roadmaps.values() for node in roadmap.nodes.values()}
    orphans = tuple(sorted(key for key in export.records if key not in known))
    return ImportResult(
        export.source,
        len(export.records),
        change,
        orphans,
        change is not None and PATH_SETTING in change.settings,
    )


def path_setting(store: Store, export: Export) -> dict[str, str]:
    """The settings to merge for the export's path: it, when none is stored here or it was saved
    later (on the same millisecond, the greater of the two, so that two devices agree)."""
    if export.path is None:
        return {}
    theirs = export.path.to_json()
    here = read_path(store)
    if here is not None and (here.updated or "", here.to_json()) >= (export.path.updated or "", theirs):
        return {}
    return {PATH_SETTING: theirs}


def import_file(store: Store, catalog: Catalog, path: Path | str) -> ImportResult:
    """Read, check and merge an export file."""
    return import_export(store, catalog, read_export(path))
