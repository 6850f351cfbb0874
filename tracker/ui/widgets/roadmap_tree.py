"""The roadmap as an expandable tree, with status marks and percent per branch."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar, Literal, get_args

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tracker.catalog import Node, RoadmapIndex, View
from tracker.progress import percent_text
from tracker.query import Query, parse_query
from tracker.ui.messages import NodeHighlighted, StatusRequested

if TYPE_CHECKING:
    from tracker.progress import Counts, ProgressIndex

TreeKind = Literal["sections", "projects", "plan", "key-skills", "careers"]
TREE_KINDS: tuple[TreeKind, ...] = get_args(TreeKind)
Entry = Node | View
"""What a tree line shows: an item, or a named group of items (a month, a project level...)."""

MARKS = {"done": "✔", "doing": "◐", "skipped": "⊘", "todo": "○"}
STATUS_CLASSES = {f"status--{status}" for status in MARKS}
"""Component classes that colour a status mark (in the TCSS, from the theme)."""


def status_style(widget: Widget, status: str) -> Style:
    """The theme's style for a ``status`` mark, from ``widget``'s component classes."""
    return component_style(widget, f"status--{status}")


def component_style(widget: Widget, name: str) -> Style:
    """``widget``'s style for component class ``name``; none while it is not styled yet.

    A tree measures its lines (drawing their labels) as soon as it is built,
    before its stylesheet applies.
    """
    try:
        return widget.get_component_rich_style(name, partial=True)
    except KeyError:  # not styled yet
        return Style()


class RoadmapTree(Tree[Entry]):
    """One tab of a roadmap: sections, projects by level, the plan, key skills or careers.

    Children are added when a branch is first expanded, so a roadmap of ten
    thousand items opens as fast as a small one.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | STATUS_CLASSES | {"roadmap-tree--muted"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "set_status(None)", "Done", tooltip="Toggle done"),
        Binding("d", "set_status('doing')", "Doing", tooltip="Mark in progress"),
        Binding("s", "set_status('skipped')", "Skip", tooltip="Mark skipped"),
        Binding("r", "set_status('todo')", "Reset", show=False, tooltip="Back to todo"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("h,left", "collapse_or_parent", "Collapse", show=False),
        Binding("l,right", "expand_or_child", "Expand", show=False),
    ]

    filter_text: reactive[str] = reactive("", init=False)
    """What the tree is filtered by (see :mod:`tracker.query`); empty shows everything."""

    def __init__(
        self,
        roadmap: RoadmapIndex,
        kind: TreeKind,
        progress: ProgressIndex,
        notes: Mapping[str, str],
        filter_text: str = "",
        **kwargs,
    ):
        super().__init__(Text(roadmap.title), **kwargs)  # a title is never markup
        self.set_reactive(RoadmapTree.filter_text, filter_text)
        self._query = parse_query(filter_text)
        self.roadmap = roadmap
        self.kind = kind
        self.progress = progress
        self.notes = notes
        """The stored notes by key (the app's, kept current): the filter searches them too."""
        self.show_root = False
        self.guide_depth = 3
        self._shown: dict[int, list[TreeNode[Entry]]] = {}
        self._populated: set[int] = set()
        self.off_path: Callable[[Node], bool] = lambda node: False
        """Whether an item is "not on your path": dimmed, still tickable."""
        self.month_notes: Mapping[str, str] = {}
        """Dates and state of each plan month by id, shown after its title."""
        self.place_to_restore: tuple[object, object] | None = None
        """Cursor and expanded ids to open at (see :meth:`place`), once mounted."""
        self._place: tuple[Entry | None, list[Entry]] | None = None
        """Where the cursor was and what was expanded before filtering, to go back to."""
        self.rebuild()

    @property
    def has_matches(self) -> bool:
        """Whether anything is shown (a filter can match nothing)."""
        return bool(self.root.children)

    # -- building --------------------------------------------------------------------------

    def top_entries(self) -> list[Entry]:
        """What the first level of this tab lists."""
        r = self.roadmap
        if self.kind == "sections":
            return list(r.sections)
        views = {
            "projects": r.project_levels,
            "plan": r.plan,
            "key-skills": r.key_skills,
            "careers": r.careers,
        }
        return list(views[self.kind])

    @staticmethod
    def children_of(entry: Entry | None) -> list[Entry]:
        """What a line holds; the hidden root line (``None``) holds nothing of its own."""
        if isinstance(entry, Node):
            return list(entry.children)
        return list(entry.nodes) if entry is not None else []

    def rebuild(self, keep_cursor: bool = True) -> None:
        """Fill the tree from scratch (for the current filter), keeping the cursor's entry."""
        cursor_entry = self.cursor_node.data if keep_cursor and self.cursor_node else None
        self.clear()
        self._shown.clear()
        self._populated.clear()
        if self._query:
            keep = self._matcher(self._query)
            for entry in self.top_entries():
                if keep(entry):
                    self._add_filtered(self.root, entry, keep)
        else:
            for index, entry in enumerate(self.top_entries()):
                self._add(self.root, entry, expand=index == 0)
        self.root.expand()
        if cursor_entry is not None:
            self.call_after_refresh(self.select_entry, cursor_entry)
        else:
            self.cursor_line = 0

    def _add(self, parent: TreeNode[Entry], entry: Entry, expand: bool = False) -> TreeNode[Entry]:
        has_children = bool(self.children_of(entry))
        tree_node = parent.add(Text(entry.title), entry, allow_expand=has_children)  # not markup
        self._shown.setdefault(id(entry), []).append(tree_node)
        if expand and has_children:
            self._populate(tree_node)
            tree_node.expand()
        return tree_node

    def _populate(self, tree_node: TreeNode[Entry]) -> None:
        if id(tree_node) in self._populated:
            return
        self._populated.add(id(tree_node))
        for child in self.children_of(tree_node.data):
            self._add(tree_node, child)

    def _add_filtered(self, parent: TreeNode[Entry], entry: Entry, keep: Callable[[Entry], bool]) -> None:
        """Add ``entry`` and, expanded, those of its children that match or lead to a match.

        A match whose children do not match is added collapsed: expanding it shows them all.
        """
        tree_node = self._add(parent, entry)
        kept = [child for child in self.children_of(entry) if keep(child)]
        if kept:
            self._populated.add(id(tree_node))
            for child in kept:
                self._add_filtered(tree_node, child, keep)
            tree_node.expand()

    def _matcher(self, query: Query) -> Callable[[Entry], bool]:
        """Does an entry, or anything under it, match ``query``? (memoised for one rebuild)"""
        seen: dict[int, bool] = {}

        def keep(entry: Entry) -> bool:
            if id(entry) not in seen:
                seen[id(entry)] = self._hit(query, entry) or any(keep(c) for c in self.children_of(entry))
            return seen[id(entry)]

        return keep

    def _hit(self, query: Query, entry: Entry) -> bool:
        """Does ``entry`` itself match: its title, id, description or note, and (an item) its status?"""
        if isinstance(entry, View):
            return query.matches([entry.title], None)
        texts = [entry.title, entry.id, entry.description or "", self.notes.get(entry.key, "")]
        return query.matches(texts, self.progress.status(entry) if entry.is_leaf else None)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Entry]) -> None:
        event.stop()
        self._populate(event.node)

    def watch_filter_text(self, old: str, new: str) -> None:
        """Typing moves the cursor to the first match; clearing puts back the cursor and the
        expanded branches of before the filter."""
        self._query = parse_query(new)
        if not old and self._place is None:
            self._place = (self.cursor_entry, self._expanded_entries())
        if self._query:
            self.rebuild(keep_cursor=False)
            if self.root.children:
                self.move_cursor(self._first_match())
        else:
            self._restore_place()
        if self.is_mounted:
            self.call_after_refresh(self.announce_cursor)

    def place(self) -> dict[str, object]:
        """The cursor and the expanded branches, by id (remembered for the next start)."""
        cursor = self.cursor_entry
        return {
            "cursor": cursor.id if cursor is not None else None,
            "expanded": [entry.id for entry in self._expanded_entries()],
        }

    def restore_place(self, cursor_id: object, expanded_ids: object) -> None:
        """Expand the branches and move the cursor that :meth:`place` recorded (unknown ids are skipped)."""
        known: dict[str, Entry] = {**self.roadmap.nodes, **{entry.id: entry for entry in self.top_entries()}}
        wanted = (
            [known[str(i)] for i in expanded_ids if str(i) in known] if isinstance(expanded_ids, list) else []
        )
        for tree_node in self.root.children:
            tree_node.collapse()
        for entry in wanted:
            line = self._reach(entry)
            if line is not None:
                self._populate(line)
                line.expand()
        cursor = known.get(str(cursor_id))
        if cursor is not None:
            self.select_entry(cursor)

    def _shown_nodes(self) -> list[TreeNode[Entry]]:
        """Every line built so far, parents before their children."""
        return [tree_node for shown in self._shown.values() for tree_node in shown]

    def _expanded_entries(self) -> list[Entry]:
        return [node.data for node in self._shown_nodes() if node.is_expanded and node.data is not None]

    def _restore_place(self) -> None:
        cursor, expanded = self._place or (None, [])
        self._place = None
        self.clear()
        self._shown.clear()
        self._populated.clear()
        for entry in self.top_entries():
            self._add(self.root, entry)
        self.root.expand()
        for entry in expanded:  # outermost first: each one's line exists once its parent is open
            for tree_node in list(self._shown.get(id(entry), ())):
                self._populate(tree_node)
                tree_node.expand()
        if cursor is not None:
            self.call_after_refresh(self.select_entry, cursor)
        else:
            self.cursor_line = 0

    def _first_match(self) -> TreeNode[Entry] | None:
        for line in range(self.last_line + 1):
            tree_node = self.get_node_at_line(line)
            data = tree_node.data if tree_node else None
            if isinstance(data, Node) and self._hit(self._query, data):
                return tree_node
        return None

    # -- drawing ---------------------------------------------------------------------------

    def _counts(self, entry: Entry) -> Counts:
        if isinstance(entry, Node):
            return self.progress.counts(entry)
        return self.progress.of_nodes(entry.nodes)

    def render_label(self, node: TreeNode[Entry], base_style: Style, style: Style) -> Text:
        entry = node.data
        label = Text(node.label) if isinstance(node.label, str) else node.label.copy()
        words = self._query.words
        if words:
            label.highlight_words(words, "reverse", case_sensitive=False)
        label.stylize(style)
        muted = component_style(self, "roadmap-tree--muted")
        before: list[Text] = []
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            before.append(Text(icon, style=base_style + Style(bold=True)))
        if isinstance(entry, Node):
            status = self.progress.status(entry)
            mark_style = status_style(self, status) + Style(meta={"mark": True})  # a click ticks it
            before.append(Text(MARKS[status], style=mark_style))
            before.append(Text(" "))
            if status == "skipped":
                label.stylize(muted + Style(strike=True))
        if isinstance(entry, View) or (isinstance(entry, Node) and entry.children):
            before.append(Text(f"{percent_text(self._counts(entry), 0):>4} ", style=muted))
        after = [Text(" ⇄", style=muted)] if isinstance(entry, Node) and entry.skill else []
        if isinstance(entry, Node) and self.off_path(entry):
            label.stylize(muted)
            after.append(Text(" · not on your path", style=muted + Style(italic=True)))
        elif isinstance(entry, View) and entry.id in self.month_notes:
            before.append(Text(f"{self.month_notes[entry.id]} · ", style=muted))  # before the title
        text = Text.assemble(label, *after)  # what follows the title is cut first
        room = self._label_room(node) - sum(part.cell_len for part in before)
        if text.cell_len > room > 0:
            text.truncate(room, overflow="ellipsis")
        return Text.assemble(*before, text)

    def _label_room(self, node: TreeNode[Entry]) -> int:
        """Cells left for a line's text after the guides of its depth (the tree does not scroll sideways)."""
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        return self.scrollable_content_region.width - depth * self.guide_depth

    def refresh_entries(self, touched: set[Node]) -> None:
        """Redraw lines whose status or percent may have changed."""
        for node in touched:
            for tree_node in self._shown.get(id(node), ()):
                tree_node.refresh()
        for entries in self._shown.values():
            for tree_node in entries:
                if not isinstance(tree_node.data, Node):
                    tree_node.refresh()

    # -- moving ----------------------------------------------------------------------------

    def select_entry(self, entry: Entry) -> bool:
        """Move the cursor to ``entry``, expanding the branches above it."""
        target = self._reach(entry)
        if target is None:
            return False
        self.call_after_refresh(self._move_to, target)
        return True

    def _reach(self, entry: Entry) -> TreeNode[Entry] | None:
        """The line of ``entry``, built and with the branches above it expanded."""
        shown = self._shown.get(id(entry))
        if not shown and isinstance(entry, Node):
            for ancestor in entry.path()[:-1]:
                for tree_node in list(self._shown.get(id(ancestor), ())):
                    self._populate(tree_node)
                    tree_node.expand()
            shown = self._shown.get(id(entry))
        if not shown:
            return None
        parent = shown[0].parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        return shown[0]

    def _move_to(self, target: TreeNode[Entry]) -> None:
        self.move_cursor(target)
        self.scroll_to_node(target, animate=False)

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_expand_or_child(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        # `l` `l` can arrive together: the children are added now (not when the expanded
        # message arrives), and the first child is found by line, which lays the tree out again.
        if not node.is_expanded:
            self._populate(node)
            node.expand()
        elif node.children:
            self.move_cursor_to_line(self.cursor_line + 1)

    def action_set_status(self, status: str | None) -> None:
        entry = self.cursor_node.data if self.cursor_node else None
        if isinstance(entry, Node):
            self.post_message(StatusRequested(entry, status))
        else:
            self.notify("Pick an item or a project to mark it", severity="warning", timeout=3)

    def on_mount(self) -> None:
        if self.place_to_restore is not None:
            self.restore_place(*self.place_to_restore)

    def on_click(self, event: events.Click) -> None:
        """A click on a status mark toggles done (the tree has moved its cursor there already)."""
        entry = self.cursor_entry
        if event.style.meta.get("mark") and isinstance(entry, Node):
            event.stop()
            self.post_message(StatusRequested(entry, None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Status keys only on items and projects, not on a month or a group."""
        if action == "set_status":
            return isinstance(self.cursor_entry, Node)
        return True

    def on_focus(self) -> None:
        self.announce_cursor()

    @property
    def cursor_entry(self) -> Entry | None:
        """The item or named group under the cursor."""
        return self.cursor_node.data if self.cursor_node is not None else None

    def announce_cursor(self) -> None:
        """Tell the app what is under the cursor (the detail pane follows it)."""
        self.post_message(NodeHighlighted(self.cursor_entry, self))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        event.stop()
        self.refresh_bindings()
        self.post_message(NodeHighlighted(event.node.data, self))
