"""User actions where the catalog meets the store; shared by the CLI and the app.

The catalog says which progress keys an item covers; the store makes the
change durable. Nothing here prints or draws.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

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


def set_note(store: Store, node: Node, text: str, base: str | None = None) -> Change | None:
    """Replace the note of ``node``; with ``base`` (the note last seen), never over unseen text."""
    return store.set_note(node.key, text, label=f"note on {node.roadmap_id}/{node.id}", base=base)


class SavedNote(NamedTuple):
    """What saving a note from an editor did: the stored text may hold another writer's too."""

    change: Change | None
    stored: str

    def merged(self, typed: str) -> bool:
        """Whether another writer's text was kept beside ``typed``."""
        return self.stored != typed


def save_note(store: Store, node: Node, text: str, base: str) -> SavedNote:
    """Save an editor's note over ``base`` (what it loaded) and read back what is stored."""
    change = set_note(store, node, text, base)
    return SavedNote(change, store.note(node.key))


def apply_key_moves(store: Store, catalog: Catalog) -> Change | None:
    """Move progress stored under retired keys to the keys that replaced them.

    ``skills.yaml`` lists them under ``moved:`` (a key split in two, two keys
    merged into one, an item given a shared key). Call it after opening the
    store, before showing progress. When no retired key is stored, as on every
    start after the first, it costs one query on primary keys and writes
    nothing; otherwise the database is backed up and the progress moved in one
    undoable transaction (see :meth:`Store.move_keys`). A move whose old key is
    still used by a loaded roadmap is left alone: moving it would empty that
    item on every start. Undoing the move puts the old keys back, and the next
    call moves them again, since no roadmap shows them any more; an old export
    imported later is carried over the same way. Returns the change, or
    ``None`` when nothing moved.
    """
    moves = catalog.key_moves
    if not moves:
        return None
    stored = store.stored_among(move.source for move in moves)
    if not stored:
        return None
    live = catalog.known_keys()
    pending = [move for move in moves if move.source not in live]
    found = sorted(stored - live)
    if not found:
        return None
    keys = "key" if len(found) == 1 else "keys"
    label = f"moved the progress of {len(found)} retired {keys} to the new ones"
    return store.move_keys(pending, label=label)


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


def describe_mark(catalog: Catalog, change: Change, status: str) -> str:
    """What marking a branch (or resetting a roadmap) did: how many items, in how many roadmaps."""
    roadmaps = {roadmap_id for key in change.keys for roadmap_id in catalog.roadmaps_with_key(key)}
    where = f" in {len(roadmaps)} roadmaps (shared skills)" if len(roadmaps) > 1 else ""
    items = "item" if len(change.keys) == 1 else "items"
    return f"{len(change.keys)} {items} set to {status}{where}; u undoes it"


def describe_undo(catalog: Catalog, change: Change) -> str:
    """What an undo put back, by title and from what to what (for the CLI and the app)."""
    statuses = [step for step in change.steps if step.field == "status"]
    notes = [step for step in change.steps if step.field == "note"]
    parts = []
    if len(statuses) == 1:
        first = statuses[0]
        parts.append(f"{title_of(catalog, first.key)}: {first.old or 'todo'} → {first.new or 'todo'}")
    elif statuses:
        moves = Counter((step.old or "todo", step.new or "todo") for step in statuses)
        parts.append(
            f"{len(statuses)} items: "
            + ", ".join(f"{n} {old} → {new}" for (old, new), n in moves.most_common())
        )
    for step in notes:
        what = "removed" if not step.new else ("restored" if step.old else "put back")
        parts.append(f"the note on {title_of(catalog, step.key)} {what}")
    from tracker.path import PATH_SETTING  # only here: `tracker mark` need not import the guide

    for name in change.settings:  # what an import or a sync replaced
        parts.append("the path put back" if name == PATH_SETTING else f"the setting {name} put back")
    return "; ".join(parts) if parts else "nothing was left to change"


def node_of_key(catalog: Catalog, key: str) -> Node | None:
    """The item stored under ``key`` (the first, for a shared skill; a parent for its note)."""
    nodes = catalog.nodes_with_key(key)
    if nodes:
        return nodes[0]
    roadmap_id, _, item_id = key.partition("/")
    roadmap = catalog.roadmaps.get(roadmap_id)
    return roadmap.nodes.get(item_id) if roadmap is not None else None


def title_of(catalog: Catalog, key: str) -> str:
    """The quoted title of the item stored under ``key``, or the key when no roadmap has it."""
    node = node_of_key(catalog, key)
    return f"'{node.title}'" if node is not None else key


def describe(change: Change | None) -> str:
    """One line saying what a change did, for the CLI and notifications."""
    if change is None:
        return "nothing changed"
    count = len(change.keys)
    items = "item" if count == 1 else "items"
    return f"{change.label} ({count} {items})"
