"""Progress reports (Markdown, HTML, JSON, CSV) and importing a JSON export back.

The headless entry point that ``tracker export`` / ``tracker import`` and the
app's export dialog both call; the dialog only collects a format, a scope and
a path. Nothing here imports Textual: reports read the catalog, the store and
the progress maths, and write one file atomically.

    text = render("html", catalog, store, roadmap_id="python")
    write_report(text, Path("progress-python.html"))

Reading an export back lives in :mod:`tracker.reports.restore` (``import_file``),
imported only by the commands that need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from importlib import import_module
from pathlib import Path

from tracker.bulk import collector_paused
from tracker.catalog import Catalog
from tracker.files import WriteError, write_file
from tracker.reports.errors import ReportError
from tracker.reports.snapshot import Report, build
from tracker.store import Store

__all__ = [
    "FORMATS",
    "Format",
    "Report",
    "ReportError",
    "build",
    "default_filename",
    "export_report",
    "format_for_path",
    "render",
    "write_report",
]


@dataclass(frozen=True)
class Format:
    """A report format: its name on the command line, a label and a file suffix."""

    name: str
    label: str
    suffix: str
    module: str
    activity: bool = False
    """Whether it shows the activity summary (which reads the whole status history)."""
    guide: bool = False
    """Whether it shows the learner's path (dated plan, on track, pace, finish)."""
    history: bool = False
    """Whether it carries every change and the stored path (what an import restores)."""


FORMATS: dict[str, Format] = {
    "md": Format("md", "Markdown", ".md", "markdown_format", guide=True),
    "html": Format("html", "HTML", ".html", "html_format", activity=True, guide=True),
    "json": Format("json", "JSON", ".json", "json_format", history=True),
    "csv": Format("csv", "CSV", ".csv", "csv_format"),
}
_SUFFIXES = {".markdown": "md", ".htm": "html", **{f.suffix: f.name for f in FORMATS.values()}}


def get_format(name: str) -> Format:
    """The format called ``name``; the error lists the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ReportError(f"unknown report format '{name}'; use one of: {', '.join(FORMATS)}") from None


def format_for_path(path: Path | str) -> str | None:
    """The format a file name asks for by its suffix (``.md``, ``.html``...), if any."""
    return _SUFFIXES.get(Path(path).suffix.lower())


def default_filename(fmt: str, roadmap_id: str | None, now: datetime) -> str:
    """A file name such as ``progress-python-2026-01-05.html``."""
    day = now.astimezone(UTC).date().isoformat()
    return f"progress-{roadmap_id or 'all'}-{day}{get_format(fmt).suffix}"


def render(
    fmt: str,
    catalog: Catalog,
    store: Store,
    roadmap_id: str | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> str:
    """The report as text: everything, or one roadmap. ``now`` defaults to the store's clock,
    ``tz`` (the zone of the path's dates) to the learner's.

    An unknown roadmap raises :class:`tracker.catalog.LookupProblem`; an unknown
    format :class:`ReportError`.
    """
    spec = get_format(fmt)
    with collector_paused():  # a long history is many small objects, none of them garbage
        report = build(
            catalog,
            store,
            roadmap_id,
            now,
            activity=spec.activity,
            guide=spec.guide,
            history=spec.history,
            tz=tz,
        )
        return import_module(f"tracker.reports.{spec.module}").render(report)


def write_report(text: str, path: Path | str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` and return the path.

    A file is replaced atomically (:func:`tracker.files.write_file`), so a reader
    never sees half a report and a failure leaves any earlier file as it was; a
    pipe or a device is written to directly. The folder is not created: a
    missing one is an error, since it is most likely a typo.
    """
    try:
        return write_file(path, text.encode("utf-8"))
    except WriteError as error:
        raise ReportError(str(error)) from None


def export_report(
    fmt: str,
    catalog: Catalog,
    store: Store,
    path: Path | str,
    roadmap_id: str | None = None,
    now: datetime | None = None,
) -> Path:
    """Render and write in one call (what the app's export dialog runs in a worker)."""
    return write_report(render(fmt, catalog, store, roadmap_id, now), path)
