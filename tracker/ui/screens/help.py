"""The help screen, generated from the bindings of the app and its widgets."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.ui.screens.dialog import Dialog
from tracker.ui.widgets.footer import KeysFooter


def _keys(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return ", ".join(_pretty(key) for key in binding.key.split(","))


def _pretty(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "space": "space", "escape": "esc"}
    return names.get(key.strip(), key.strip())


def bindings_table(groups: list[tuple[str, list[BindingType]]]) -> Table:
    """A table of every described binding, grouped by where it applies."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for heading, bindings in groups:
        table.add_row("", Text(heading, style="bold underline"))
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                table.add_row(Text(_keys(binding)), Text(binding.tooltip or binding.description))
        table.add_row("", "")
    return table


class HelpScreen(Dialog[None]):
    """Every key of the app, from the ``BINDINGS`` of the app and its widgets."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, groups: list[tuple[str, list[BindingType]]]):
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "esc closes"
            yield Static(bindings_table(self.groups))
        yield KeysFooter()
