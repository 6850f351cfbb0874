"""The middle pane: the selected roadmap's tabs (or its single tree) and the filter box."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import Input, TabbedContent, TabPane

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


class FilterBox(Input):
    """Type to filter the tree; ``escape`` clears, ``enter`` returns to the tree."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter"),
        Binding("down", "to_tree", "To tree", show=False),
    ]

    def action_clear_filter(self) -> None:
        self.value = ""
        self.display = False
        self.app.action_focus_tree()

    def action_to_tree(self) -> None:
        self.app.action_focus_tree()


class RoadmapBrowser(Vertical):
    """Holds the tabs of one roadmap at a time.

    Only the visible tab gets its tree at first; the others build theirs when
    first opened, so switching roadmaps and starting up stay quick.
    """

    def __init__(self, progress: ProgressIndex, roadmap: RoadmapIndex | None, **kwargs):
        super().__init__(**kwargs)
        self.progress = progress
        self.roadmap = roadmap

    def compose(self) -> ComposeResult:
        box = FilterBox(placeholder="Filter: type to match titles and ids", id="filter")
        box.display = False
        yield box
        if self.roadmap is not None:
            self.border_title = escape(self.roadmap.title)
            yield self._tabs(self.roadmap, "")

    def _tabs(self, roadmap: RoadmapIndex, filter_text: str) -> TabbedContent:
        tabs = TabbedContent()
        kinds = MASTER_TABS if roadmap.is_master else [("sections", "Sections")]
        for index, (kind, title) in enumerate(kinds):
            trees = [self._tree(roadmap, kind, filter_text)] if index == 0 else []
            tabs.compose_add_child(TabPane(title, *trees, id=f"tab-{kind}"))
        return tabs

    def _tree(self, roadmap: RoadmapIndex, kind: TreeKind, filter_text: str) -> RoadmapTree:
        return RoadmapTree(roadmap, kind, self.progress, filter_text, id=f"tree-{kind}")

    async def show_roadmap(self, roadmap: RoadmapIndex) -> None:
        """Replace the tabs with those of ``roadmap``."""
        if self.roadmap is roadmap:
            return
        self.roadmap = roadmap
        self.border_title = escape(roadmap.title)
        await self.query(TabbedContent).remove()
        await self.mount(self._tabs(roadmap, self.filter_text))

    async def tree_for(self, kind: TreeKind) -> RoadmapTree:
        """The tree of tab ``kind``, built now if the tab was never opened."""
        pane = self.query_one(f"#tab-{kind}", TabPane)
        existing = pane.query(RoadmapTree)
        if existing:
            return existing.first()
        assert self.roadmap is not None
        tree = self._tree(self.roadmap, kind, self.filter_text)
        await pane.mount(tree)
        return tree

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            await self.tree_for(event.pane.id.removeprefix("tab-"))  # type: ignore[arg-type]

    @property
    def filter_text(self) -> str:
        return self.query_one(FilterBox).value.strip().lower()

    def trees(self) -> list[RoadmapTree]:
        return list(self.query(RoadmapTree))

    def active_tree(self) -> RoadmapTree | None:
        """The tree in the visible tab."""
        tabs = self.query(TabbedContent)
        if not tabs:
            return None
        pane = tabs.first().active_pane
        trees = pane.query(RoadmapTree) if pane is not None else None
        return trees.first() if trees else None

    def open_filter(self) -> None:
        box = self.query_one(FilterBox)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        for tree in self.trees():
            tree.filter_text = self.filter_text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.app.action_focus_tree()

    async def reveal(self, target: Node | View) -> bool:
        """Switch to the tab that holds ``target`` and put the cursor on it."""
        kind = self._tab_of(target)
        tabs = self.query(TabbedContent)
        if tabs:
            tabs.first().active = f"tab-{kind}"
        tree = await self.tree_for(kind)
        tree.focus()
        if tree.select_entry(target):
            return True
        if tree.filter_text:  # hidden by the filter: clear it and try again
            self.query_one(FilterBox).action_clear_filter()
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
