"""User actions where the catalog meets the store; shared by the CLI and the app.

The catalog says which progress keys an item covers; the store makes the
change durable. Nothing here prints or draws.
"""

from __future__ import annotations

from tracker.catalog import Catalog, Node
from tracker.progress import unique_leaves
from tracker.store import Change, Store, StoreError
from tracker.stored import STATUSES


def parse_status(word: str) -> str:
    """A status from user input; the error lists the valid words."""
    status = word.strip().lower()
    if status not in STATUSES:
        raise StoreError(f"unknown status '{word}'; use one of: {', '.join(STATUSES)}")
    return status


def mark(store: Store, node: Node, status: str) -> Change | None:
    """Set ``node`` (every leaf under it, for a parent) to ``status`` in one transaction."""
    keys = [leaf.key for leaf in unique_leaves([node])]
    return store.set_status(keys, status, label=f"{node.roadmap_id}/{node.id} -> {status}")


def reset_roadmap(store: Store, catalog: Catalog, roadmap_id: str) -> Change | None:
    """Put every leaf of a roadmap back to ``todo`` (undoable; notes are kept)."""
    roadmap = catalog.roadmap(roadmap_id)
    return store.set_status(sorted(roadmap.keys), "todo", label=f"reset {roadmap_id}")


def set_note(store: Store, node: Node, text: str) -> Change | None:
    """Replace the note of ``node``."""
    return store.set_note(node.key, text, label=f"note on {node.roadmap_id}/{node.id}")


def orphaned_keys(store: Store, catalog: Catalog) -> list[str]:
    """Stored keys that no loaded roadmap uses any more (kept, never deleted)."""
    return sorted(store.stored_keys() - catalog.known_keys() - _parent_keys(catalog))


def _parent_keys(catalog: Catalog) -> set[str]:
    """Keys of parents, which may carry notes."""
    return {
        node.key
        for roadmap in catalog.roadmaps.values()
        for node in roadmap.nodes.values()
        if not node.is_leaf
    }


def describe(change: Change | None) -> str:
    """One line saying what a change did, for the CLI and notifications."""
    if change is None:
        return "nothing changed"
    count = len(change.keys)
    items = "item" if count == 1 else "items"
    return f"{change.label} ({count} {items})"
