"""The store: statuses, notes, history, undo, settings, shared skills and migrations."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from textwrap import dedent

import pytest
import sqlite_utils
from click.testing import CliRunner

import tracker.store
from tracker import actions
from tracker.catalog import Catalog, load_catalog
from tracker.cli import cli
from tracker.progress import ProgressIndex
from tracker.store import Store, StoreError
from tracker.stored import MAX_NOTE_BYTES, STATUSES, Record, parse_timestamp

from .conftest import FakeClock

ALPHA = """\
id: alpha
title: Alpha
sections:
  - id: basics
    title: Basics
    children:
      - id: git
        title: Git
        skill: git
      - id: shell
        title: Shell
      - id: deeper
        title: Deeper
        children:
          - id: one
            title: One
          - id: two
            title: Two
  - id: extra
    title: Extra
projects:
  - id: site
    title: A site
    level: beginner
    brief: Build it.
    milestones:
      - id: site-plan
        title: Plan
      - id: site-ship
        title: Ship
    skills: [basics]
"""

BETA = """\
id: beta
title: Beta
sections:
  - id: tools
    title: Tools
    children:
      - id: version-control
        title: Version control with Git
        skill: git
      - id: editor
        title: Editor
"""

SKILLS = "skills:\n  - key: git\n    title: Git\n"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def roadmaps(tmp_path: Path) -> Path:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "alpha.yaml").write_text(ALPHA)
    (folder / "beta.yaml").write_text(BETA)
    (folder / "skills.yaml").write_text(SKILLS)
    return folder


@pytest.fixture
def catalog(roadmaps: Path) -> Catalog:
    loaded = load_catalog([roadmaps])
    assert loaded.problems == []
    return loaded


# -- statuses, notes, history --------------------------------------------------------------


def test_new_file_is_empty_and_current(store: Store) -> None:
    assert store.schema_version == len(tracker.store.MIGRATIONS)
    assert store.statuses() == {}
    assert store.records() == {}
    assert store.changes() == []
    assert store.undo() is None
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_is_stored(store: Store, status: str) -> None:
    change = store.set_status(["a/x"], status)
    if status == "todo":
        assert change is None  # todo is what an unset key already means
        assert store.statuses() == {}
    else:
        assert change is not None and change.keys == ("a/x",)
        assert store.statuses() == {"a/x": status}


def test_unknown_status_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="use one of: todo, doing, done, skipped"):
        store.set_status(["a/x"], "finished")
    assert store.changes() == []


def test_statuses_survive_reopening(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "progress.db"
    with Store.open(path, clock) as first:
        first.set_status(["a/x", "a/y"], "done")
        first.set_status(["a/z"], "doing")
    with Store.open(path, clock) as second:
        assert second.statuses() == {"a/x": "done", "a/y": "done", "a/z": "doing"}
        assert second.statuses(["a/x", "nope"]) == {"a/x": "done"}


def test_setting_the_same_status_again_changes_nothing(store: Store) -> None:
    assert store.set_status(["a/x"], "done") is not None
    assert store.set_status(["a/x"], "done") is None
    assert len(store.changes()) == 1


def test_notes(store: Store, clock: FakeClock) -> None:
    assert store.note("a/x") == ""
    store.set_note("a/x", "first thoughts")
    clock.advance(minutes=1)
    store.set_note("a/x", "second thoughts")
    assert store.note("a/x") == "second thoughts"
    assert store.records()["a/x"] == Record("todo", None, "second thoughts", "2026-01-05T09:01:00.000Z")
    assert store.set_note("a/x", "second thoughts") is None
    clock.advance(minutes=1)
    store.set_note("a/x", "")
    assert store.note("a/x") == ""
    # a removed note keeps the time it was removed, so that a sync knows it is the newer
    assert store.records()["a/x"] == Record("todo", None, "", "2026-01-05T09:02:00.000Z")
    assert store.stored_keys() == set()


def test_history_records_every_change_with_its_time(store: Store, clock: FakeClock) -> None:
    store.set_status(["a/x"], "doing", label="start x")
    clock.advance(hours=2)
    store.set_status(["a/x", "a/y"], "done", label="finish")
    clock.advance(days=1)
    store.set_note("a/y", "hard one")
    changes = store.changes()
    assert [(c.action, c.label, c.keys) for c in changes] == [
        ("note", "note", ("a/y",)),
        ("status", "finish", ("a/x", "a/y")),
        ("status", "start x", ("a/x",)),
    ]
    assert [c.at for c in changes] == [
        "2026-01-06T11:00:00.000Z",
        "2026-01-05T11:00:00.000Z",
        "2026-01-05T09:00:00.000Z",
    ]
    assert parse_timestamp(changes[-1].at) == FakeClock().now
    assert store.status_history() == [
        ("2026-01-05T09:00:00.000Z", "a/x", "doing"),
        ("2026-01-05T11:00:00.000Z", "a/x", "done"),
        ("2026-01-05T11:00:00.000Z", "a/y", "done"),
    ]
    assert [c.label for c in store.changes(limit=1)] == ["note"]


def test_history_is_append_only(store: Store) -> None:
    store.set_status(["a/x"], "done")
    store.set_status(["a/x"], "todo")
    store.undo()
    rows = store.db.execute("SELECT key, field, old, new FROM history ORDER BY id").fetchall()
    assert rows == [
        ("a/x", "status", None, "done"),
        ("a/x", "status", "done", "todo"),
        ("a/x", "status", "todo", "done"),
    ]


def test_undo_twice_then_nothing(store: Store, clock: FakeClock) -> None:
    store.set_status(["a/x"], "done", label="x done")
    clock.advance(minutes=1)
    store.set_note("a/x", "note")
    clock.advance(minutes=1)
    store.set_status(["a/y", "a/z"], "doing", label="y and z")

    first = store.undo()
    assert first is not None and first.label == "y and z" and first.keys == ("a/z", "a/y")
    # back to todo, stored with the undo's time (a sync then knows the undo is the newer)
    assert store.statuses() == {"a/x": "done", "a/y": "todo", "a/z": "todo"}
    assert store.records()["a/y"].updated == "2026-01-05T09:02:00.000Z"
    assert store.note("a/x") == "note"

    second = store.undo()
    assert second is not None and second.label == "note"
    assert store.note("a/x") == ""
    assert store.statuses() == {"a/x": "done", "a/y": "todo", "a/z": "todo"}

    third = store.undo()
    assert third is not None and third.label == "x done"
    assert set(store.statuses().values()) == {"todo"}
    assert store.undo() is None


def test_undo_restores_the_previous_status_not_todo(store: Store) -> None:
    store.set_status(["a/x"], "doing")
    store.set_status(["a/x"], "done")
    store.undo()
    assert store.statuses() == {"a/x": "doing"}


def test_settings(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "progress.db"
    with Store.open(path, clock) as store:
        assert store.setting("theme") is None
        assert store.setting("theme", "textual-dark") == "textual-dark"
        store.set_setting("theme", "nord")
        store.set_setting("theme", "gruvbox")
        store.set_setting("pane", "tree")
        assert store.changes() == []  # not part of the undo history
    with Store.open(path, clock) as store:
        assert store.setting("theme") == "gruvbox"
        assert store.setting("pane") == "tree"


def test_in_memory_store(clock: FakeClock) -> None:
    with Store.open(":memory:", clock) as store:
        store.set_status(["a/x"], "done")
        assert store.statuses() == {"a/x": "done"}


def test_backup_is_a_copy(store: Store, tmp_path: Path) -> None:
    store.set_status(["a/x"], "done")
    written = store.backup(tmp_path / "copy.db")
    with Store.open(written) as copy:
        assert copy.statuses() == {"a/x": "done"}
    with pytest.raises(StoreError, match="does not exist"):
        store.backup(tmp_path / "missing" / "copy.db")


# -- actions on catalog nodes --------------------------------------------------------------


def test_marking_a_parent_sets_all_children_in_one_change(store: Store, catalog: Catalog) -> None:
    basics = catalog.node("alpha", "basics")
    change = actions.mark(store, basics, "done")
    assert change is not None
    assert sorted(change.keys) == ["alpha/one", "alpha/shell", "alpha/two", "skill:git"]
    assert len(store.changes()) == 1
    progress = ProgressIndex(catalog, store.statuses())
    assert progress.status(basics) == "done"
    assert progress.status(catalog.node("alpha", "deeper")) == "done"
    assert progress.status(catalog.node("alpha", "extra")) == "todo"
    # one undo takes back the whole parent
    store.undo()
    assert set(store.statuses().values()) == {"todo"}


def test_parent_status_is_derived(store: Store, catalog: Catalog) -> None:
    actions.mark(store, catalog.node("alpha", "one"), "done")
    progress = ProgressIndex(catalog, store.statuses())
    assert progress.status(catalog.node("alpha", "deeper")) == "doing"
    actions.mark(store, catalog.node("alpha", "two"), "skipped")
    progress = ProgressIndex(catalog, store.statuses())
    assert progress.status(catalog.node("alpha", "deeper")) == "done"
    actions.mark(store, catalog.node("alpha", "one"), "skipped")
    progress = ProgressIndex(catalog, store.statuses())
    assert progress.status(catalog.node("alpha", "deeper")) == "skipped"


def test_percent_is_done_over_all_but_skipped(store: Store, catalog: Catalog) -> None:
    # alpha leaves: git, shell, one, two, extra, site-plan, site-ship = 7
    actions.mark(store, catalog.node("alpha", "git"), "done")
    actions.mark(store, catalog.node("alpha", "site"), "done")
    actions.mark(store, catalog.node("alpha", "extra"), "skipped")
    actions.mark(store, catalog.node("alpha", "shell"), "doing")
    counts = ProgressIndex(catalog, store.statuses()).roadmap("alpha")
    assert (counts.total, counts.done, counts.skipped, counts.doing) == (7, 3, 1, 1)
    assert counts.percent == pytest.approx(100 * 3 / 6)


def test_shared_skill_key_ticks_in_both_roadmaps(store: Store, catalog: Catalog) -> None:
    in_alpha = catalog.node("alpha", "git")
    in_beta = catalog.node("beta", "version-control")
    assert in_alpha.key == in_beta.key == "skill:git"
    actions.mark(store, in_beta, "done")
    progress = ProgressIndex(catalog, store.statuses())
    assert progress.status(in_alpha) == "done"
    assert progress.roadmap("alpha").done == 1
    assert progress.roadmap("beta").done == 1
    assert progress.overall().total == len(catalog.known_keys())
    assert progress.overall().done == 1  # counted once overall
    assert catalog.nodes_with_key("skill:git") == [in_alpha, in_beta]


def test_notes_on_nodes(store: Store, catalog: Catalog) -> None:
    actions.set_note(store, catalog.node("alpha", "git"), "rebase!")
    assert store.note(catalog.node("beta", "version-control").key) == "rebase!"
    actions.set_note(store, catalog.node("alpha", "basics"), "a parent's note")
    assert store.note("alpha/basics") == "a parent's note"


def test_reset_roadmap_is_undoable(store: Store, catalog: Catalog) -> None:
    actions.mark(store, catalog.node("alpha", "basics"), "done")
    actions.reset_roadmap(store, catalog, "alpha")
    assert store.statuses() == {key: "todo" for key in store.statuses()}
    store.undo()
    assert set(store.statuses().values()) == {"done"}


def test_unicode_and_largest_notes_come_back_exactly(store: Store, tmp_path: Path) -> None:
    notes = {
        "k/emoji": "🎉 done! 👩🏽‍💻 family: 👨‍👩‍👧‍👦 flags: 🇳🇱🇯🇵",
        "k/scripts": "日本語 · 中文 · 한국어 · العربية · עברית · हिन्दी · ไทย · Ελληνικά · Русский",
        "k/combining": "e\u0301 vs \u00e9, zero\u200bwidth, bidi \u202eevil\u202c",
        "k/newlines": "line one\r\nline two\rline three\n\n\ttabbed \x00 nul",
        "k/big": ("0123456789abcdef" * 65535) + "end",
        "k/sql": "'; DROP TABLE notes; --",
    }
    assert MAX_NOTE_BYTES - 16 < len(notes["k/big"].encode()) <= MAX_NOTE_BYTES
    for key, text in notes.items():
        store.set_note(key, text)
    path = store.path
    store.close()
    with Store.open(path) as again:
        for key, text in notes.items():
            equal = again.note(key) == text  # no pytest diff of a megabyte
            assert equal, key


# -- migrations ----------------------------------------------------------------------------


def test_migrations_back_up_then_run_in_order(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.db"
    with Store.open(path, clock) as old:
        old.set_status(["a/x"], "done")
        old.set_note("a/x", "kept")

    ran: list[str] = []
    base = len(tracker.store.MIGRATIONS)

    def add_tags(db: sqlite_utils.Database) -> None:
        ran.append("v2")
        db["tags"].create({"key": str, "tag": str}, pk=("key", "tag"))

    def add_column(db: sqlite_utils.Database) -> None:
        ran.append("v3")
        assert db["tags"].exists()  # step 2 ran first
        db["tags"].add_column("colour", str)

    monkeypatch.setattr(tracker.store, "MIGRATIONS", [*tracker.store.MIGRATIONS, add_tags, add_column])
    clock.advance(days=1)
    with Store.open(path, clock) as migrated:
        assert ran == ["v2", "v3"]
        assert migrated.schema_version == base + 2
        assert migrated.statuses() == {"a/x": "done"}
        assert migrated.note("a/x") == "kept"
        assert "colour" in migrated.db["tags"].columns_dict

    backup = tmp_path / f"progress.db.v{base}-20260106090000.bak"
    assert backup.exists()
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == base
        assert copy.execute("SELECT key, status FROM progress").fetchall() == [("a/x", "done")]

    with Store.open(path, clock):
        assert ran == ["v2", "v3"]  # nothing runs twice


def test_a_new_file_needs_no_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []
    steps = [lambda db, n=n: ran.append(n) for n in (2, 3)]
    base = len(tracker.store.MIGRATIONS)
    monkeypatch.setattr(tracker.store, "MIGRATIONS", [*tracker.store.MIGRATIONS, *steps])
    with Store.open(tmp_path / "fresh.db") as store:
        assert store.schema_version == base + 2
    assert ran == [2, 3]
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == []


def test_failed_migration_changes_nothing(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.db"
    with Store.open(path, clock) as old:
        old.set_status(["a/x"], "done")

    def half_then_fail(db: sqlite_utils.Database) -> None:
        db["half"].create({"id": int})
        raise RuntimeError("step failed")

    monkeypatch.setattr(tracker.store, "MIGRATIONS", [*tracker.store.MIGRATIONS, half_then_fail])
    with pytest.raises(RuntimeError):
        Store.open(path, clock)
    monkeypatch.undo()
    with Store.open(path, clock) as store:
        assert store.schema_version == len(tracker.store.MIGRATIONS)
        assert not store.db["half"].exists()
        assert store.statuses() == {"a/x": "done"}
    assert list(tmp_path.glob(f"progress.db.v{len(tracker.store.MIGRATIONS)}-*.bak"))


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    with Store.open(path) as store:
        store.set_status(["a/x"], "done")
        store.db.execute("PRAGMA user_version = 99")
    before = sha(path)
    with pytest.raises(StoreError, match="newer tracker") as caught:
        Store.open(path)
    assert "untouched" in str(caught.value)
    assert sha(path) == before
    assert not list(tmp_path.glob("*.bak"))


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    before = sha(path)
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)
    assert sha(path) == before


# -- orphans -------------------------------------------------------------------------------


def test_orphans_are_kept_and_reported_by_doctor(tmp_path: Path, roadmaps: Path) -> None:
    db = tmp_path / "progress.db"
    base = ["--db", str(db), "--roadmaps", str(roadmaps)]
    runner = CliRunner()
    assert runner.invoke(cli, [*base, "mark", "alpha", "shell", "done"]).exit_code == 0
    assert runner.invoke(cli, [*base, "note", "alpha", "extra", "keep me"]).exit_code == 0
    result = runner.invoke(cli, [*base, "doctor"])
    assert result.exit_code == 0, result.output
    assert "orphaned progress: none" in result.stdout

    # the item is removed from the YAML; a title change alone must not orphan anything
    text = ALPHA.replace("      - id: shell\n        title: Shell\n", "")
    text = text.replace("title: Extra", "title: Extra renamed")
    (roadmaps / "alpha.yaml").write_text(text)
    result = runner.invoke(cli, [*base, "doctor"])
    assert result.exit_code == 0, result.output
    assert "integrity: ok" in result.stdout
    assert f"schema version: {tracker.store.SCHEMA_VERSION}" in result.stdout
    assert "orphaned progress: 1 key(s)" in result.stdout
    assert "  alpha/shell\n" in result.stdout
    with Store.open(db) as store:
        assert store.statuses() == {"alpha/shell": "done"}  # kept, never deleted
        assert store.note("alpha/extra") == "keep me"


def test_doctor_reports_roadmap_problems(tmp_path: Path, roadmaps: Path) -> None:
    (roadmaps / "broken.yaml").write_text(dedent("id: broken\ntitle: [\n"))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), "--roadmaps", str(roadmaps), "doctor"])
    assert f"! {roadmaps / 'broken.yaml'}:" in result.stdout


def test_many_connections_creating_one_file_at_once(tmp_path: Path) -> None:
    """SQLite answers "locked" at once (no busy wait) to a WAL switch racing a creation."""
    failures: list[BaseException] = []
    for round_number in range(40):
        path = tmp_path / f"race-{round_number}.db"
        start = threading.Barrier(3)

        def open_and_mark(path: Path = path, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                with Store.open(path) as store:
                    store.set_status([f"k/{threading.get_ident()}"], "done")
            except BaseException as error:  # collected for the assertion below
                failures.append(error)

        threads = [threading.Thread(target=open_and_mark) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        with Store.open(path) as store:
            assert len(store.statuses()) == 3
