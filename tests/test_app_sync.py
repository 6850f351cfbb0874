"""Sync in the app: on start (after the first frame), from the palette, on quit; failures are notices."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import FakeClock
from tests.ui_helpers import build_app, settle
from tracker.progress import counts_text
from tracker.reports.restore import read_export
from tracker.store import Store
from tracker.sync import set_sync_file, sync_file
from tracker.ui.screens.note_history import NoteHistoryScreen

SIZE = (120, 40)
THEIRS = "skill:internet-basics"  # ticked on the other device
MINE = "skill:dns"  # ticked here, in the app


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


@pytest.fixture
def sync_path(tmp_path: Path) -> Path:
    return tmp_path / "synced folder" / "progress.json"


def other_device(tmp_path: Path, catalog, sync_path: Path, clock) -> Path:
    """A second database that ticked THEIRS, noted it, and synced: the file exists."""
    sync_path.parent.mkdir(exist_ok=True)
    laptop = tmp_path / "laptop.db"
    with Store.open(laptop, clock) as store:
        store.set_status([THEIRS], "done")
        store.set_note(THEIRS, "from the laptop")
        sync_file(store, catalog, sync_path)
    return laptop


def configured(db_path: Path, sync_path: Path, clock) -> None:
    sync_path.parent.mkdir(exist_ok=True)
    with Store.open(db_path, clock) as store:
        set_sync_file(store, sync_path)


async def synced(pilot) -> None:
    """Wait for the start's sync (a worker on the store thread) and the redraw after it."""
    for _ in range(50):
        await settle(pilot)
        if pilot.app.syncing.last is not None:
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never synced")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_app_syncs_on_start_and_on_quit(bundled_catalog, db_path, sync_path, tmp_path, clock):
    laptop = other_device(tmp_path, bundled_catalog, sync_path, clock)
    configured(db_path, sync_path, clock)
    clock.advance(minutes=5)
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await synced(pilot)
        assert app.progress.status_of_key(THEIRS) == "done"  # the other device's tick, on screen
        assert app.notes[THEIRS] == "from the laptop"
        assert "synced just now" in app.sub_title
        clock.advance(minutes=7)
        app.update_header()
        assert "synced 7 min ago" in app.sub_title
        await app.jump_to(bundled_catalog.nodes_with_key(MINE)[0])
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("q")  # the quit syncs, on the store thread, before the app closes
    assert app.return_code == 0
    export = read_export(sync_path)
    assert export.records[MINE].status == "done" and export.records[THEIRS].status == "done"
    with Store.open(laptop, clock) as store:  # and the other device gets it on its next sync
        sync_file(store, bundled_catalog, sync_path)
        assert store.statuses()[MINE] == "done"


async def test_a_refused_file_is_a_notice_and_nothing_changes(
    bundled_catalog, db_path, sync_path, clock, capsys
):
    sync_path.parent.mkdir()
    sync_path.write_text('{"not": "a tracker export"}', encoding="utf-8")
    configured(db_path, sync_path, clock)
    before = sha(sync_path)
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(40):
            await settle(pilot)
            if any(n.title == "Sync failed" for n in app._notifications):
                break
            await pilot.pause(0.05)
        failed = [n for n in app._notifications if n.title == "Sync failed"]
        assert failed and str(sync_path) in failed[0].message
        assert "synced" not in app.sub_title.replace("not synced yet", "")
        await pilot.press("j", "space")  # the app keeps working
        await settle(pilot)
        assert app.progress.overall().done > 0
        await pilot.press("q")
    assert sha(sync_path) == before  # not even the quit's sync wrote it
    said = " ".join(capsys.readouterr().err.split())  # after it closed, one line (wrapped here)
    assert "tracker: sync on quit failed" in said and "not a tracker-progress export" in said


async def test_sync_now_from_the_palette_takes_what_another_device_wrote(
    bundled_catalog, db_path, sync_path, tmp_path, clock
):
    configured(db_path, sync_path, clock)  # no file yet: the start's sync creates it
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await synced(pilot)
        assert sync_path.exists()
        other_device(tmp_path, bundled_catalog, sync_path, FakeClock(clock.now + timedelta(minutes=1)))
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"sync now")
        await pilot.pause(0.6)
        await pilot.press("enter")
        for _ in range(40):
            await settle(pilot)
            if app.progress.status_of_key(THEIRS) == "done":
                break
            await pilot.pause(0.05)
        assert app.progress.status_of_key(THEIRS) == "done"
        assert any(n.title == "Synced" and "1 item updated here" in n.message for n in app._notifications)
        await pilot.press("u")  # undo takes back what the sync changed here
        await settle(pilot)
        assert app.progress.status_of_key(THEIRS) == "todo"


async def test_a_note_changed_on_both_devices_keeps_both_and_shows_its_earlier_version(
    bundled_catalog, db_path, sync_path, tmp_path, clock
):
    other_device(tmp_path, bundled_catalog, sync_path, clock)  # "from the laptop", at 09:00
    with Store.open(db_path, clock) as store:
        set_sync_file(store, sync_path)
        clock.advance(minutes=2)
        store.set_note(THEIRS, "from the desktop")  # newer: it wins
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await synced(pilot)
        assert app.notes[THEIRS] == "from the desktop"
        warned = [n for n in app._notifications if n.title == "Synced" and n.severity == "warning"]
        assert warned and "changed on both devices" in warned[0].message
        await app.jump_to(bundled_catalog.nodes_with_key(THEIRS)[0])
        await settle(pilot)
        app.action_note_history()
        await settle(pilot)
        assert isinstance(app.screen, NoteHistoryScreen)
        assert [v.text for v in app.screen.versions] == ["from the laptop"]
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NoteHistoryScreen)


async def test_below_100_columns_the_sync_time_takes_the_counts_place(
    bundled_catalog, db_path, sync_path, clock
):
    configured(db_path, sync_path, clock)
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await synced(pilot)
        assert app.sub_title == "0.0% overall · synced just now"
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        counts = counts_text(app.progress.overall())
        assert app.sub_title == f"0.0% overall · {counts} · synced just now"
