"""Retired shared keys: their stored progress moves to the keys that replaced them, once.

``skills.yaml`` says where (``moved:``); :func:`tracker.actions.apply_key_moves`
does it after the store opens, backed up first and undoable, and costs one
query when there is nothing to move.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.actions import apply_key_moves
from tracker.catalog import Catalog, KeyMove, load_catalog
from tracker.loader import ParseCache
from tracker.store import Store

from .conftest import FakeClock

SKILLS = """\
skills:
  - {key: python-asyncio, title: asyncio}
  - {key: node-async, title: Node.js async}
  - {key: sql-windows, title: Window functions}
moved:
  - {from: async-programming, to: [python-asyncio, node-async, lang/go-async]}
  - {from: lang/sql-windows-old, to: [sql-windows]}
  - {from: lang/pg-windows-old, to: [sql-windows]}
"""

ROADMAP = """\
id: lang
title: Languages
sections:
  - id: lang-async
    title: Async
    children:
      - {id: py-async, title: asyncio, skill: python-asyncio}
      - {id: js-async, title: Node async, skill: node-async}
      - {id: go-async, title: Goroutines}
  - id: lang-sql
    title: SQL
    children:
      - {id: sql-windows-new, title: Window functions, skill: sql-windows}
      - {id: pg-windows-new, title: Window functions in PostgreSQL, skill: sql-windows}
"""

SPLIT_TARGETS = ("skill:python-asyncio", "skill:node-async", "lang/go-async")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    roadmaps = tmp_path / "roadmaps"
    roadmaps.mkdir()
    (roadmaps / "skills.yaml").write_text(SKILLS, encoding="utf-8")
    (roadmaps / "lang.yaml").write_text(ROADMAP, encoding="utf-8")
    return roadmaps


@pytest.fixture
def catalog(folder: Path) -> Catalog:
    loaded = load_catalog([folder])
    assert loaded.problems == []
    return loaded


def backups(store: Store) -> list[Path]:
    return sorted(store.path.parent.glob(f"{store.path.name}.keys-*.bak"))


def status_row(store: Store, key: str) -> tuple[str, str] | None:
    return store.conn.execute("SELECT status, updated FROM progress WHERE key = ?", [key]).fetchone()


def note_row(store: Store, key: str) -> tuple[str, str] | None:
    return store.conn.execute("SELECT text, updated FROM notes WHERE key = ?", [key]).fetchone()


def test_the_catalog_reads_moves_as_stored_keys(catalog: Catalog) -> None:
    assert catalog.key_moves == [
        KeyMove("skill:async-programming", SPLIT_TARGETS),
        KeyMove("lang/sql-windows-old", ("skill:sql-windows",)),
        KeyMove("lang/pg-windows-old", ("skill:sql-windows",)),
    ]


def test_moves_come_from_the_parse_cache_and_follow_edits(folder: Path, tmp_path: Path) -> None:
    cache_folder = tmp_path / "cache"
    assert len(load_catalog([folder], ParseCache(cache_folder)).key_moves) == 3
    assert list((cache_folder / "key-moves").glob("*.marshal"))
    assert len(load_catalog([folder], ParseCache(cache_folder)).key_moves) == 3
    skills = folder / "skills.yaml"
    skills.write_text(SKILLS.split("moved:")[0] + "  - {key: extra, title: Extra}\n", encoding="utf-8")
    assert load_catalog([folder], ParseCache(cache_folder)).key_moves == []


def test_a_split_gives_status_and_note_to_every_new_key(
    store: Store, catalog: Catalog, clock: FakeClock
) -> None:
    store.set_status(["skill:async-programming"], "done")
    done_at = status_row(store, "skill:async-programming")[1]
    store.set_note("skill:async-programming", "event loops everywhere")
    clock.advance(days=30)

    change = apply_key_moves(store, catalog)

    assert change is not None and change.action == "move"
    for key in SPLIT_TARGETS:
        assert status_row(store, key) == ("done", done_at)  # the day it was done survives
        assert note_row(store, key)[0] == "event loops everywhere"
    assert status_row(store, "skill:async-programming") is None
    assert note_row(store, "skill:async-programming") is None
    assert set(change.keys) == {*SPLIT_TARGETS, "skill:async-programming"}
    assert store.changes(1)[0].action == "move"


def test_the_database_is_backed_up_first_with_the_old_keys(
    store: Store, catalog: Catalog, clock: FakeClock
) -> None:
    store.set_status(["skill:async-programming"], "doing")
    apply_key_moves(store, catalog)
    [backup] = backups(store)
    assert backup.name == f"progress.db.keys-{clock().strftime('%Y%m%d%H%M%S')}.bak"
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT key, status FROM progress").fetchall() == [
            ("skill:async-programming", "doing")
        ]


def test_moving_twice_changes_nothing(store: Store, catalog: Catalog, clock: FakeClock) -> None:
    store.set_status(["skill:async-programming"], "done")
    assert apply_key_moves(store, catalog) is not None
    before = store.records()
    clock.advance(minutes=5)
    assert apply_key_moves(store, catalog) is None
    assert store.records() == before
    assert len(backups(store)) == 1
    assert len(store.changes()) == 2


def test_nothing_happens_when_no_retired_key_is_stored(store: Store, catalog: Catalog) -> None:
    store.set_status(["skill:python-asyncio", "lang/go-async"], "done")
    before = store.records()
    assert apply_key_moves(store, catalog) is None
    assert store.records() == before
    assert backups(store) == []
    assert [change.action for change in store.changes()] == ["status"]


def test_the_no_op_check_is_one_query(
    store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    assert apply_key_moves(store, catalog) is None
    store.conn.set_trace_callback(None)
    assert len(statements) == 1 and statements[0].startswith("SELECT key FROM progress WHERE key IN")
    plan = store.conn.execute(f"EXPLAIN QUERY PLAN {statements[0]}").fetchall()
    assert all("USING" in row[-1] for row in plan if row[-1].startswith(("SEARCH", "SCAN")))


def test_a_merge_keeps_the_newer_status_and_both_notes(
    store: Store, catalog: Catalog, clock: FakeClock
) -> None:
    store.set_status(["lang/sql-windows-old"], "done")
    store.set_note("lang/sql-windows-old", "OVER and PARTITION BY")
    clock.advance(days=2)
    store.set_status(["lang/pg-windows-old"], "doing")
    newer = status_row(store, "lang/pg-windows-old")
    store.set_note("lang/pg-windows-old", "frames in PostgreSQL")

    apply_key_moves(store, catalog)

    assert status_row(store, "skill:sql-windows") == newer
    assert note_row(store, "skill:sql-windows")[0] == "OVER and PARTITION BY\n\nframes in PostgreSQL"
    assert store.stored_among(["lang/sql-windows-old", "lang/pg-windows-old"]) == set()


def test_a_newer_status_on_the_new_key_wins(store: Store, catalog: Catalog, clock: FakeClock) -> None:
    store.set_status(["skill:async-programming"], "done")
    clock.advance(days=1)
    store.set_status(["skill:node-async"], "skipped")
    apply_key_moves(store, catalog)
    assert status_row(store, "skill:node-async")[0] == "skipped"
    assert status_row(store, "skill:python-asyncio")[0] == "done"


def test_undo_puts_the_old_key_back(store: Store, catalog: Catalog) -> None:
    store.set_status(["skill:async-programming"], "done")
    store.set_note("skill:async-programming", "kept")
    moved = apply_key_moves(store, catalog)
    undone = store.undo()
    assert moved is not None and undone is not None and undone.label == moved.label
    assert status_row(store, "skill:async-programming")[0] == "done"
    assert note_row(store, "skill:async-programming")[0] == "kept"
    assert store.stored_among(SPLIT_TARGETS) == set()


def test_a_key_still_in_use_is_never_moved(folder: Path, store: Store) -> None:
    skills = folder / "skills.yaml"
    skills.write_text(SKILLS + "  - {from: python-asyncio, to: [node-async]}\n", encoding="utf-8")
    catalog = load_catalog([folder])
    store.set_status(["skill:python-asyncio"], "done")
    assert apply_key_moves(store, catalog) is None
    assert status_row(store, "skill:python-asyncio")[0] == "done"
    assert backups(store) == []


def test_moves_run_in_order_so_a_key_moved_twice_arrives(folder: Path, store: Store) -> None:
    text = SKILLS.replace("moved:\n", "moved:\n  - {from: oldest-name, to: [async-programming]}\n")
    (folder / "skills.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog([folder])
    store.set_status(["skill:oldest-name"], "done")
    apply_key_moves(store, catalog)
    assert store.stored_among(["skill:oldest-name", "skill:async-programming"]) == set()
    assert [status_row(store, key)[0] for key in SPLIT_TARGETS] == ["done"] * 3


def test_a_bad_moves_list_is_a_problem_at_its_line(folder: Path) -> None:
    text = SKILLS + "  - {from: Not A Key, to: [node-async]}\n"
    (folder / "skills.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog([folder])
    [problem] = [problem for problem in catalog.problems if problem.path.name == "skills.yaml"]
    assert problem.line == 9 and "'Not A Key' is not a valid id" in problem.message
    assert catalog.key_moves == []


def test_a_warm_start_reads_the_moves_without_yaml(folder: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tracker.catalog import load_catalog\n"
        "from tracker.loader import ParseCache\n"
        f"catalog = load_catalog([Path({str(folder)!r})], ParseCache(Path({str(tmp_path / 'cache')!r})))\n"
        "print(len(catalog.key_moves), 'yaml' in sys.modules)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True) for _ in "12"
    ]
    assert [run.stdout.split() for run in runs] == [["3", "True"], ["3", "False"]]


def test_the_bundled_moves_keep_every_shipped_tick(bundled_catalog: Catalog, store: Store) -> None:
    """A learner who ticked everything in an earlier release still sees everything ticked."""
    shipped = (Path(__file__).parent / "shipped_keys.txt").read_text(encoding="utf-8").split()
    store.set_status(shipped, "done")
    for key in shipped[::50]:
        store.set_note(key, f"note on {key}")
    assert apply_key_moves(store, bundled_catalog) is not None
    stored = store.records()
    assert set(stored) <= bundled_catalog.known_keys()  # nothing left behind as an orphan
    moves = {move.source: move.targets for move in bundled_catalog.key_moves}
    for key in shipped:
        for end in moves.get(key, (key,)):
            assert stored[end].status == "done", (key, end)
    for key in shipped[::50]:
        for end in moves.get(key, (key,)):
            assert f"note on {key}" in stored[end].note, (key, end)
