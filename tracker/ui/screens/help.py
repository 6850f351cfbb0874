"""The help screen: what the marks mean, the filter's syntax, and every key, from the bindings."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from tracker.query import FILTER_HELP
from tracker.ui.screens.dialog import Dialog
from tracker.ui.widgets.footer import KeysFooter
from tracker.ui.widgets.roadmap_tree import MARKS

LEGEND = [
    (MARKS["todo"], "to do"),
    (MARKS["doing"], "in progress (d)"),
    (MARKS["done"], "done (space; click the mark too)"),
    (MARKS["skipped"], "skipped (s): not counted in any percent"),
    ("⇄", "a shared skill: ticking it here ticks it in every roadmap that teaches it"),
    ("42%", "a branch: done of what counts under it (skipped items do not count)"),
]
Groups = list[tuple[str, list[BindingType]]]


def help_table(groups: Groups, key_display: Callable[[Binding], str], unavailable: set[str]) -> Table:
    """The legend, the filter syntax, then every described binding grouped by where it applies.

    Keys that do nothing where the cursor was when help opened are dimmed.
    """
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    table.add_row("", Text("Marks", style="bold underline"))
    for mark, meaning in LEGEND:
        table.add_row(Text(mark), Text(meaning))
    table.add_row("", "")
    table.add_row("", Text("Filter ( / )", style="bold underline"))
    for syntax, meaning in FILTER_HELP:
        table.add_row(Text(syntax), Text(meaning))
    table.add_row("", "")
    for heading, bindings in groups:
        table.add_row("", Text(heading, style="bold underline"))
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                off = binding.action in unavailable
                text = Text(binding.tooltip or binding.description, style="dim" if off else "")
                if off:
                    text.append("  (not here)", style="dim italic")
                table.add_row(Text(key_display(binding), style="dim" if off else ""), text)
        table.add_row("", "")
    return table


class HelpScreen(Dialog[None]):
    """Every key of the app, from the ``BINDINGS`` of the app and its widgets; j/k scroll."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
        Binding("j", "scroll(1)", "Scroll down", show=False),
        Binding("k", "scroll(-1)", "Scroll up", show=False),
    ]

    def __init__(self, groups: Groups, key_display: Callable[[Binding], str], unavailable: set[str]):
        super().__init__()
        self.groups = groups
        self.key_display = key_display
        self.unavailable = unavailable

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help"
            body.border_subtitle = "j/k scroll · esc closes"
            yield Static(help_table(self.groups, self.key_display, self.unavailable))
        yield KeysFooter()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)
