"""The export dialog: collects format, scope and path; the reports module writes the file."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from tracker.reports import FORMATS, default_filename
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.dialog import Dialog
from tracker.ui.widgets.footer import KeysFooter
from tracker.untrusted import one_line

if TYPE_CHECKING:
    from tracker.catalog import Catalog

EVERYTHING = "__all__"
Export = Callable[[str, str | None, Path], Awaitable[str]]
"""Writes a report (format, roadmap or everything, path) and returns the path written."""


class ExportScreen(Dialog[None]):
    """Choose what to export and where; ``export`` (the app's, through ``tracker.reports``) writes it.

    An existing file is replaced only once the user says so.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel"),
        Binding("ctrl+s", "export", "Export"),
    ]

    def __init__(self, catalog: Catalog, roadmap_id: str | None, export: Export, now: datetime):
        super().__init__()
        self.catalog = catalog
        self.roadmap_id = roadmap_id
        self.export = export
        self.now = now
        self._path_edited = False

    def compose(self) -> ComposeResult:
        scopes: list[tuple[str | Content, str]] = [("Everything", EVERYTHING)]
        scopes += [(Content(r.title), r.id) for r in self.catalog.roadmaps.values()]
        with Vertical(id="export-body") as body:
            body.border_title = "Export progress"
            with Grid(id="export-fields"):
                yield Label("Format")
                choices = [(f.label, f.name) for f in FORMATS.values()]
                yield Select(choices, value="md", allow_blank=False, id="format")
                yield Label("Scope")
                yield Select(scopes, value=self.roadmap_id or EVERYTHING, allow_blank=False, id="scope")
                yield Label("File")
                yield Input(id="path")
            yield Static(id="export-result")
            with Horizontal(id="export-buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._suggest_path()

    @property
    def choice(self) -> tuple[str, str | None]:
        fmt = str(self.query_one("#format", Select).value)
        scope = self.query_one("#scope", Select).value
        return fmt, None if scope == EVERYTHING else str(scope)

    @on(Select.Changed)
    def _suggest_path(self) -> None:
        if self._path_edited:
            return
        fmt, roadmap_id = self.choice
        path_input = self.query_one("#path", Input)
        with path_input.prevent(Input.Changed):
            path_input.value = str(Path.home() / default_filename(fmt, roadmap_id, self.now))

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._path_edited = True

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#path")
    def action_export(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.is_file():
            self.run_worker(self._export(path), exclusive=True)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self.run_worker(self._export(path), exclusive=True)

        question = Content.from_markup("Replace [b]$path[/b]?\n\nThe file is there already.", path=str(path))
        self.app.push_screen(ConfirmScreen(question, "Replace"), answered)

    async def _export(self, path: Path) -> None:
        fmt, roadmap_id = self.choice
        result = self.query_one("#export-result", Static)
        try:
            written = await self.export(fmt, roadmap_id, path)
        except Exception as error:  # any failure is shown in the dialog, the app goes on
            result.update(Content(f"✘ {one_line(str(error))}"))  # a path is text, never markup
            result.add_class("-error")
            return
        self.app.notify(f"Wrote {written}", title="Exported", timeout=6)
        self.dismiss()
