"""The detail pane: what an item is, where to read about it, what it links to, your note."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tracker.catalog import Node, View
from tracker.ui.messages import JumpRequested, NoteEdited
from tracker.ui.widgets.roadmap_tree import MARK_STYLES, MARKS

if TYPE_CHECKING:
    from tracker.catalog import Catalog
    from tracker.progress import ProgressIndex

NOTE_SAVE_DELAY = 0.6
"""Seconds of quiet typing before a note is saved."""


class NoteEditor(TextArea):
    """The note of the shown item; ``escape`` hands focus back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Done editing", tooltip="Back to the tree"),
    ]

    def action_leave(self) -> None:
        self.app.action_focus_tree()


class LinkList(OptionList):
    """Cross links or resources; ``enter`` follows one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class DetailPane(VerticalScroll):
    """Shows one item (or a month, key skill or career) of the current roadmap."""

    def __init__(self, catalog: Catalog, progress: ProgressIndex, **kwargs):
        super().__init__(**kwargs)
        self.catalog = catalog
        self.progress = progress
        self.entry: Node | View | None = None
        self._loaded_note = ""
        self._timer = None
        self._link_targets: list[Node | View] = []
        self._roadmap_id = ""
        self._shown_status = Text()
        self._urls: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        yield Static(id="detail-meta")
        yield Static(id="detail-description")
        yield Label("Resources  [dim](o opens the first)[/]", id="resources-label", classes="heading")
        yield LinkList(id="resources")
        yield Label("Links", id="links-label", classes="heading")
        yield LinkList(id="links")
        yield Label("Notes  [dim](n to edit)[/]", classes="heading")
        yield NoteEditor(id="note", soft_wrap=True, show_line_numbers=False)
        yield Static(id="note-state")

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
        self.query_one(NoteEditor).disabled = not isinstance(entry, Node)
        self.query_one("#note-state", Static).update("")
        title = Text(entry.title, style="bold") if entry else Text("Nothing selected", style="dim")
        self.query_one("#detail-title", Static).update(title)
        self._link_targets = []
        self.refresh_status()
        self._fill_description()
        self._fill_resources()
        self._fill_links()

    def replace_note(self, note: str) -> None:
        """Show ``note`` as the stored note (after an undo changed it)."""
        self._loaded_note = note
        editor = self.query_one(NoteEditor)
        with editor.prevent(TextArea.Changed):
            editor.load_text(note)

    def refresh_status(self) -> None:
        """Redraw the status line and the marks of the links (after a change of progress)."""
        entry = self.entry
        line = self._status_line(entry) if entry is not None else Text()
        if line != self._shown_status:
            same_size = len(line.plain) == len(self._shown_status.plain)
            self._shown_status = line
            self.query_one("#detail-meta", Static).update(line, layout=not same_size)
        if self._link_targets:
            self._fill_links()

    def _status_line(self, entry: Node | View) -> Text:
        line = Text()
        if isinstance(entry, Node):
            status = self.progress.status(entry)
            line.append(f"{MARKS[status]} {status}", style=MARK_STYLES[status] or "bold")
            counts = self.progress.counts(entry)
            if entry.children:
                line.append(f"  ·  {counts.percent:.0f}% of {counts.total} items")
            where = " › ".join(n.title for n in entry.path()[:-1])
            roadmap = self.catalog.roadmaps[entry.roadmap_id].title
            line.append(f"\n{roadmap}{' › ' + where if where else ''}", style="dim")
            if entry.level:
                line.append(f"\n{entry.level.capitalize()} project", style="dim")
            if entry.skill:
                shared = self.catalog.nodes_with_key(entry.key)
                others = {n.roadmap_id for n in shared} - {entry.roadmap_id}
                line.append(
                    f"\nShared skill '{entry.skill}'"
                    + (f": also in {len(others)} other roadmap(s)" if others else ""),
                    style="dim",
                )
        else:
            counts = self.progress.of_nodes(entry.nodes)
            line.append(f"{counts.percent:.0f}% done", style="bold")
            line.append(f"  ·  {counts.done} of {counts.total - counts.skipped} items")
        return line

    def _fill_description(self) -> None:
        entry = self.entry
        text = entry.description if entry is not None else None
        self.query_one("#detail-description", Static).update(Text(text or ""))

    def _fill_resources(self) -> None:
        resources = self.entry.resources if isinstance(self.entry, Node) else ()
        listing = self.query_one("#resources", LinkList)
        listing.clear_options()
        self._urls = [r.url for r in resources]
        listing.add_options(Option(Text.assemble(r.title, ("\n" + r.url, "dim"))) for r in resources)
        listing.display = bool(resources)
        self.query_one("#resources-label").display = bool(resources)

    def _fill_links(self) -> None:
        links = self._links()
        listing = self.query_one("#links", LinkList)
        listing.clear_options()
        self._link_targets = [target for _, target in links]
        for heading, target in links:
            if isinstance(target, Node):
                status = self.progress.status(target)
                prompt = Text.assemble((f"{MARKS[status]} ", MARK_STYLES[status]), target.title)
            else:
                percent = self.progress.of_nodes(target.nodes).percent
                prompt = Text.assemble((f"{percent:3.0f}% ", "dim"), target.title)
            prompt.append(f"  {heading}", style="dim italic")
            listing.add_option(Option(prompt))
        listing.display = bool(links)
        self.query_one("#links-label").display = bool(links)

    def _links(self) -> list[tuple[str, Node | View]]:
        """Cross links of the shown entry, each with a word on how it relates."""
        entry = self.entry
        if isinstance(entry, View):
            return [("", node) for node in entry.nodes]
        if not isinstance(entry, Node):
            return []
        roadmap = self.catalog.roadmaps[entry.roadmap_id]
        links: list[tuple[str, Node | View]] = []
        if entry.kind == "project":
            links += [("exercises", roadmap.nodes[i]) for i in entry.exercises]
        else:
            links += [("project", p) for p in roadmap.projects_using(entry)]
        if entry.skill:
            links += [
                (f"in {self.catalog.roadmaps[n.roadmap_id].title}", n)
                for n in self.catalog.nodes_with_key(entry.key)
                if n is not entry
            ]
        above = {id(n) for n in entry.path()}
        for month in roadmap.plan:
            if any(id(n) in above for n in month.nodes):
                links.append(("in the plan", month))
        return links

    # -- following links -------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "links":
            roadmap_id = self.entry.roadmap_id if isinstance(self.entry, Node) else self._roadmap_id
            self.post_message(JumpRequested(self._link_targets[event.option_index], roadmap_id))
        else:
            self.app.open_url(self._urls[event.option_index])

    @property
    def first_url(self) -> str | None:
        return self._urls[0] if self._urls else None

    # -- notes -----------------------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self.query_one("#note-state", Static).update(Text("● editing", style="yellow"))
        self._timer = self.set_timer(NOTE_SAVE_DELAY, self.flush_note)

    def flush_note(self) -> None:
        """Send the note for saving now if it has unsaved edits."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not isinstance(self.entry, Node):
            return
        text = self.query_one(NoteEditor).text
        if text != self._loaded_note:
            self._loaded_note = text
            self.query_one("#note-state", Static).update(Text("saving…", style="yellow"))
            self.post_message(NoteEdited(self.entry, text))

    def note_saved(self, node: Node, when: datetime | None, error: str | None = None) -> None:
        """The app reports how saving ``node``'s note went."""
        if node is not self.entry:
            return
        state = self.query_one("#note-state", Static)
        if error:
            state.update(Text(f"✘ not saved: {error}", style="red"))
        else:
            stamp = when.astimezone().strftime("%H:%M:%S") if when else ""
            state.update(Text(f"✔ saved {stamp}", style="green"))
