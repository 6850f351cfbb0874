"""The middle pane: the selected roadmap's tabs, their trees and the filter box."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.markup import escape
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from tracker.catalog import Node, RoadmapIndex, View
from tracker.ui.widgets.roadmap_tree import RoadmapTree, TreeKind

if TYPE_CHECKING:
    from tracker.progress import ProgressIndex

MASTER_TABS: list[tuple[TreeKind, str]] = [
    ("sections", "Tiers"),
    ("projects", "Projects"),
    ("key-skills", "Key skills"),
    ("plan", "Plan"),
    ("careers", "Careers"),
]
SINGLE_TAB: list[tuple[TreeKind, str]] = [("sections", "Sections")]
TAB_GAP = "  "


class FilterBox(Input):
    """Type to filter the tree; ``escape`` clears, ``enter`` returns to the tree."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter"),
        Binding("down", "app.focus_tree", "To tree", show=False),
    ]

    async def action_clear_filter(self) -> None:
        self.value = ""
        self.display = False
        await self.run_action("app.focus_tree")


class TabBar(Widget):
    """The numbers and names of a roadmap's tabs; click one to open it.

    When the names need more than two lines only the open tab's name is shown.
    One line of text rather than a widget per tab keeps the screen quick to
    build. Keys ``1``-``5``, ``[`` and ``]`` are bound by the app.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-bar--active", "tab-bar--number"}

    active: reactive[TreeKind] = reactive("sections")

    class Chosen(Message):
        """A tab was clicked."""

        def __init__(self, kind: TreeKind):
            super().__init__()
            self.kind = kind

    def __init__(self, tabs: list[tuple[TreeKind, str]], **kwargs):
        super().__init__(**kwargs)
        self.tabs = tabs

    def _labels(self, compact: bool) -> list[Text]:
        """One label per tab: its number and title (``compact``: only the open tab's title)."""
        active = self.get_component_rich_style("tab-bar--active")
        number = self.get_component_rich_style("tab-bar--number")
        labels = []
        for index, (kind, title) in enumerate(self.tabs, start=1):
            click = Style.from_meta({"@click": f"choose({index - 1})"})
            label = Text(str(index), style=number + click)
            if kind == self.active or not compact:
                label.append(" ", style=click)
                label.append(title, style=(active if kind == self.active else Style()) + click)
            labels.append(label)
        return labels

    def _lines(self, width: int) -> list[Text]:
        """The labels packed into lines of ``width`` cells; compact if they would need more than two."""
        lines = self._packed(self._labels(compact=False), width)
        return lines if len(lines) <= 2 else self._packed(self._labels(compact=True), width)

    @staticmethod
    def _packed(labels: list[Text], width: int) -> list[Text]:
        lines: list[Text] = [Text()]
        for label in labels:
            line = lines[-1]
            if line and line.cell_len + len(TAB_GAP) + label.cell_len > width:
                lines.append(Text())
                line = lines[-1]
            if line:
                line.append(TAB_GAP)
            line.append_text(label)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Text:
        return Text("\n").join(self._lines(self.content_size.width or 80))

    def watch_active(self) -> None:
        self.refresh(layout=True)  # the open tab's name can take another line

    def action_choose(self, index: int) -> None:
        if index < len(self.tabs):  # a click can arrive just after the roadmap changed
            self.post_message(self.Chosen(self.tabs[index][0]))


class RoadmapBrowser(Vertical):
    """Holds one roadmap at a time: a tab bar (for a master roadmap) and a tree per tab.

    Only the open tab's tree is built at first; the others build theirs when
    first opened and keep their cursor and expanded branches after that.
    """

    def __init__(
        self,
        progress: ProgressIndex,
        notes: Mapping[str, str],
        roadmap: RoadmapIndex | None,
        kind: TreeKind = "sections",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.progress = progress
        self.notes = notes
        self.roadmap = roadmap
        self.kind: TreeKind = kind
        self.off_path: Callable[[Node], bool] = lambda node: False
        """Whether an item is "not on your path" (the trees dim it); set by the app."""
        self.month_notes: Mapping[str, str] = {}
        """Dates and state of each plan month, by month id (with a path); set by the app."""
        self.place: tuple[object, object] | None = None
        """The first tree's cursor and expanded branches, as remembered by the last session."""
        self.tab_bar = TabBar(SINGLE_TAB, id="tab-bar")
        self._trees: dict[TreeKind, RoadmapTree] = {}
        self._filter_text = ""

    def compose(self) -> ComposeResult:
        yield self.tab_bar
        if self.roadmap is not None:
            self._set_roadmap(self.roadmap, self.kind)
            tree = self._new_tree(self.kind)
            tree.place_to_restore = self.place
            yield tree
        else:
            self.tab_bar.display = False

    def _set_roadmap(self, roadmap: RoadmapIndex, kind: TreeKind = "sections") -> None:
        self.roadmap = roadmap
        self.kind = kind if roadmap.is_master or kind == "sections" else "sections"
        self.border_title = escape(roadmap.title)
        self.tab_bar.tabs = MASTER_TABS if roadmap.is_master else SINGLE_TAB
        self.tab_bar.display = roadmap.is_master
        self.tab_bar.active = self.kind
        self.tab_bar.refresh(layout=True)

    def _new_tree(self, kind: TreeKind) -> RoadmapTree:
        assert self.roadmap is not None
        tree = RoadmapTree(
            self.roadmap, kind, self.progress, self.notes, self._filter_text, id=f"tree-{kind}"
        )
        tree.off_path = self.off_path
        tree.month_notes = self.month_notes
        self._trees[kind] = tree
        return tree

    async def show_roadmap(self, roadmap: RoadmapIndex) -> None:
        """Replace the trees with the first tab of ``roadmap``."""
        if self.roadmap is roadmap:
            return
        trees = list(self._trees.values())
        self._trees.clear()
        self._set_roadmap(roadmap)
        await self.remove_children(trees)
        await self.mount(self._new_tree(self.kind))

    async def show_tab(self, kind: TreeKind) -> RoadmapTree:
        """Open tab ``kind``, building its tree the first time."""
        tree = self._trees.get(kind)
        if tree is None:
            tree = self._new_tree(kind)
            await self.mount(tree)
        for other in self._trees.values():
            other.display = other is tree
        self.kind = kind
        self.tab_bar.active = kind
        self._say_if_nothing_matches()
        return tree

    def tab_kinds(self) -> list[TreeKind]:
        """The tabs the open roadmap has, in order."""
        return [kind for kind, _ in self.tab_bar.tabs]

    async def on_tab_bar_chosen(self, message: TabBar.Chosen) -> None:
        message.stop()
        tree = await self.show_tab(message.kind)
        tree.focus()

    @property
    def filter_text(self) -> str:
        return self._filter_text

    def trees(self) -> list[RoadmapTree]:
        return list(self._trees.values())

    def active_tree(self) -> RoadmapTree | None:
        """The tree of the open tab."""
        return self._trees.get(self.kind)

    async def open_filter(self) -> None:
        """Show the filter box (built on first use) and focus it."""
        boxes = self.query(FilterBox)
        if boxes:
            box = boxes.first()
        else:
            box = FilterBox(
                placeholder="Filter: words, and doing: done: todo: skipped: (? for more)", id="filter"
            )
            await self.mount(box, after=self.tab_bar)
            await self.mount(Static(id="no-matches"), after=box)
        box.display = True
        box.focus()

    def clear_filter(self) -> None:
        """Empty and hide the filter box, if there is one."""
        for box in self.query(FilterBox):
            box.value = ""
            box.display = False

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter_text = event.value.strip()
        for tree in self.trees():
            tree.filter_text = self._filter_text
        self._say_if_nothing_matches()

    def _say_if_nothing_matches(self) -> None:
        """An empty tree under a filter says so, rather than looking like an empty roadmap."""
        tree = self.active_tree()
        empty = bool(self._filter_text) and tree is not None and not tree.has_matches
        for notice in self.query("#no-matches").results(Static):
            notice.update(
                Content.from_markup("No item matches [b]$text[/b] · esc clears", text=self._filter_text)
            )
            notice.display = empty

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.run_action("app.focus_tree")

    async def reveal(self, target: Node | View) -> bool:
        """Switch to the tab that holds ``target`` and put the cursor on it."""
        tree = await self.show_tab(self._tab_of(target))
        tree.focus()
        if tree.select_entry(target):
            return True
        if tree.filter_text:  # hidden by the filter: clear it and try again
            self.clear_filter()
            tree.filter_text = ""
            return tree.select_entry(target)
        return False

    def _tab_of(self, target: Node | View) -> TreeKind:
        if isinstance(target, Node):
            return "projects" if target.path()[0].kind == "project" else "sections"
        roadmap = self.roadmap
        if roadmap is not None and target in roadmap.key_skills:
            return "key-skills"
        if roadmap is not None and target in roadmap.careers:
            return "careers"
        return "plan"
