"""Earlier versions of a note: what it said before, newest first (a sync keeps the other device's)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tracker.store import NoteVersion
from tracker.stored import parse_timestamp
from tracker.ui.screens.dialog import Dialog
from tracker.ui.widgets.footer import KeysFooter
from tracker.untrusted import visible


def versions_text(versions: list[NoteVersion]) -> Content:
    """Each earlier text under its time (local), as plain text: a note is never read as markup."""
    if not versions:
        return Content("This note has no earlier versions.")
    parts = []
    for version in versions:
        when = parse_timestamp(version.at).astimezone().strftime("%Y-%m-%d %H:%M")
        parts.append(Content.assemble((when, "bold $text-primary"), "\n", visible(version.text)))
    return Content("\n\n").join(parts)


class NoteHistoryScreen(Dialog[None]):
    """The earlier texts of one note; j/k scroll, esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("j", "scroll(1)", "Scroll down", show=False),
        Binding("k", "scroll(-1)", "Scroll up", show=False),
    ]

    def __init__(self, title: str, versions: list[NoteVersion]):
        super().__init__()
        self.note_title = title
        self.versions = versions

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="note-history-body") as body:
            body.border_title = Content(f"Earlier versions · {self.note_title}")
            body.border_subtitle = "j/k scroll · esc closes"
            yield Static(versions_text(self.versions))
        yield KeysFooter()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#note-history-body", VerticalScroll).scroll_relative(y=lines, animate=False)
