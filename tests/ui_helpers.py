"""Helpers for driving the app in Pilot and snapshot tests."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tracker.catalog import Catalog
from tracker.store import Store
from tracker.ui.app import TrackerApp, make_app
from tracker.ui.guiding import WELCOMED_SETTING
from tracker.ui.widgets.browser import FilterBox
from tracker.ui.widgets.note import NoteEditor
from tracker.ui.widgets.roadmap_tree import RoadmapTree


def build_app(catalog: Catalog, db_path: Path, clock, *, welcome: bool = False) -> TrackerApp:
    """The app as the CLI builds it, on ``db_path`` with the test clock.

    The welcome that asks a new learner for a path is skipped unless ``welcome``
    (as if it had been seen), so that tests start on the roadmaps.
    """
    store = Store.open(db_path, clock)
    if not welcome:
        store.set_setting(WELCOMED_SETTING, "1")
    return make_app(catalog, store, clock)


def steady(app: TrackerApp) -> None:
    """Turn off blinking cursors so screenshots are the same every run (dialogs' inputs too)."""
    for widget in (*app.query(NoteEditor), *app.query(FilterBox), *app.screen.query(Input)):
        widget.cursor_blink = False


async def settle(pilot: Pilot) -> None:
    """Wait until every store write has finished and the screen has caught up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cursor_id(app: TrackerApp) -> str | None:
    """Id of the item under the cursor of the visible tree."""
    tree = app.browser.active_tree()
    assert isinstance(tree, RoadmapTree)
    data = tree.cursor_node.data if tree.cursor_node else None
    return getattr(data, "id", None)
