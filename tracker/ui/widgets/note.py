"""The note editor: a text area that is only built when a note is first edited."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import TextArea


class NoteEditor(TextArea):
    """The note of the shown item; ``escape`` hands focus back.

    Its border's subtitle says whether the note is being edited, saved or not saved.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.focus_tree", "Done editing", tooltip="Back to the tree"),
    ]
    NOTE_STATES = ("editing", "saved", "unsaved")

    def show_state(self, state: str | None, message: str) -> None:
        """Put ``message`` (plain text) in the border; ``state`` picks its colour in the TCSS."""
        for name in self.NOTE_STATES:
            self.set_class(name == state, f"-{name}")
        self.border_subtitle = escape(message)
