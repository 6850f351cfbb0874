"""The Roadmap Tracker app: three panes, a header with overall progress, a footer of keys.

The app owns the store (through :class:`StoreGateway`) and the progress index.
Widgets post messages up; the app routes writes to its :class:`Keeper`
(which re-reads the true stored state and redraws what changed) and the guide
to its :class:`Guiding`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Header, Input

from tracker import actions
from tracker.catalog import Catalog, Node, View
from tracker.locations import styles_dir
from tracker.progress import ProgressIndex, counts_text, percent_text
from tracker.store import Clock, Store, StoreError, utc_now
from tracker.ui.commands import ItemsProvider
from tracker.ui.guiding import Guiding
from tracker.ui.keeping import Keeper
from tracker.ui.messages import JumpRequested, LinkOpened, NodeHighlighted, NoteEdited, StatusRequested
from tracker.ui.storage import StoreGateway
from tracker.ui.syncing import Syncing
from tracker.ui.widgets.browser import MASTER_TABS, FilterBox, RoadmapBrowser
from tracker.ui.widgets.detail import DetailPane
from tracker.ui.widgets.footer import KeysFooter
from tracker.ui.widgets.roadmap_list import RoadmapList
from tracker.ui.widgets.roadmap_tree import TREE_KINDS, RoadmapTree, TreeKind
from tracker.untrusted import one_line, visible

NARROW_WIDTH = 100
"""Columns below which the roadmap list folds away to give the tree room."""
WATCH_SECONDS = 1.0
"""How often the app asks whether another writer changed the database (a cheap pragma)."""
CLOSING_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


PLACE_SETTING = "place"


def _read_place(text: str | None) -> dict[str, object]:
    """The remembered place (see ``TrackerApp._remember_place``); nothing when unreadable."""
    try:
        place = json.loads(text or "{}")
    except ValueError:
        return {}
    return place if isinstance(place, dict) else {}


def _opening_notices(store: Store) -> list[tuple[str, SeverityLevel]]:
    """What to say about the database as the app opens: new (a mistyped path?), or read-only."""
    notices: list[tuple[str, SeverityLevel]] = []
    if store.created:
        notices.append((f"Started a new, empty database at {store.path}", "information"))
    if store.read_only:
        notices.append((f"{store.path} can only be read here: changes will not be saved", "warning"))
    return notices


def open_in_browser(url: str) -> bool:
    """Open ``url`` in a graphical browser; ``False`` where there is none.

    On Linux without a display (over SSH, on a console) a browser would be a
    text one that fights the app for the terminal, so none is tried.
    """
    import webbrowser

    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


class TrackerApp(App[None]):
    """Walk roadmaps, tick skills, keep notes."""

    TITLE = "Roadmap Tracker"
    AUTO_FOCUS = "RoadmapTree"  # the tree has focus from the first frame
    CSS_PATH: ClassVar = [styles_dir() / "app.tcss"]
    COMMANDS: ClassVar = App.COMMANDS | {ItemsProvider}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="Quit (everything is already saved)"),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="Show every key"),
        Binding("slash", "filter", "Filter", key_display="/", tooltip="Filter the tree as you type"),
        Binding("n", "edit_note", "Note", tooltip="Edit the note of the selected item"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change (again for the one before)"),
        Binding("e", "export", "Export", tooltip="Export a progress report"),
        Binding("t", "today", "Today", tooltip="Today: your path, what to learn next, your pace"),
        Binding("o", "open_link", "Open link", show=False, tooltip="Open the first resource link"),
        *[
            Binding(
                str(number), f"show_tab({number - 1})", title, show=False, tooltip=f"Open the {title} tab"
            )
            for number, (_, title) in enumerate(MASTER_TABS, start=1)
        ],
        Binding(
            "b", "toggle_roadmaps", "Roadmaps", tooltip="Show or hide the list of roadmaps (narrow screens)"
        ),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", show=False, key_display="]"),
        Binding("left_square_bracket", "cycle_tab(-1)", "Previous tab", show=False, key_display="["),
        Binding(
            "R",
            "reset_roadmap",
            "Reset roadmap",
            show=False,
            tooltip="Reset this roadmap's progress (asks first)",
        ),
    ]

    def __init__(self, catalog: Catalog, store: Store, clock: Clock = utc_now):
        super().__init__()
        self.open_in_browser: Callable[[str], bool] = open_in_browser
        """Opens a URL, saying whether a browser took it (tests replace it)."""
        self.catalog = catalog
        self.clock = clock
        self.gateway = StoreGateway(store)
        self.keeper = Keeper(self, store)
        self.syncing = Syncing(self)
        self._opening_notices = _opening_notices(store)
        records = store.records()
        self.notes = {key: record.note for key, record in records.items() if record.note}
        self.progress = ProgressIndex(catalog, {k: r.status for k, r in records.items()})
        saved_theme = store.setting("theme")
        if saved_theme in self.available_themes:
            self.theme = saved_theme
        self._theme_ready = True
        self._place = _read_place(store.setting(PLACE_SETTING))
        first = catalog.roadmaps.get(str(self._place.get("roadmap")))
        first = first or next(iter(catalog.roadmaps.values()), None)
        kind: TreeKind = next((k for k in TREE_KINDS if k == self._place.get("tab")), "sections")
        self.browser = RoadmapBrowser(self.progress, self.notes, first, kind, id="browser")
        if self._place:
            self.browser.place = (self._place.get("cursor"), self._place.get("expanded"))
        self.detail = DetailPane(catalog, self.progress, id="detail")
        """The panes are kept at hand: they are needed while a dialog covers them and while closing."""
        self.guiding = Guiding(self, store)
        self.browser.off_path = self.guiding.is_off_path
        self.detail.off_path = self.browser.off_path
        self.browser.month_notes = self.guiding.month_notes

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._fit_width(self.size.width)  # before the panes exist: a class set later restyles them all
        if not self.guiding.opens_on_today:
            yield from self._panes()  # else they come after Today's first frame (see on_ready)

    def _panes(self) -> Iterable[Widget]:
        yield Header(icon="◆")
        current = self.browser.roadmap.id if self.browser.roadmap else None
        yield RoadmapList(self.catalog, self.progress, current, id="roadmaps")
        yield self.browser
        yield self.detail
        yield KeysFooter()

    def on_mount(self) -> None:
        self.update_header()
        if not self.catalog.roadmaps:
            self.notify("No roadmap could be loaded; see the problems listed", severity="error")
        for message, severity in self._opening_notices:
            self.notify(message, title="Database", severity=severity, timeout=10)
        if self.detail.is_attached:
            self._set_up_panes()
        self.guiding.open_first_screen()

    async def _mount_panes(self) -> None:
        self.guiding.read_path()  # the trees dim what is off it
        await self.screen_stack[0].mount_all(self._panes())
        self._set_up_panes()

    def _set_up_panes(self) -> None:
        self.query_one(RoadmapList).border_title = "Roadmaps"
        self.detail.border_title = "Detail"
        tree = self.browser.active_tree()
        if tree is not None:
            self._show_detail(tree.cursor_entry)

    def on_ready(self) -> None:
        if not self.detail.is_attached:  # Today is up: the roadmaps are built behind it, once shown
            self.call_after_refresh(self._mount_panes)
        if not gc.isenabled():  # paused by `tracker` while the first screen was built
            gc.freeze()
            gc.enable()
        loop = asyncio.get_running_loop()
        for signal_number in CLOSING_SIGNALS:
            loop.add_signal_handler(signal_number, self._close_on_signal)
        self.set_interval(WATCH_SECONDS, self.keeper.watch)
        self.syncing.start()

    def update_header(self) -> None:
        """Overall progress, and when the app last synced (with a sync file set; below
        :data:`NARROW_WIDTH` columns that takes the counts' place)."""
        overall = self.progress.overall()
        synced = self.syncing.header_text()
        counts = "" if synced and self.has_class("-narrow") else f" · {counts_text(overall)}"
        self.sub_title = f"{percent_text(overall)} overall{counts}{synced}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer (in the footer, the help and to the keys) only what does something here."""
        if action not in MAIN_SCREEN_ACTIONS:
            return True
        typing = isinstance(self.focused, Input) or self.focused is self.detail.editor
        if isinstance(self.screen, ModalScreen) or typing:
            return False  # a dialog is open, or the keys are being typed as text
        if self.screen is not self.screen_stack[0]:
            return action in OVER_TODAY  # the Today view has keys of its own
        if action == "toggle_roadmaps":
            return self.has_class("-narrow")
        if action in ("show_tab", "cycle_tab"):
            tabs = len(self.browser.tab_kinds())
            return tabs > 1 and (action == "cycle_tab" or int(str(parameters[0])) < tabs)
        if action == "edit_note":
            return isinstance(self.detail.entry, Node)
        if action == "open_link":
            return self.detail.first_url is not None
        if action == "reset_roadmap":
            return self.browser.roadmap is not None
        return True

    def action_today(self) -> None:
        self.guiding.today()

    def action_browse(self) -> None:
        self.guiding.browse()

    def action_choose_path(self) -> None:
        self.guiding.choose_path()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_width(event.size.width)

    def _fit_width(self, width: int) -> None:
        """Below :data:`NARROW_WIDTH` columns the roadmap list folds away (``b`` shows it)."""
        narrow = width < NARROW_WIDTH
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.remove_class("-show-roadmaps")
            self.refresh_bindings()
            self.update_header()

    def action_toggle_roadmaps(self) -> None:
        shown = not self.has_class("-show-roadmaps")
        self.set_class(shown, "-show-roadmaps")
        if shown:
            self.query_one(RoadmapList).focus()
        else:
            self.action_focus_tree()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.has_class("-show-roadmaps") and not isinstance(event.widget, RoadmapList):
            self.remove_class("-show-roadmaps")  # a roadmap was chosen: the list folds away again

    # -- moving around ---------------------------------------------------------------------

    async def on_roadmap_list_chosen(self, message: RoadmapList.Chosen) -> None:
        roadmap = self.catalog.roadmaps[message.roadmap_id]
        await self.browser.show_roadmap(roadmap)
        if isinstance(self.focused, RoadmapList):  # browsing the list: say what the roadmap is for
            self._show_detail(roadmap.overview())

    async def open_roadmap(self, roadmap_id: str) -> None:
        """Show a roadmap (at start, from the palette or a link) and focus its tree."""
        self.query_one(RoadmapList).select_roadmap(roadmap_id)
        await self.browser.show_roadmap(self.catalog.roadmaps[roadmap_id])
        self.call_after_refresh(self.action_focus_tree)

    async def jump_to(self, target: Node | View, roadmap_id: str | None = None) -> None:
        """Show an item, month, key skill or career in its roadmap, whichever is open now."""
        roadmap_id = roadmap_id or (target.roadmap_id if isinstance(target, Node) else None)
        if roadmap_id is None:
            return
        await self.open_roadmap(roadmap_id)
        await self.browser.reveal(target)

    async def on_jump_requested(self, message: JumpRequested) -> None:
        self.guiding.browse()  # from Today: to the item in its tree
        await self.jump_to(message.target, message.roadmap_id)

    def on_node_highlighted(self, message: NodeHighlighted) -> None:
        if not self.query(DetailPane):  # the screen is gone (quitting)
            return
        if isinstance(self.focused, RoadmapList):
            return  # browsing the list: the detail says what the highlighted roadmap is
        if message.tree is self.browser.active_tree():  # not a hidden tab's tree being filtered
            self._show_detail(message.node)

    def _show_detail(self, entry: Node | View | None) -> None:
        note = self.notes.get(entry.key, "") if isinstance(entry, Node) else ""
        roadmap_id = self.browser.roadmap.id if self.browser.roadmap else ""
        self.detail.show(entry, roadmap_id, note)
        self.refresh_bindings()  # `n` and `o` depend on what is shown

    def action_focus_tree(self) -> None:
        tree = self.browser.active_tree()
        if tree is not None:
            tree.focus()

    async def action_filter(self) -> None:
        await self.browser.open_filter()

    async def action_show_tab(self, index: int) -> None:
        """Open tab ``index`` (from 0) of the open roadmap and focus its tree."""
        kinds = self.browser.tab_kinds()
        if 0 <= index < len(kinds):
            tree = await self.browser.show_tab(kinds[index])
            tree.focus()
        else:
            self.bell()

    async def action_cycle_tab(self, step: int) -> None:
        """Open the next (``step`` 1) or previous (-1) tab of the open roadmap."""
        kinds = self.browser.tab_kinds()
        await self.action_show_tab((kinds.index(self.browser.kind) + step) % len(kinds))

    async def action_edit_note(self) -> None:
        if not await self.detail.edit_note():
            self.notify("Select an item to write a note about it", severity="warning", timeout=3)

    def action_note_history(self) -> None:
        """Show the earlier versions of the note of the item in the detail pane."""
        from tracker.ui.screens.note_history import NoteHistoryScreen

        entry = self.detail.entry
        if not isinstance(entry, Node):
            self.notify("Choose an item first: its note's earlier versions are shown", severity="warning")
            return

        async def run() -> None:
            try:
                versions = await self.gateway.call(Store.note_versions, entry.key)
            except StoreError as error:
                self.notify(str(error), title="Cannot read the history", severity="error")
                return
            self.push_screen(NoteHistoryScreen(entry.title, versions))

        self.run_worker(run(), group="store")

    def action_open_link(self) -> None:
        url = self.detail.first_url
        if url is None:
            self.notify("This item has no resource link", severity="warning", timeout=3)
            return
        self.open_link(url)

    def on_link_opened(self, message: LinkOpened) -> None:
        self.open_link(message.url)

    def open_link(self, url: str) -> None:
        """Open ``url`` in a browser; where none opens, copy it to the clipboard and say so."""

        async def run() -> None:
            if await asyncio.to_thread(self.open_in_browser, url):
                self.notify(url, title="Opened in your browser", timeout=3)
                return
            self.copy_to_clipboard(url)
            self.notify(
                f"No browser could be opened from this terminal; the link is on the clipboard:\n{url}",
                title="Link copied",
                severity="warning",
                timeout=10,
            )

        self.run_worker(run(), group="browser")

    def action_help(self) -> None:
        from tracker.ui.screens.help import HelpScreen
        from tracker.ui.widgets.note import NoteEditor

        groups: list[tuple[str, list[BindingType]]] = [
            (
                "Everywhere",
                [
                    Binding("tab", "", "Next pane"),
                    Binding("shift+tab", "", "Previous pane"),
                    Binding("ctrl+p", "", "Command palette: jump to any item, run actions"),
                    *self.BINDINGS,
                ],
            ),
            (
                "Roadmap tree",
                [
                    *RoadmapTree.BINDINGS,
                    Binding("enter", "", "Expand or collapse"),
                ],
            ),
            ("Roadmap list", [*RoadmapList.BINDINGS, Binding("enter", "", "Go to its tree")]),
            ("Filter box", FilterBox.BINDINGS),
            ("Links and resources", [Binding("enter", "", "Follow the link")]),
            ("Note editor", NoteEditor.BINDINGS),
        ]
        self.push_screen(HelpScreen(groups, self.get_key_display, self._unavailable_actions()))

    def _unavailable_actions(self) -> set[str]:
        """The app's and the tree's actions that do nothing where the cursor is (help dims them)."""
        from textual.actions import parse

        tree = self.browser.active_tree()
        owners: list[tuple[App | RoadmapTree, list[BindingType]]] = [(self, self.BINDINGS)]
        if tree is not None:
            owners.append((tree, RoadmapTree.BINDINGS))
        off = set()
        for owner, bindings in owners:
            for binding in bindings:
                if isinstance(binding, Binding):
                    _, name, parameters = parse(binding.action)
                    if owner.check_action(name, parameters) is False:
                        off.add(binding.action)
        return off

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Undo", "Undo the last change", self.action_undo)
        yield SystemCommand("Export", "Export a progress report", self.action_export)
        yield SystemCommand("Filter", "Filter the roadmap tree", self.action_filter)
        yield SystemCommand("Help", "Show every key", self.action_help)
        yield SystemCommand("Today", "Your path, what to learn next, your pace", self.action_today)
        yield SystemCommand(
            "Choose your path", "Language, framework, start date and pace", self.action_choose_path
        )
        yield SystemCommand("Replan from today", "Date the months left from today", self.guiding.replan)
        yield SystemCommand("Sync now", "Merge your progress with the sync file", self.syncing.sync_now)
        yield SystemCommand(
            "Earlier versions of this note", "What the note said before", self.action_note_history
        )
        yield SystemCommand(
            "Reset roadmap", "Reset the progress of the open roadmap", self.action_reset_roadmap
        )

    # -- changing progress -----------------------------------------------------------------

    def on_status_requested(self, message: StatusRequested) -> None:
        node = message.node
        status = message.status
        if status is None:
            status = "todo" if self.progress.status(node) == "done" else "done"
        keys = [leaf.key for leaf in node.leaves()]
        self.keeper.write(keys, actions.mark, node, status, tell=status if node.children else None)

    def on_note_edited(self, message: NoteEdited) -> None:
        self.keeper.save_note(message)

    def action_undo(self) -> None:
        self.run_worker(self.keeper.undo(), group="store")

    def action_reset_roadmap(self) -> None:
        from tracker.ui.screens.confirm import ConfirmScreen

        roadmap = self.browser.roadmap
        if roadmap is None:
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.keeper.write(
                    sorted(roadmap.keys), actions.reset_roadmap, self.catalog, roadmap.id, tell="todo"
                )

        question = Content.from_markup(
            "Reset all progress in [b]$title[/b]?\n\n"
            "Every item goes back to todo (shared skills too). Notes are kept, and [b]u[/b] undoes it.",
            title=roadmap.title,
        )
        self.push_screen(ConfirmScreen(question, "Reset"), answered)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification of plain text: paths, titles and errors are never read as markup.

        Widgets' ``notify`` calls come here too; their ``markup`` is ignored.
        """
        super().notify(
            visible(message), title=one_line(title), severity=severity, timeout=timeout, markup=False
        )

    # -- other writers, the file, and closing ----------------------------------------------

    def exit(self, *args, **kwargs) -> None:
        """Every way of closing comes through here: a typed note is saved first, then the place,
        then the sync file gets it all (a failure is said after the app closes)."""
        self.keeper.save_unsaved_note()
        self._remember_place()
        failure = self.syncing.sync_on_quit()
        if failure is not None:
            kwargs["message"] = Text(failure)
        super().exit(*args, **kwargs)

    def _remember_place(self) -> None:
        """The open roadmap, tab, cursor and expanded branches, for the next start."""
        tree = self.browser.active_tree()
        if tree is None or self.browser.roadmap is None:
            return
        place = {"roadmap": self.browser.roadmap.id, "tab": self.browser.kind, **tree.place()}
        try:
            self.gateway.call_now(Store.set_setting, PLACE_SETTING, json.dumps(place))
        except StoreError:
            pass  # a read-only or full disk: the place is a convenience, the progress is safe

    def _close_on_signal(self) -> None:
        """SIGTERM, SIGHUP (the terminal closed) or SIGINT: close as ``q`` does."""
        self.exit(return_code=1)

    # -- export and theme ------------------------------------------------------------------

    def action_export(self) -> None:
        from tracker.ui.screens.export import ExportScreen

        roadmap = self.browser.roadmap
        self.push_screen(
            ExportScreen(self.catalog, roadmap.id if roadmap else None, self.export, self.clock())
        )

    async def export(self, fmt: str, roadmap_id: str | None, path: Path) -> str:
        """Write a report through the headless reports module, on the store thread."""
        from tracker.reports import export_report

        def run(store: Store) -> str:
            return str(export_report(fmt, self.catalog, store, path, roadmap_id, self.clock()))

        return await self.gateway.call(run)

    def watch_theme(self, theme: str) -> None:
        if getattr(self, "_theme_ready", False):  # not for the theme restored at start
            self.run_worker(self._remember_theme(theme), group="store")

    async def _remember_theme(self, theme: str) -> None:
        try:
            await self.gateway.call(Store.set_setting, "theme", theme)
        except StoreError as error:
            self.notify(str(error), title="Theme not remembered", severity="warning")

    async def action_quit(self) -> None:
        self.exit()

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for signal_number in CLOSING_SIGNALS:
            loop.remove_signal_handler(signal_number)
        self.gateway.close()


MAIN_SCREEN_ACTIONS = frozenset(
    binding.action.partition("(")[0]
    for binding in TrackerApp.BINDINGS
    if isinstance(binding, Binding) and binding.action != "quit"
)
"""The app's own keys, which act on the main screen (not in a dialog, not while typing)."""

OVER_TODAY = frozenset({"today", "help", "undo", "export"})
"""The app's own keys that also act while the Today view is shown (the others need the panes)."""


def make_app(catalog: Catalog, store: Store, clock: Clock = utc_now) -> TrackerApp:
    """Build the app; the CLI and the tests both come through here."""
    return TrackerApp(catalog, store, clock)
