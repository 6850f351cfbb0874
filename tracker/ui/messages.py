"""Messages that widgets post up to the app, which owns the store."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tracker.catalog import Node, View


@dataclass
class StatusRequested(Message):
    """The user asked to give ``node`` a status (``None`` toggles done)."""

    node: Node
    status: str | None


@dataclass
class NodeHighlighted(Message):
    """The cursor moved to ``node``: the detail pane should show it."""

    node: Node | None


@dataclass
class JumpRequested(Message):
    """Show ``target`` in its roadmap's tabs (a followed link or a palette pick)."""

    target: Node | View
    roadmap_id: str


@dataclass
class NoteEdited(Message):
    """The note editor holds new text for ``node`` (saved after a short pause)."""

    node: Node
    text: str
