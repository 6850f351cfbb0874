"""Sync through a file (issue 13), the core: two databases, one file, nothing lost.

Two stores share one fake clock, as two devices of one learner would share
the time of day; each test edits them offline, syncs them through a file and
checks that they end equal, with every note text still somewhere.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

import pytest

import tracker.sync
from tracker import actions
from tracker.catalog import Catalog
from tracker.path import LearnerPath, read_path, save_path
from tracker.reports import render
from tracker.reports.restore import parse_export
from tracker.store import Store
from tracker.sync import (
    SyncError,
    configured_file,
    last_synced,
    set_sync_file,
    sync_configured,
    sync_file,
    unset_sync_file,
)

from .conftest import FakeClock

MASTER = "backend-server"
LEAF = f"{MASTER}/cli-http-tools"
OTHER = f"{MASTER}/config-per-environment"


@pytest.fixture
def two(tmp_path: Path, clock: FakeClock):
    """Two devices' databases on one clock, and the path of their sync file."""
    with Store.open(tmp_path / "a.db", clock) as a, Store.open(tmp_path / "b.db", clock) as b:
        yield a, b, tmp_path / "synced" / "progress.json"


@pytest.fixture(autouse=True)
def synced_folder(tmp_path: Path) -> None:
    (tmp_path / "synced").mkdir()


def live_history(store: Store) -> set:
    """The changes that count (undone ones left out), as a set: what both devices must agree on."""
    return {(c.at, c.action, c.label, c.steps) for c in store.past_changes() if not c.undone}


def assert_equal(a: Store, b: Store) -> None:
    assert a.records() == b.records()
    assert read_path(a) == read_path(b)
    assert live_history(a) == live_history(b)
    assert a.done_per_quarter_hour() == b.done_per_quarter_hour()


def rounds(catalog: Catalog, file: Path, *stores: Store) -> None:
    for store in stores:
        sync_file(store, catalog, file)


# -- the file --------------------------------------------------------------------------------


def test_a_first_sync_creates_the_file_and_the_next_leaves_it(
    store: Store, bundled_catalog: Catalog, tmp_path: Path, clock: FakeClock
) -> None:
    store.set_status([LEAF], "done")
    file = tmp_path / "synced" / "progress.json"
    first = sync_file(store, bundled_catalog, file)
    assert first.created and first.written and first.change is None
    assert first.describe() == f"synced with {file}: nothing new here; the file created"
    written = file.read_bytes()
    export = parse_export(written, str(file))  # the versioned JSON export, read by the importer
    assert export.records[LEAF].status == "done"
    assert json.loads(written)["format"] == "tracker-progress"

    clock.advance(minutes=5)
    again = sync_file(store, bundled_catalog, file)
    assert not again.created and not again.written and again.change is None
    assert again.describe().endswith("nothing new here; the file already up to date")
    assert file.read_bytes() == written  # only the export time would differ: not rewritten
    assert last_synced(store) == clock.now


def test_two_devices_edited_offline_end_equal(two, bundled_catalog: Catalog, clock: FakeClock) -> None:
    a, b, file = two
    a.set_status([LEAF], "done")
    a.set_note(LEAF, "curl -v shows the headers")
    save_path(a, LearnerPath("python", "fastapi", date(2026, 1, 1)))
    clock.advance(minutes=1)
    b.set_status([OTHER], "doing")
    b.set_status([LEAF], "skipped")  # later than a's tick: wins
    clock.advance(minutes=1)
    rounds(bundled_catalog, file, a, b)
    result = sync_file(a, bundled_catalog, file)
    assert set(result.keys) == {OTHER, LEAF}
    assert "2 items updated here" in result.describe()
    rounds(bundled_catalog, file, b)  # which takes the history of a's last sync
    assert_equal(a, b)
    assert a.statuses() == {LEAF: "skipped", OTHER: "doing"}
    assert b.note(LEAF) == "curl -v shows the headers"
    assert read_path(b) is not None and read_path(b).language == "python"
    # the file is what either writes now; another round changes nothing anywhere
    before = file.read_bytes()
    for store in (b, a):
        again = sync_file(store, bundled_catalog, file)
        assert again.change is None and not again.written
    assert file.read_bytes() == before


def test_done_dates_streaks_and_the_heatmap_agree(two, bundled_catalog: Catalog, clock: FakeClock) -> None:
    a, b, file = two
    a.set_status([LEAF], "done")
    rounds(bundled_catalog, file, a, b)
    clock.advance(days=1)
    b.set_status([LEAF], "todo")  # reset on the other device, then done again a day later
    clock.advance(days=1)
    b.set_status([LEAF], "done")
    rounds(bundled_catalog, file, b, a, b)
    assert a.records()[LEAF] == b.records()[LEAF]
    assert a.records()[LEAF].updated == b.records()[LEAF].updated  # the later tick, on both
    assert (
        a.done_per_quarter_hour()
        == b.done_per_quarter_hour()
        == [
            ("2026-01-05T09:00", 1),
            ("2026-01-07T09:00", 1),
        ]
    )


def test_an_undone_tick_is_undone_on_the_other_device_too(
    two, bundled_catalog: Catalog, clock: FakeClock
) -> None:
    a, b, file = two
    a.set_status([LEAF], "done")
    rounds(bundled_catalog, file, a, b)
    assert b.done_per_quarter_hour() == [("2026-01-05T09:00", 1)]
    clock.advance(hours=1)
    a.undo()
    rounds(bundled_catalog, file, a, b)
    assert b.statuses() == {LEAF: "todo"}
    assert b.done_per_quarter_hour() == a.done_per_quarter_hour() == []
    rounds(bundled_catalog, file, a)
    assert_equal(a, b)


# -- notes -----------------------------------------------------------------------------------


def test_a_note_changed_on_both_devices_keeps_both_texts(
    two, bundled_catalog: Catalog, clock: FakeClock
) -> None:
    a, b, file = two
    a.set_note(LEAF, "first, on the laptop")
    clock.advance(minutes=1)
    b.set_note(LEAF, "second, on the desktop")
    sync_file(a, bundled_catalog, file)
    result = sync_file(b, bundled_catalog, file)
    title = bundled_catalog.node(MASTER, "cli-http-tools").title
    assert result.conflicts == (
        f"note on '{title}' changed on both devices; kept the newer, the other is in its history",
    )
    assert "1 note(s) changed on both devices" in result.describe()
    assert result.messages()[1:] == list(result.conflicts)
    assert b.note(LEAF) == "second, on the desktop"
    assert [v.text for v in b.note_versions(LEAF)] == ["first, on the laptop"]
    told = sync_file(a, bundled_catalog, file)
    assert told.conflicts == ()  # said once, by the device that kept the newer
    assert a.note(LEAF) == "second, on the desktop"
    assert [v.text for v in a.note_versions(LEAF)] == ["first, on the laptop"]
    rounds(bundled_catalog, file, b)
    assert_equal(a, b)


def test_the_newer_side_losing_its_note_text_keeps_it_in_the_history(
    two, bundled_catalog: Catalog, clock: FakeClock
) -> None:
    a, b, file = two
    b.set_note(LEAF, "older, on the desktop")
    clock.advance(minutes=1)
    a.set_note(LEAF, "newer, on the laptop")
    sync_file(b, bundled_catalog, file)
    result = sync_file(a, bundled_catalog, file)  # a's own note is the newer: b's is set aside
    assert len(result.conflicts) == 1
    assert a.note(LEAF) == "newer, on the laptop"
    assert [v.text for v in a.note_versions(LEAF)] == ["older, on the desktop"]
    rounds(bundled_catalog, file, b, a)
    assert_equal(a, b)


def test_a_note_edited_in_turn_is_no_conflict(two, bundled_catalog: Catalog, clock: FakeClock) -> None:
    a, b, file = two
    a.set_note(LEAF, "one")
    rounds(bundled_catalog, file, a, b)
    clock.advance(minutes=1)
    b.set_note(LEAF, "one, then two")
    results = [sync_file(store, bundled_catalog, file) for store in (b, a)]
    assert all(result.conflicts == () for result in results)
    assert a.note(LEAF) == "one, then two"
    assert [v.text for v in a.note_versions(LEAF)] == ["one"]


def test_a_long_note_set_aside_is_kept_whole(two, bundled_catalog: Catalog, clock: FakeClock) -> None:
    """An export leaves a long note's text out of its history: the kept copy is written here."""
    a, b, file = two
    long = "x" * 20_000
    b.set_note(LEAF, long)
    clock.advance(minutes=1)
    a.set_note(LEAF, "short and newer")
    rounds(bundled_catalog, file, b, a)
    assert [v.text for v in a.note_versions(LEAF)] == [long]


def test_a_removed_note_stays_removed_when_newer(two, bundled_catalog: Catalog, clock: FakeClock) -> None:
    a, b, file = two
    a.set_note(LEAF, "a note")
    rounds(bundled_catalog, file, a, b)
    clock.advance(minutes=1)
    b.set_note(LEAF, "")
    rounds(bundled_catalog, file, b, a)
    assert a.note(LEAF) == b.note(LEAF) == ""
    assert [v.text for v in a.note_versions(LEAF)] == ["a note"]
    rounds(bundled_catalog, file, b)
    assert_equal(a, b)


# -- the path --------------------------------------------------------------------------------


def test_the_newer_path_wins(two, bundled_catalog: Catalog, clock: FakeClock) -> None:
    a, b, file = two
    save_path(a, LearnerPath("python", "fastapi", date(2026, 1, 1)))
    clock.advance(minutes=1)
    save_path(b, LearnerPath("go", "gin", date(2026, 2, 1), weeks_per_month=3))
    first = sync_file(b, bundled_catalog, file)
    assert not first.path_taken
    second = sync_file(a, bundled_catalog, file)
    assert second.path_taken and "the path taken from the file" in second.describe()
    assert read_path(a) == read_path(b) and read_path(a).language == "go"


# -- undo ------------------------------------------------------------------------------------


def test_undo_takes_back_one_sync_and_the_next_sync_keeps_the_undo(
    two, bundled_catalog: Catalog, clock: FakeClock
) -> None:
    a, b, file = two
    save_path(a, LearnerPath("python", None, date(2026, 1, 1)))
    a.set_status([LEAF], "done")
    a.set_note(OTHER, "from a")
    sync_file(a, bundled_catalog, file)
    clock.advance(minutes=1)
    save_path(b, LearnerPath("go", None, date(2025, 12, 1)))
    b.set_status([OTHER], "doing")
    clock.advance(minutes=1)
    pulled = sync_file(b, bundled_catalog, file)
    assert pulled.change is not None
    sync_file(a, bundled_catalog, file)  # a takes b's path and status
    assert read_path(a).language == "go" and a.statuses()[OTHER] == "doing"

    clock.advance(minutes=1)
    undone = a.undo()
    assert undone is not None and (undone.action, undone.label) == ("undo", f"sync {file.name}")
    assert undone.settings == ("path",)
    assert actions.describe_undo(bundled_catalog, undone).endswith("the path put back")
    assert a.statuses().get(OTHER, "todo") == "todo"
    assert read_path(a).language == "python"
    assert a.note(OTHER) == "from a"
    assert a.statuses()[LEAF] == "done"

    clock.advance(minutes=1)
    rounds(bundled_catalog, file, a, b, a)  # the undo is the newest change: it wins everywhere
    assert read_path(b).language == "python"
    assert b.statuses().get(OTHER, "todo") == "todo"
    assert_equal(a, b)


def test_undoing_a_sync_that_brought_new_items_keeps_them_out(
    two, bundled_catalog: Catalog, clock: FakeClock
) -> None:
    a, b, file = two
    a.set_status([LEAF], "done")
    a.set_note(LEAF, "a's note")
    rounds(bundled_catalog, file, a)
    clock.advance(minutes=1)
    sync_file(b, bundled_catalog, file)
    b.undo()
    assert b.note(LEAF) == "" and b.statuses() == {LEAF: "todo"}
    clock.advance(minutes=1)
    rounds(bundled_catalog, file, b)
    assert b.note(LEAF) == "" and b.statuses() == {LEAF: "todo"}


# -- two writers of the file -----------------------------------------------------------------


def test_a_file_written_while_merging_is_merged_too(
    two, bundled_catalog: Catalog, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, file = two
    sync_file(a, bundled_catalog, file)
    b.set_status([OTHER], "done")
    theirs = render("json", bundled_catalog, b)
    a.set_status([LEAF], "done")
    real = tracker.sync._export_text
    calls = []

    def meanwhile(store: Store, catalog: Catalog) -> str:
        calls.append(1)
        if len(calls) == 1:  # the other device replaces the file while this one merges
            file.write_text(theirs, encoding="utf-8")
        return real(store, catalog)

    monkeypatch.setattr(tracker.sync, "_export_text", meanwhile)
    result = sync_file(a, bundled_catalog, file)
    assert result.rounds == 2 and result.written
    assert a.statuses() == {LEAF: "done", OTHER: "done"}
    assert parse_export(file.read_bytes(), "f").records.keys() >= {LEAF, OTHER}
    assert a.undo() is not None  # the whole sync, both rounds, is one change
    assert a.statuses() == {LEAF: "done", OTHER: "todo"}


def test_a_file_that_keeps_changing_is_given_up_and_nothing_changes(
    two, bundled_catalog: Catalog, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, file = two
    b.set_status([OTHER], "done")
    a.set_status([LEAF], "done")
    real = tracker.sync._export_text
    written = []

    def always(store: Store, catalog: Catalog) -> str:
        clock.advance(seconds=1)
        written.append(render("json", bundled_catalog, b))  # a new export time each time
        file.write_text(written[-1], encoding="utf-8")
        return real(store, catalog)

    monkeypatch.setattr(tracker.sync, "_export_text", always)
    before = (a.records(), a.changes(), a.setting("sync.last"))
    with pytest.raises(SyncError, match="kept changing while it was merged"):
        sync_file(a, bundled_catalog, file)
    assert (a.records(), a.changes(), a.setting("sync.last")) == before
    assert file.read_text(encoding="utf-8") == written[-1]
    assert len(written) == tracker.sync.ATTEMPTS
    assert not list(file.parent.glob(".*.partial"))


def test_a_stale_temporary_file_is_removed(store: Store, bundled_catalog: Catalog, tmp_path: Path) -> None:
    file = tmp_path / "synced" / "progress.json"
    stale = file.with_name(f".{file.name}.123.abcd.partial")
    fresh = file.with_name(f".{file.name}.456.ef01.partial")
    for partial in (stale, fresh):
        partial.write_text("{")
    old = time.time() - 2 * tracker.sync.STALE_PARTIAL_SECONDS
    os.utime(stale, (old, old))
    sync_file(store, bundled_catalog, file)
    assert not stale.exists() and fresh.exists()  # a live writer's is never touched


def test_a_retired_key_in_an_old_file_is_carried_over(
    store: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    """A file written before a key was retired: its progress moves to the new keys, and the file
    no longer holds the old key (else every sync would bring it back)."""
    move = next(m for m in bundled_catalog.key_moves if m.source == "skill:http")
    file = tmp_path / "synced" / "progress.json"
    document = json.loads(render("json", bundled_catalog, store))
    document["progress"] = [
        {"key": "skill:http", "status": "done", "updated": "2025-06-01T10:00:00.000Z", "note": ""}
    ]
    file.write_text(json.dumps(document), encoding="utf-8")
    result = sync_file(store, bundled_catalog, file)
    assert "skill:http" not in store.statuses()
    assert {store.statuses()[key] for key in move.targets} == {"done"}
    assert "skill:http" not in parse_export(file.read_bytes(), "f").records
    assert result.change is not None


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "gist"),
    [
        (b"", "the file is empty"),
        (b'{"format": "tracker-progress", "version": 3, "progress": [', "the file looks truncated"),
        (b'{"hello": "world"}', 'has no "format" field'),
        (b"[1, 2]", "holds a JSON array"),
        (b'{"format": "tracker-progress", "version": 99, "progress": []}', "version 99"),
        (b"\xff\xfe not text", "not UTF-8"),
    ],
)
def test_a_bad_file_is_refused_and_nothing_changes(
    store: Store, bundled_catalog: Catalog, tmp_path: Path, content: bytes, gist: str
) -> None:
    store.set_status([LEAF], "done")
    file = tmp_path / "synced" / "progress.json"
    file.write_bytes(content)
    before = (store.records(), store.changes(), store.setting("sync.last"))
    with pytest.raises(SyncError) as caught:
        sync_file(store, bundled_catalog, file)
    assert gist in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value).endswith("Nothing was changed")
    assert (store.records(), store.changes(), store.setting("sync.last")) == before
    assert file.read_bytes() == content


def test_a_folder_or_a_missing_folder_is_refused(
    store: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    with pytest.raises(SyncError, match="it is a folder"):
        sync_file(store, bundled_catalog, tmp_path / "synced")
    with pytest.raises(SyncError, match="does not exist"):
        sync_file(store, bundled_catalog, tmp_path / "missing" / "progress.json")
    assert store.changes() == [] and store.setting("sync.last") is None


# -- settings --------------------------------------------------------------------------------


def test_the_sync_file_setting(store: Store, bundled_catalog: Catalog, tmp_path: Path, monkeypatch) -> None:
    assert configured_file(store) is None and last_synced(store) is None
    with pytest.raises(SyncError, match="no sync file is set"):
        sync_configured(store, bundled_catalog)
    monkeypatch.chdir(tmp_path)
    chosen = set_sync_file(store, Path("synced") / "progress.json")
    assert chosen == tmp_path / "synced" / "progress.json" and chosen.is_absolute()
    assert configured_file(store) == chosen
    home = set_sync_file(store, "~/progress.json")
    assert home == Path.home() / "progress.json"
    set_sync_file(store, chosen)
    result = sync_configured(store, bundled_catalog)
    assert result.file == chosen and chosen.exists()
    assert last_synced(store) == store.clock()
    assert unset_sync_file(store) == chosen
    assert configured_file(store) is None and unset_sync_file(store) is None
    with pytest.raises(SyncError, match="does not exist; nothing was set"):
        set_sync_file(store, tmp_path / "missing" / "p.json")
    assert store.changes() == []  # settings are not part of the undo history
