"""Messages that widgets post up to the app, which owns the store."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from tracker.catalog import Node, View


@dataclass
class StatusRequested(Message):
    """The user asked to give ``node`` a status (``None`` toggles done)."""

    node: Node
    status: str | None


@dataclass
class NodeHighlighted(Message):
    """The cursor of ``tree`` moved to ``node``: the detail pane shows it if that tree is in view."""

    node: Node | View | None
    tree: Widget

    @property
    def control(self) -> Widget:
        return self.tree


@dataclass
class JumpRequested(Message):
    """Show ``target`` in its roadmap's tabs (a followed link or a palette pick)."""

    target: Node | View
    roadmap_id: str


@dataclass
class NoteEdited(Message):
    """The note editor holds new text for ``node`` (saved after a short pause).

    ``base`` is the stored note the text was written over: if another writer
    changed it meanwhile, saving keeps both.
    """

    node: Node
    text: str
    base: str


@dataclass
class LinkOpened(Message):
    """The user followed a resource link: the app opens ``url`` in a browser."""

    url: str
