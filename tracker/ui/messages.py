"""Messages that widgets post up to the app, which owns the store.

Plain classes with an ``__init__``, as Textual's own messages are: a dataclass
costs a millisecond to define, and these are defined on every start.
"""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget

from tracker.catalog import Node, View


class StatusRequested(Message):
    """The user asked to give ``node`` a status (``None`` toggles done)."""

    def __init__(self, node: Node, status: str | None):
        super().__init__()
        self.node = node
        self.status = status


class NodeHighlighted(Message):
    """The cursor of ``tree`` moved to ``node``: the detail pane shows it if that tree is in view."""

    def __init__(self, node: Node | View | None, tree: Widget):
        super().__init__()
        self.node = node
        self.tree = tree

    @property
    def control(self) -> Widget:
        return self.tree


class JumpRequested(Message):
    """Show ``target`` in its roadmap's tabs (a followed link or a palette pick)."""

    def __init__(self, target: Node | View, roadmap_id: str):
        super().__init__()
        self.target = target
        self.roadmap_id = roadmap_id


class NoteEdited(Message):
    """The note editor holds new text for ``node`` (saved after a short pause).

    ``base`` is the stored note the text was written over: if another writer
    changed it meanwhile, saving keeps both.
    """

    def __init__(self, node: Node, text: str, base: str):
        super().__init__()
        self.node = node
        self.text = text
        self.base = base


class LinkOpened(Message):
    """The user followed a resource link: the app opens ``url`` in a browser."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
