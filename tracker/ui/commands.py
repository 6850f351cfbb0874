"""Command palette: jump to any item of any roadmap, or run one of the app's actions."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

if TYPE_CHECKING:
    from tracker.catalog import Node
    from tracker.ui.app import TrackerApp


class ItemsProvider(Provider):
    """Open any roadmap, or jump to any item, project or milestone of any roadmap, by title.

    Every command it lists with an empty query is also found by typing its name.
    """

    async def startup(self) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        self.roadmaps = [
            (f"Open roadmap: {roadmap.title}", roadmap.id, f"{len(roadmap.leaf_keys)} items")
            for roadmap in app.catalog.roadmaps.values()
        ]
        self.entries: list[tuple[str, Node]] = [
            (f"{node.title}  · {roadmap.title}", node)
            for roadmap in app.catalog.roadmaps.values()
            for node in roadmap.nodes.values()
        ]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app: TrackerApp = self.app  # type: ignore[assignment]
        for text, roadmap_id, help_text in self.roadmaps:
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score * 1.1,  # a roadmap before the items named like it
                    matcher.highlight(escape(text)),
                    partial(app.open_roadmap, roadmap_id),
                    text=text,
                    help=help_text,
                )
        for text, node in self.entries:
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(escape(text)),  # titles are text, not markup
                    partial(app.jump_to, node),
                    text=text,
                    help=f"Go to {node.roadmap_id}/{node.id}",
                )

    async def discover(self) -> Hits:
        app: TrackerApp = self.app  # type: ignore[assignment]
        for text, roadmap_id, help_text in self.roadmaps:
            yield DiscoveryHit(escape(text), partial(app.open_roadmap, roadmap_id), text=text, help=help_text)
