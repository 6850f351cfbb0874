"""Snapshot tests of the main screens at fixed sizes, on a seeded temporary database.

Update after a deliberate change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at every changed SVG (``snapshot_report.html``) before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui_helpers import build_app, settle, steady
from tracker import actions
from tracker.store import Store
from tracker.ui.app import TrackerApp

WIDE = (120, 36)


def seed(db_path: Path, catalog, clock) -> None:
    """A learner a few weeks in: some done, some in progress, one skipped, notes."""
    with Store.open(db_path, clock) as store:
        marks = [
            ("backend-server", "http-web-basics", "done"),
            ("backend-server", "server-request-lifecycle", "done"),
            ("backend-server", "server-web-app-servers", "doing"),
            ("backend-server", "proj-blog-api", "done"),
            ("python", "py-basics", "done"),
        ]
        for roadmap_id, item_id, status in marks:
            node = catalog.roadmaps[roadmap_id].nodes.get(item_id)
            if node is not None:
                actions.mark(store, node, status)
                clock.advance(days=1)
        first_leaf = catalog.roadmap("backend-server").sections[0].children[1].children[0]
        actions.set_note(store, first_leaf, "Drew the whole request path on paper.\nNext: nginx.")


@pytest.fixture
def seeded_app(tmp_path: Path, bundled_catalog, clock) -> TrackerApp:
    db_path = tmp_path / "progress.db"
    seed(db_path, bundled_catalog, clock)
    return build_app(bundled_catalog, db_path, clock)


async def settle_palette(pilot, timeout: float = 10.0) -> None:
    """Wait until the palette's search has finished and its hit list stops changing."""
    from textual.command import CommandInput, CommandList, CommandPalette

    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    for box in palette.query(CommandInput):
        box.cursor_blink = False
    hits = palette.query_one(CommandList)
    seen, stable, waited = -1, 0, 0.0
    while stable < 3 and waited < timeout:
        await pilot.pause(0.1)
        waited += 0.1
        count = hits.option_count
        busy = palette.workers and any(w.is_running for w in palette.workers)
        stable = stable + 1 if count == seen and count > 0 and not busy else 0
        seen = count
    hits.highlighted = 0


async def ready(pilot) -> None:
    steady(pilot.app)
    await settle(pilot)


def test_master_tiers(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["j", "j", "l"], terminal_size=WIDE, run_before=ready)


def on_tab(number: str):
    """A ``run_before`` that opens a tab of the master roadmap with its number key."""

    async def open_tab(pilot):
        await ready(pilot)
        await pilot.press(number)
        await settle(pilot)

    return open_tab


def test_master_projects(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["j", "l"], terminal_size=WIDE, run_before=on_tab("2"))


def test_master_plan(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["j"], terminal_size=WIDE, run_before=on_tab("4"))


def test_covered_roadmap_tree(snap_compare, seeded_app):
    async def python(pilot):
        await ready(pilot)
        await pilot.app.open_roadmap("python")
        await settle(pilot)

    assert snap_compare(seeded_app, press=["j", "l"], terminal_size=WIDE, run_before=python)


def test_detail_with_note(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["j", "j", "l", "l"], terminal_size=WIDE, run_before=ready)


def test_filter_active(snap_compare, seeded_app):
    async def open_filter(pilot):
        await pilot.press("slash")  # the filter box is built on first use
        await ready(pilot)

    assert snap_compare(seeded_app, press=[*"cach"], terminal_size=WIDE, run_before=open_filter)


def test_help_screen(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["question_mark"], terminal_size=WIDE, run_before=ready)


def test_command_palette(snap_compare, seeded_app):
    async def palette(pilot):
        await ready(pilot)
        await pilot.press("ctrl+p", *"oauth")
        await settle_palette(pilot)

    assert snap_compare(seeded_app, terminal_size=WIDE, run_before=palette)


def test_small_terminal(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["j", "l"], terminal_size=(80, 24), run_before=ready)


def test_reset_confirmation(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["R"], terminal_size=WIDE, run_before=ready)


def test_export_dialog(snap_compare, seeded_app, monkeypatch):
    monkeypatch.setenv("HOME", "/home/learner")  # the suggested path is under HOME
    assert snap_compare(seeded_app, press=["e"], terminal_size=WIDE, run_before=ready)


def test_filter_with_no_match(snap_compare, seeded_app):
    async def open_filter(pilot):
        await pilot.press("slash")
        await ready(pilot)

    assert snap_compare(seeded_app, press=[*"zzyzx"], terminal_size=WIDE, run_before=open_filter)


def test_project_level_detail(snap_compare, seeded_app):
    assert snap_compare(seeded_app, terminal_size=WIDE, run_before=on_tab("2"))


def test_small_terminal_with_the_roadmap_list(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["b"], terminal_size=(80, 24), run_before=ready)


def test_help_at_80x24(snap_compare, seeded_app):
    assert snap_compare(seeded_app, press=["question_mark"], terminal_size=(80, 24), run_before=ready)


@pytest.fixture
def path_app(tmp_path: Path, bundled_catalog, clock, monkeypatch) -> TrackerApp:
    """The seeded learner on the Python + FastAPI path since 1 Dec 2025, in UTC."""
    from datetime import date

    from tracker.path import choose_path, save_path

    monkeypatch.setenv("TZ", "UTC")  # local days, the same on every machine
    db_path = tmp_path / "progress.db"
    seed(db_path, bundled_catalog, clock)
    with Store.open(db_path, clock) as store:
        save_path(
            store,
            choose_path(bundled_catalog, "python", "fastapi", date(2025, 12, 1), None, date(2026, 1, 5)),
        )
    return build_app(bundled_catalog, db_path, clock)


async def guide_ready(pilot) -> None:
    await ready(pilot)
    await pilot.pause(0.3)
    await settle(pilot)


def test_today_view(snap_compare, path_app):
    assert snap_compare(path_app, terminal_size=(120, 44), run_before=guide_ready)


def test_dated_plan(snap_compare, path_app):
    async def plan(pilot):
        await guide_ready(pilot)
        await pilot.press("t", "4")
        await guide_ready(pilot)

    assert snap_compare(path_app, terminal_size=WIDE, run_before=plan)


def test_welcome(snap_compare, tmp_path, bundled_catalog, clock):
    Store.open(tmp_path / "progress.db", clock).close()  # not new: no notice naming a temporary path
    app = build_app(bundled_catalog, tmp_path / "progress.db", clock, welcome=True)
    assert snap_compare(app, terminal_size=WIDE, run_before=guide_ready)
