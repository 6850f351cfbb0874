"""The detail pane: what an item is, where to read about it, what it links to, your note."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.catalog import CrossLink, Node, View
from tracker.progress import counts_text, percent_text
from tracker.ui.messages import JumpRequested, LinkOpened, NoteEdited
from tracker.ui.widgets.roadmap_tree import MARKS, STATUS_CLASSES, status_style
from tracker.untrusted import visible, visible_cell

if TYPE_CHECKING:
    from textual.timer import Timer

    from tracker.catalog import Catalog
    from tracker.progress import ProgressIndex
    from tracker.ui.widgets.note import NoteEditor

NOTE_SAVE_DELAY = 0.6
"""Seconds of quiet typing before a note is saved."""
NOTE_TITLE = "Note · n to edit"
PREVIEW_CHARACTERS = 4000
"""The preview shows the start of a long note; the editor holds all of it."""
WRAP_LIMIT = 100_000
"""Characters past which the editor stops soft-wrapping (wrapping a megabyte takes a second)."""


class NotePreview(Static):
    """The note as text, standing in for the editor until a note is first edited."""

    async def on_click(self) -> None:
        await self.run_action("app.edit_note")


class LinkList(OptionList):
    """Resources and cross links under headings; ``enter`` follows the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.action_first()  # the first link, past the heading

    def action_cursor_up(self) -> None:
        """Up from the first link shows the top of the pane (the title and description)."""
        if self.highlighted is not None and self.highlighted <= self._first_enabled():
            if isinstance(self.parent, VerticalScroll):
                self.parent.scroll_home(animate=False)
            return
        super().action_cursor_up()

    def _first_enabled(self) -> int:
        return next((i for i, option in enumerate(self.options) if not option.disabled), 0)


class DetailPane(VerticalScroll):
    """Shows one item (or a month, key skill or career) of the current roadmap.

    Three widgets: the text about the entry, one list of its resources and
    cross links, and the note (plain text until it is first edited, then an
    editor whose border says whether the note is saved).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "detail--title",
        "detail--heading",
        "detail--muted",
    } | STATUS_CLASSES

    def __init__(self, catalog: Catalog, progress: ProgressIndex, **kwargs):
        super().__init__(**kwargs)
        self.catalog = catalog
        self.progress = progress
        self.off_path: Callable[[Node], bool] = lambda node: False
        """Whether an item is "not on your path"; set by the app."""
        self.entry: Node | View | None = None
        self._stored_note = ""
        """The shown entry's note as last read from or confirmed by the store."""
        self._sent_note = ""
        """The text last sent for saving, so that the same text is not sent twice."""
        self._timer: Timer | None = None
        self._targets: list[str | CrossLink | None] = []
        """What each line of the link list opens: a URL, a cross link, or nothing (a heading)."""
        self._roadmap_id = ""
        self._shown_body = Text()
        self.editor: NoteEditor | None = None
        """Built when a note is first edited (a text area is slow to set up)."""

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.redraw())

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")
        links = LinkList(id="links")
        links.display = False
        yield links
        preview = NotePreview(id="note-preview")
        preview.border_title = NOTE_TITLE
        yield preview

    # -- showing ---------------------------------------------------------------------------

    def show(self, entry: Node | View | None, roadmap_id: str, note: str = "") -> None:
        """Display ``entry`` of roadmap ``roadmap_id`` and its stored ``note``.

        Showing the entry already shown keeps the editor as it is, so text that
        is still being saved (or failed to save) is never replaced.
        """
        self.flush_note()
        if entry is self.entry and entry is not None:
            self.refresh_status()
            return
        self.entry = entry
        self._roadmap_id = roadmap_id
        self.replace_note(note)
        if self.editor is not None:
            self.editor.disabled = not isinstance(entry, Node)
            self.editor.show_state(None, "")
        self._show_body()
        self._fill_links(keep_cursor=False)

    def replace_note(self, note: str) -> None:
        """Show ``note`` as the stored note (on a new entry, after an undo or another writer's change)."""
        self._stored_note = self._sent_note = note
        if self.editor is not None:
            with self.editor.prevent(self.editor.Changed):
                self.editor.soft_wrap = len(note) <= WRAP_LIMIT
                self.editor.load_text(visible_cell(note))
            self.editor.show_state(None, "")
            return
        muted = self.get_component_rich_style("detail--muted")
        if len(note) > PREVIEW_CHARACTERS:
            rest = note[PREVIEW_CHARACTERS:].count("\n") + 1
            text = Text(visible(note[:PREVIEW_CHARACTERS]))
            text.append(f"… and {rest:,} more line(s); n opens all of it", style=muted)
        elif note:
            text = Text(visible(note))
        elif isinstance(self.entry, Node):
            text = Text("No note yet", style=muted)
        else:
            text = Text("Notes are kept on items", style=muted)
        self.query_one(NotePreview).update(text)

    def outside_note(self, note: str) -> None:
        """Another writer stored ``note`` for the shown entry: show it unless edits are unsaved.

        Unsaved edits stay; saving them then keeps both texts (see ``Store.set_note``).
        """
        if self.editor is not None and self.editor.text != visible_cell(self._stored_note):
            return
        self.replace_note(note)
        if self.editor is not None:
            self.editor.show_state("saved", "↻ changed elsewhere; reloaded")

    async def edit_note(self) -> bool:
        """Focus the note editor, building it the first time; ``False`` if the entry takes no note."""
        if not isinstance(self.entry, Node):
            return False
        if self.editor is None:
            from tracker.ui.widgets.note import NoteEditor

            note = self._stored_note
            editor = NoteEditor(
                visible_cell(note), id="note", soft_wrap=len(note) <= WRAP_LIMIT, show_line_numbers=False
            )
            editor.border_title = NOTE_TITLE
            preview = self.query_one(NotePreview)
            await self.mount(editor, after=preview)
            await preview.remove()
            self.editor = editor
        self.editor.focus()
        return True

    def refresh_status(self) -> None:
        """Redraw the status and the marks of the links (after a change of progress)."""
        self._show_body()
        if any(isinstance(target, CrossLink) for target in self._targets):
            self._fill_links(keep_cursor=True)

    def redraw(self) -> None:
        """Build the texts again (after a change of theme: their colours come from the TCSS)."""
        self._show_body()
        self._fill_links(keep_cursor=True)
        if self.editor is None:
            self.replace_note(self._stored_note)

    def _show_body(self) -> None:
        body = self._body()
        if body != self._shown_body:
            same_height = body.plain.count("\n") == self._shown_body.plain.count("\n")
            self._shown_body = body
            self.query_one("#detail-body", Static).update(body, layout=not same_height)

    def _body(self) -> Text:
        """Title, status, where it sits, and description of the shown entry."""
        entry = self.entry
        if entry is None:
            return Text("Nothing selected", style=self.get_component_rich_style("detail--muted"))
        body = Text()
        body.append(entry.title, style=self.get_component_rich_style("detail--title"))
        body.append("\n")
        body.append_text(self._status_lines(entry))
        if entry.description:
            body.append("\n\n")
            body.append(entry.description)
        return body

    def _status_lines(self, entry: Node | View) -> Text:
        muted = self.get_component_rich_style("detail--muted")
        line = Text()
        if isinstance(entry, Node):
            status = self.progress.status(entry)
            line.append(f"{MARKS[status]} {status}", style=status_style(self, status) + Style(bold=True))
            if entry.children:
                counts = self.progress.counts(entry)
                line.append(f"  ·  {percent_text(counts)} · {counts_text(counts)}")
            where = " › ".join(n.title for n in entry.path()[:-1])
            roadmap = self.catalog.roadmaps[entry.roadmap_id].title
            line.append(f"\n{roadmap}{' › ' + where if where else ''}", style=muted)
            if entry.level:
                line.append(f"\n{entry.level.capitalize()} project", style=muted)
            if self.off_path(entry):
                line.append("\nNot on your path: still tickable, never counted against you", style=muted)
            if entry.skill:
                others = set(self.catalog.roadmaps_with_key(entry.key)) - {entry.roadmap_id}
                line.append(
                    f"\nShared skill '{entry.skill}'"
                    + (f": also in {len(others)} other roadmap(s)" if others else ""),
                    style=muted,
                )
        else:
            counts = self.progress.of_nodes(entry.nodes)
            line.append(percent_text(counts), style="bold")
            line.append(f"  ·  {counts_text(counts)}")
        return line

    def _fill_links(self, keep_cursor: bool) -> None:
        """List the entry's resources, then its cross links, each group under a heading."""
        heading = self.get_component_rich_style("detail--heading")
        muted = self.get_component_rich_style("detail--muted")
        options: list[Option | None] = []
        self._targets = []
        resources = self.entry.resources if isinstance(self.entry, Node) else ()
        if resources:
            title = Text.assemble(("Resources", heading), ("  o opens the first", muted))
            options.append(Option(title, disabled=True))
            self._targets.append(None)
            for resource in resources:
                options.append(Option(Text.assemble(resource.title, ("\n" + resource.url, muted))))
                self._targets.append(resource.url)
        entry = self.entry
        links = self.catalog.cross_links(entry, self._roadmap_id) if entry is not None else []
        if links:
            if options:
                options.append(None)  # a rule between the two groups
            options.append(Option(Text("Links", style=heading), disabled=True))
            self._targets.append(None)
        for link in links:
            target = link.target
            if isinstance(target, Node):
                status = self.progress.status(target)
                prompt = Text.assemble((f"{MARKS[status]} ", status_style(self, status)), target.title)
            else:
                percent = percent_text(self.progress.of_nodes(target.nodes), 0)
                prompt = Text.assemble((f"{percent:>4} ", muted), target.title)
            prompt.append(f"  {link.relation}", style=muted + Style(italic=True))
            options.append(Option(prompt))
            self._targets.append(link)
        listing = self.query_one(LinkList)
        highlighted = listing.highlighted
        listing.set_options(options)
        if keep_cursor and highlighted is not None:
            listing.highlighted = highlighted  # the same entry: only the marks changed
        listing.display = bool(options)
        self.can_focus = not options  # with links, tab lands on the list (which scrolls the pane)

    # -- following links -------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets[event.option_index]
        if isinstance(target, str):
            self.post_message(LinkOpened(target))
        elif target is not None:
            self.post_message(JumpRequested(target.target, target.roadmap_id))

    @property
    def first_url(self) -> str | None:
        return next((target for target in self._targets if isinstance(target, str)), None)

    # -- notes -----------------------------------------------------------------------------

    def on_text_area_changed(self, event: NoteEditor.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        if self.editor is not None:
            self.editor.show_state("editing", "● editing")
        self._timer = self.set_timer(NOTE_SAVE_DELAY, self.flush_note)

    def flush_note(self) -> None:
        """Send the note for saving now if it has edits not yet sent."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        edited = self.unsaved_note()
        if edited is not None and self.editor is not None and edited.text != self._sent_note:
            self._sent_note = edited.text
            self.editor.show_state("editing", "saving…")
            self.post_message(edited)

    def unsaved_note(self) -> NoteEdited | None:
        """The editor's text if the store has not confirmed it yet (what quitting must save)."""
        if not isinstance(self.entry, Node) or self.editor is None:
            return None
        text = self.editor.text
        unchanged = text == visible_cell(self._stored_note)  # as loaded: control characters shown
        return None if unchanged else NoteEdited(self.entry, text, self._stored_note)

    def note_saved(self, node: Node, typed: str, stored: str, when: datetime) -> None:
        """The app saved ``typed`` for ``node``; ``stored`` is what the store now holds."""
        editor = self.editor
        if node is not self.entry or editor is None:
            return
        self._stored_note = stored
        stamp = when.astimezone().strftime("%H:%M:%S")
        if stored == typed:
            editor.show_state("saved", f"✔ saved {stamp}")
        elif editor.text == typed:  # another writer's text was kept below ours: show it
            self.replace_note(stored)
            editor.show_state("saved", f"✔ saved {stamp}; another writer's text kept below")

    def note_not_saved(self, node: Node, error: str) -> None:
        """Saving ``node``'s note failed: the text stays in the editor, marked unsaved."""
        if node is self.entry and self.editor is not None:
            self._sent_note = self._stored_note  # so that the next edit is sent again
            self.editor.show_state("unsaved", f"✘ not saved: {error}")
