"""``tracker sync`` (issue 13): the command, bad files, concurrent syncs, and SIGKILL mid-sync.

Bad files are refused with one line and the sha256 of both the database and
the file unchanged. Real processes sync one file at once (with and without
the lock that serialises them on one machine), and syncs killed at any point
leave the file whole (old or new) and the database all or nothing; one more
round brings everything together.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tracker.catalog import Catalog
from tracker.reports.restore import parse_export
from tracker.store import PastChange, Step, Store
from tracker.sync import SYNC_FILE, sync_file

from .conftest import FakeClock
from .test_cli import assert_error, ok, run, sha

ROADMAP = "backend-server"
ITEMS = ("cli-http-tools", "config-per-environment", "server-request-lifecycle", "vcs-merge-rebase")

pytestmark = pytest.mark.usefixtures("warm_cache")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    synced = tmp_path / "synced"
    synced.mkdir()
    return synced


def fingerprint(*paths: Path) -> dict[str, str | None]:
    """The sha256 of each file and of a database's journal files beside it (``None``: absent)."""
    found: dict[str, str | None] = {}
    for path in paths:
        for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            found[str(each)] = sha(each) if each.is_file() else None
    return found


# -- the command -----------------------------------------------------------------------------


def test_set_unset_and_the_configured_file(tmp_path: Path, folder: Path, monkeypatch) -> None:
    db = tmp_path / "a.db"
    ok(run("--db", db, "mark", ROADMAP, ITEMS[0], "done"))
    assert_error(run("--db", db, "sync"), "no sync file is set", "tracker sync --set PATH")
    monkeypatch.chdir(tmp_path)
    assert ok(run("--db", db, "sync", "--set", "synced/progress.json")) == (
        f"sync file set to {folder / 'progress.json'}; 'tracker sync' merges with it\n"
    )
    out = ok(run("--db", db, "sync"))
    assert out == f"synced with {folder / 'progress.json'}: nothing new here; the file created\n"
    assert parse_export((folder / "progress.json").read_bytes(), "f").records[f"{ROADMAP}/{ITEMS[0]}"]
    assert ok(run("--db", db, "sync", "--set", "~/elsewhere.json")).startswith(
        f"sync file set to {Path.home() / 'elsewhere.json'};"
    )
    with Store.open(db) as store:
        assert store.setting(SYNC_FILE) == str(Path.home() / "elsewhere.json")
    assert (
        ok(run("--db", db, "sync", "--unset"))
        == f"sync file unset (it was {Path.home() / 'elsewhere.json'})\n"
    )
    assert ok(run("--db", db, "sync", "--unset")) == "no sync file was set\n"
    assert_error(run("--db", db, "sync", "x.json", "--unset"), "one at a time")
    assert_error(
        run("--db", db, "sync", "--set", tmp_path / "missing" / "p.json"), "does not exist", "nothing was set"
    )


def test_two_databases_sync_through_the_command_and_undo_one_sync(tmp_path: Path, folder: Path) -> None:
    a, b, file = tmp_path / "a.db", tmp_path / "b.db", folder / "progress.json"
    ok(run("--db", a, "mark", ROADMAP, ITEMS[0], "done"))
    ok(run("--db", a, "note", ROADMAP, ITEMS[0], "written on a"))
    ok(run("--db", a, "sync", file))
    time.sleep(0.01)  # the real clock: b's note is the newer
    ok(run("--db", b, "mark", ROADMAP, ITEMS[1], "doing"))
    ok(run("--db", b, "note", ROADMAP, ITEMS[0], "written on b"))
    lines = ok(run("--db", b, "sync", file)).splitlines()
    assert lines[0].startswith(f"synced with {file}: 1 item updated here")
    assert lines[0].endswith("; the file updated; 1 note(s) changed on both devices")
    assert lines[1] == (
        "note on 'Calling APIs from the terminal with curl and jq' changed on both devices; "
        "kept the newer, the other is in its history"
    )
    assert "2 items updated here" in ok(run("--db", a, "sync", file))
    assert ok(run("--db", a, "note", ROADMAP, ITEMS[0])) == "written on b\n"
    undone = ok(run("--db", a, "undo"))
    assert undone.startswith("undid: ") and "the note on" in undone
    assert ok(run("--db", a, "note", ROADMAP, ITEMS[0])) == "written on a\n"
    with Store.open(a) as store:
        assert store.statuses().get(f"{ROADMAP}/{ITEMS[1]}", "todo") == "todo"


@pytest.mark.parametrize(
    ("content", "gist"),
    [
        (b"", "the file is empty"),
        (b"{\n", "the file looks truncated"),
        (b'{"format": "tracker-progress", "version": 3, "progress": [{"key": "a/b"', "looks truncated"),
        (b"not json at all", "not valid JSON"),
        (b'{"name": "package.json", "version": "1.0.0"}', 'has no "format" field'),
        (b'{"format": "tracker-progress", "version": 4, "progress": []}', "version 4 export"),
        (
            b'{"format": "tracker-progress", "version": 3, "progress": [{"key": "a/b", "status": "??"}]}',
            "status",
        ),
    ],
)
def test_a_bad_file_changes_neither_the_database_nor_the_file(
    tmp_path: Path, folder: Path, content: bytes, gist: str
) -> None:
    db, file = tmp_path / "a.db", folder / "progress.json"
    ok(run("--db", db, "mark", ROADMAP, ITEMS[0], "done"))
    ok(run("--db", db, "sync", "--set", file))
    file.write_bytes(content)
    before = fingerprint(db, file)
    for args in (["sync"], ["sync", file]):
        line = assert_error(run("--db", db, *args), gist)
        assert line.startswith(f"tracker: {file}") and line.endswith("Nothing was changed")
        assert fingerprint(db, file) == before


def test_a_folder_and_an_unreadable_file_are_refused(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, file = tmp_path / "a.db", folder / "progress.json"
    ok(run("--db", db, "mark", ROADMAP, ITEMS[0], "done"))
    ok(run("--db", db, "sync", file))
    before = fingerprint(db, file)
    assert_error(run("--db", db, "sync", folder), "it is a folder", "nothing was changed")
    real = Path.read_bytes

    def refused(path: Path) -> bytes:
        if path == file:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refused)  # root reads a chmod 000 file anyway
    assert_error(
        run("--db", db, "sync", file), f"cannot read {file}: Permission denied", "Nothing was changed"
    )
    monkeypatch.undo()
    assert fingerprint(db, file) == before


# -- real processes ----------------------------------------------------------------------------


def seed(path: Path, clock: FakeClock, item: str, note: str) -> None:
    with Store.open(path, clock) as store:
        store.set_status([f"{ROADMAP}/{item}"], "done")
        store.set_note(f"{ROADMAP}/{item}", note)


@pytest.mark.parametrize("locked", [True, False], ids=["one-lock", "no-lock"])
def test_concurrent_syncs_of_one_file_lose_nothing(
    tmp_path: Path, folder: Path, bundled_catalog, locked
) -> None:
    """Four devices (one process each) sync one file at once. With the lock they take turns; without
    it (each its own temporary folder, as on separate machines) the re-read before the rename
    catches the others' writes. Then one more round brings every device everything."""
    file, clock = folder / "progress.json", FakeClock()
    dbs = []
    for number, item in enumerate(ITEMS):
        clock.advance(minutes=1)
        dbs.append(tmp_path / f"device-{number}.db")
        seed(dbs[-1], clock, item, f"note from device {number}")
    children = []
    for number, db in enumerate(dbs):
        env = dict(os.environ)
        if not locked:
            (tmp_path / f"tmp-{number}").mkdir()
            env["TMPDIR"] = str(tmp_path / f"tmp-{number}")
        children.append(
            subprocess.Popen(
                [sys.executable, "-m", "tracker", "--db", str(db), "sync", str(file)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
        )
    for child in children:
        out, err = child.communicate(timeout=120)
        if locked or child.returncode == 0:
            assert child.returncode == 0, err
            assert out.startswith(b"synced with ") and err == b""
        else:  # five versions of the file in a row, each written while this one merged
            assert err.decode().startswith("tracker: ") and "kept changing" in err.decode()
    parse_export(file.read_bytes(), "after")  # whole, whatever happened
    stores = [Store.open(db) for db in dbs]
    try:
        for store in stores + stores:
            sync_file(store, bundled_catalog, file)
        keys = {f"{ROADMAP}/{item}" for item in ITEMS}
        for store in stores:
            assert store.statuses() == dict.fromkeys(keys, "done")
            assert {store.note(f"{ROADMAP}/{item}") for item in ITEMS} == {
                f"note from device {n}" for n in range(len(ITEMS))
            }
            assert store.records() == stores[0].records()
        assert parse_export(file.read_bytes(), "f").records.keys() >= keys
    finally:
        for store in stores:
            store.close()
    assert not list(folder.glob(".*.partial"))


def big_device(path: Path, clock: FakeClock, changes: int) -> None:
    """A database with ``changes`` past changes (one transaction, through a merge) and a tick."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    history = [
        PastChange(
            (start + timedelta(minutes=n)).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "status",
            f"item {n}",
            (Step(f"bulk/item-{n % 500}", "status", None, "done"),),
        )
        for n in range(changes)
    ]
    with Store.open(path, clock) as store:
        store.merge({}, "history", history)
        store.set_status([f"{ROADMAP}/{ITEMS[0]}"], "done")


def test_sigkill_at_any_point_leaves_the_file_whole_and_a_resync_converges(
    tmp_path: Path, folder: Path, bundled_catalog: Catalog
) -> None:
    clock = FakeClock()
    pristine_a, pristine_b = tmp_path / "a.db", tmp_path / "b.db"
    big_device(pristine_a, clock, 6_000)
    clock.advance(minutes=1)
    seed(pristine_b, clock, ITEMS[1], "b's note")
    pristine_file = tmp_path / "pristine.json"
    with Store.open(pristine_b, clock) as b:
        sync_file(b, bundled_catalog, pristine_file)
    old = pristine_file.read_bytes()

    def start(db: Path, file: Path) -> tuple[subprocess.Popen, float]:
        db.write_bytes(pristine_a.read_bytes())
        file.write_bytes(old)
        child = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--db", str(db), "sync", str(file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        return child, time.monotonic()

    child, began = start(tmp_path / "timed.db", folder / "timed.json")
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    whole = time.monotonic() - began
    merged = Store.open(tmp_path / "timed.db")
    expected = merged.statuses()
    merged.close()
    assert {f"{ROADMAP}/{ITEMS[0]}", f"{ROADMAP}/{ITEMS[1]}"} <= expected.keys()

    outcomes = set()
    for number, fraction in enumerate((0.2, 0.5, 0.75, 0.9, 0.97)):
        db, file = tmp_path / f"killed-{number}.db", folder / f"killed-{number}.json"
        child, began = start(db, file)
        time.sleep(max(0.0, whole * fraction - (time.monotonic() - began)))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        now = file.read_bytes()
        if now == old:
            outcomes.add("old file")
        else:  # the new file, whole
            assert parse_export(now, "new").records.keys() >= {
                f"{ROADMAP}/{ITEMS[0]}",
                f"{ROADMAP}/{ITEMS[1]}",
            }
            outcomes.add("new file")
        with Store.open(db) as store:
            assert store.integrity() == ["ok"]
            statuses = store.statuses()
            assert statuses in ({f"{ROADMAP}/{ITEMS[0]}": "done"}, expected)  # all or nothing
            outcomes.add("merged" if statuses == expected else "not merged")
            again = sync_file(store, bundled_catalog, file)
            assert store.statuses() == expected
            assert sync_file(store, bundled_catalog, file).change is None
        assert json.loads(file.read_bytes())["format"] == "tracker-progress"
        assert again.file == file
    assert {"old file", "not merged"} <= outcomes  # the early kills; the later ones depend on timing
