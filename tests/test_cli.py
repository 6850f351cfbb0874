"""The command line on top of the store: every fault of issue 3 gives one clear line.

Most tests go through click's ``CliRunner``; the ones where a real process matters
(stdin bytes, SIGKILL, two writers, module imports) run ``python`` in a subprocess.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import tracker.database
import tracker.store
from tracker.catalog import load_catalog
from tracker.cli import cli
from tracker.locations import bundled_roadmaps_dir, data_dir
from tracker.store import Store
from tracker.stored import MAX_NOTE_BYTES

ROADMAP = "backend-server"
LEAF = "cli-http-tools"  # a leaf of the master roadmap with no shared key
PARENT = "cli-scripting"  # the competency LEAF belongs to, with five sub-skills

pytestmark = pytest.mark.usefixtures("warm_cache")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


def run(*args: str | Path, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def ok(result: Result) -> str:
    """Standard output of a command that succeeded, exactly (``Result.stdout`` folds CRLF)."""
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout_bytes.decode()


def same(actual: str | bytes, expected: str | bytes) -> None:
    """Equal, without asking pytest to diff megabytes."""
    equal = actual == expected
    assert equal, f"differ: {len(actual)} vs {len(expected)} long; starts {actual[:80]!r}"


def assert_error(result: Result, *gist: str) -> str:
    """One line on stderr, a non-zero exit, no traceback; returns the line."""
    assert result.exit_code != 0, result.output
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("tracker: ")
    for part in gist:
        assert part in line, line
    return line


def stored(path: Path) -> tuple[dict[str, str], int]:
    """Statuses and the number of changes in a database file."""
    with Store.open(path) as store:
        return store.statuses(), len(store.changes())


# -- the commands --------------------------------------------------------------------------


def test_mark_status_roadmaps_undo(db: Path) -> None:
    assert ok(run("--db", db, "mark", ROADMAP, LEAF, "done")) == f"{ROADMAP}/{LEAF} -> done (1 item)\n"
    assert ok(run("--db", db, "mark", ROADMAP, LEAF, "done")) == "nothing changed\n"
    assert ok(run("--db", db, "mark", ROADMAP, PARENT, "doing")).endswith("(5 items)\n")

    overview = ok(run("--db", db, "status"))
    assert overview.splitlines()[0].startswith("Overall")
    assert "Backend & Server Development" in overview
    summary = ok(run("--db", db, "status", ROADMAP))
    assert "Tier 1: Fundamentals" in summary and "░" in summary
    assert "In progress:" in summary and "cli-shell-basics" in summary

    listing = ok(run("--db", db, "roadmaps")).splitlines()
    assert len(listing) == 23
    assert listing[0].split()[0] == ROADMAP

    assert ok(run("--db", db, "undo")) == "undid: 5 items: 4 doing → todo, 1 doing → done\n"
    assert {k: v for k, v in stored(db)[0].items() if v != "todo"} == {f"{ROADMAP}/{LEAF}": "done"}
    title = load_catalog([bundled_roadmaps_dir()]).node(ROADMAP, LEAF).title
    assert ok(run("--db", db, "undo")) == f"undid: '{title}': done → todo\n"
    assert ok(run("--db", db, "undo")) == "nothing to undo\n"
    assert set(stored(db)[0].values()) == {"todo"}  # stored with the undo's time (for a sync)


def test_status_word_is_case_insensitive(db: Path) -> None:
    ok(run("--db", db, "mark", ROADMAP, LEAF, " Skipped "))
    assert stored(db)[0] == {f"{ROADMAP}/{LEAF}": "skipped"}


def test_marking_a_project_sets_its_milestones(db: Path) -> None:
    ok(run("--db", db, "mark", ROADMAP, "proj-blog-api", "done"))
    statuses = stored(db)[0]
    assert len(statuses) >= 3 and set(statuses.values()) == {"done"}


def test_note_set_print_and_remove(db: Path) -> None:
    ok(run("--db", db, "note", ROADMAP, LEAF, "read RFC 9113 ✓"))
    assert ok(run("--db", db, "note", ROADMAP, LEAF)) == "read RFC 9113 ✓\n"
    ok(run("--db", db, "note", ROADMAP, LEAF, ""))
    assert ok(run("--db", db, "note", ROADMAP, LEAF)) == "\n"


def test_default_database_goes_to_the_data_folder() -> None:
    ok(run("mark", ROADMAP, LEAF, "done"))
    assert (data_dir() / "progress.db").is_file()


def test_tracker_db_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    ok(run("mark", ROADMAP, LEAF, "done"))
    assert stored(path)[0] == {f"{ROADMAP}/{LEAF}": "done"}


def test_backup_command(db: Path, tmp_path: Path) -> None:
    ok(run("--db", db, "mark", ROADMAP, LEAF, "done"))
    dest = tmp_path / "copy.db"
    assert ok(run("--db", db, "backup", dest)) == f"backup written to {dest}\n"
    assert stored(dest)[0] == {f"{ROADMAP}/{LEAF}": "done"}
    folder = tmp_path / "backups"
    folder.mkdir()
    ok(run("--db", db, "backup", folder))
    assert (folder / "progress-backup.db").is_file()
    ok(run("--db", db, "backup"))
    assert list(tmp_path.glob("progress-backup-*.db"))
    assert_error(run("--db", db, "backup", tmp_path / "no" / "such" / "copy.db"), "does not exist")


def test_doctor_on_a_healthy_file(db: Path) -> None:
    ok(run("--db", db, "mark", ROADMAP, LEAF, "done"))
    out = ok(run("--db", db, "doctor"))
    assert "integrity: ok" in out
    assert f"schema version: {tracker.store.SCHEMA_VERSION}" in out
    assert "roadmaps: 23 loaded, 0 problem(s)" in out
    assert "orphaned progress: none" in out


# -- bad input -----------------------------------------------------------------------------


def test_unknown_roadmap_offers_closest_ids(db: Path) -> None:
    line = assert_error(run("--db", db, "mark", "backend-servr", LEAF, "done"), "no roadmap 'backend-servr'")
    assert "did you mean 'backend-server'" in line
    assert_error(run("--db", db, "status", "pyton"), "did you mean 'python'")
    assert_error(run("--db", db, "note", "golang-x", "goroutines", "x"), "'golang'")
    assert not db.exists()  # nothing opened, nothing created


def test_unknown_item_offers_closest_ids(db: Path) -> None:
    line = assert_error(
        run("--db", db, "mark", ROADMAP, "cli-http-tool", "done"),
        f"no item 'cli-http-tool' in roadmap '{ROADMAP}'",
    )
    assert f"did you mean '{LEAF}'" in line
    assert_error(run("--db", db, "note", ROADMAP, "autentication", "x"), "'authentication'")


def test_unknown_status_lists_valid_ones(db: Path) -> None:
    assert_error(
        run("--db", db, "mark", ROADMAP, LEAF, "finished"),
        "unknown status 'finished'",
        "todo, doing, done, skipped",
    )
    assert not db.exists()


def test_database_folder_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "no" / "such" / "progress.db"
    assert_error(run("--db", path, "mark", ROADMAP, LEAF, "done"), "does not exist", str(path.parent))
    monkeypatch.setenv("TRACKER_DB", str(path))
    assert_error(run("status"), "does not exist")
    assert not (tmp_path / "no").exists()  # an explicit path's folder is never created


def test_database_path_is_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("--db", tmp_path, "status")  # click's own check of the option
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.setenv("TRACKER_DB", str(tmp_path))
    assert_error(run("status"), "is a folder")


@pytest.mark.parametrize("folder", ["/proc", "/proc/self"])
def test_database_folder_not_writable_proc(folder: str) -> None:
    """Nobody, not even root, can create a file in /proc."""
    path = Path(folder) / "tracker-test-progress.db"
    assert_error(run("--db", path, "mark", ROADMAP, LEAF, "done"), "not writable")
    assert not path.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_database_folder_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert_error(run("--db", folder / "progress.db", "mark", ROADMAP, LEAF, "done"), "not writable")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only files")
def test_database_file_read_only(db: Path) -> None:
    ok(run("--db", db, "mark", ROADMAP, LEAF, "done"))
    db.chmod(0o444)
    try:
        before = sha(db)
        result = run("--db", db, "mark", ROADMAP, PARENT, "done")
        assert_error(result, str(db))
        assert sha(db) == before
    finally:
        db.chmod(0o644)


def real_database(path: Path, marks: int = 400) -> Path:
    """A real tracker file with enough history to span many pages."""
    with Store.open(path) as store:
        for index in range(marks):
            store.set_status([f"test/item-{index}"], "done")
            store.set_note(f"test/item-{index}", f"note {index} " * 20)
    return path


@pytest.mark.parametrize("command", [["status"], ["mark", ROADMAP, LEAF, "done"], ["doctor"], ["undo"]])
def test_random_bytes_are_refused_untouched(db: Path, command: list[str]) -> None:
    db.write_bytes(os.urandom(64 * 1024))
    before = sha(db)
    assert_error(run("--db", db, *command), "not a readable tracker database", "start fresh", "untouched")
    assert sha(db) == before


@pytest.mark.parametrize("keep", [0.5, 0.1, 4096])
@pytest.mark.parametrize("command", [["status"], ["mark", ROADMAP, LEAF, "done"], ["doctor"]])
def test_truncated_database_is_refused_untouched(db: Path, keep: float, command: list[str]) -> None:
    real_database(db)
    data = db.read_bytes()
    assert len(data) > 100_000
    db.write_bytes(data[: int(len(data) * keep) if keep < 1 else int(keep)])
    before = sha(db)
    assert_error(run("--db", db, *command), "not a readable tracker database", "start fresh", "untouched")
    assert sha(db) == before


def damage_table(path: Path, table: str) -> None:
    """Overwrite the page type of ``table``'s root page with a value no b-tree page has."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()
    connection.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size + (100 if root == 1 else 0))
        file.write(b"\x07")


def test_damaged_progress_is_refused_at_open_untouched(db: Path) -> None:
    real_database(db)
    damage_table(db, "progress")
    before = sha(db)
    assert_error(run("--db", db, "status"), "not a readable tracker database", "untouched")
    assert sha(db) == before


def test_damaged_change_log_keeps_progress_readable_and_doctor_finds_it(db: Path) -> None:
    """Every open checks the progress tables; the log, which grows with every tick, is checked by
    doctor and reported by SQLite when read."""
    real_database(db)
    damage_table(db, "history")
    ok(run("--db", db, "status"))
    with Store.open(db) as store:  # the progress is read from its own, healthy tables
        assert len(store.statuses()) == 400
    assert_error(run("--db", db, "doctor"))
    assert_error(run("--db", db, "stats"), "not a readable tracker database")


def test_corrupt_message_names_a_way_out(db: Path, tmp_path: Path) -> None:
    db.write_bytes(b"not sqlite at all\n" * 100)
    line = assert_error(run("--db", db, "status"))
    assert f"mv '{db}' '{db}.broken'" in line and "--db NEW_FILE" in line
    # following the advice works
    db.rename(tmp_path / "progress.db.broken")
    ok(run("--db", db, "mark", ROADMAP, LEAF, "done"))


def test_locked_database_gives_a_clear_message_and_writes_nothing(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run("--db", db, "mark", ROADMAP, LEAF, "done"))
    monkeypatch.setattr(tracker.database, "BUSY_TIMEOUT_SECONDS", 0.3)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        result = run("--db", db, "mark", ROADMAP, PARENT, "done")
        waited = time.monotonic() - started
        assert_error(result, "locked by another program", "waited 0.3s", "nothing was changed")
        assert 0.3 <= waited < 5
        assert_error(run("--db", db, "note", ROADMAP, LEAF, "a note"), "locked")
        assert_error(run("--db", db, "undo"), "locked")
        # readers are not blocked by a writer (WAL)
        assert "Overall" in ok(run("--db", db, "status"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    statuses, changes = stored(db)
    assert statuses == {f"{ROADMAP}/{LEAF}": "done"}
    assert changes == 1
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM history").fetchone()[0] == 1
        assert check.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_lock_released_within_the_busy_timeout_is_waited_for(db: Path) -> None:
    ok(run("--db", db, "mark", ROADMAP, LEAF, "done"))
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        started = time.monotonic()
        ok(run("--db", db, "mark", ROADMAP, PARENT, "done"))
        assert time.monotonic() - started >= 0.4
    finally:
        release.join()
        other.close()
    assert len(stored(db)[0]) == 5


def tight_store(monkeypatch: pytest.MonkeyPatch, spare_pages: int = 0) -> None:
    """Every store the CLI opens may not grow its file: a full disk."""
    original = Store.open.__func__

    def open_full(cls, *args, **kwargs):
        store = original(cls, *args, **kwargs)
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_full))


def test_disk_full_gives_one_error_and_loses_nothing(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run("--db", db, "mark", ROADMAP, LEAF, "done"))
    ok(run("--db", db, "note", ROADMAP, LEAF, "my old note"))
    before_statuses, before_changes = stored(db)

    tight_store(monkeypatch)
    big = "x" * (1024 * 1024)
    assert_error(run("--db", db, "note", ROADMAP, LEAF, "-", input=big), "disk full", "nothing was changed")
    monkeypatch.undo()

    assert stored(db) == (before_statuses, before_changes)
    assert ok(run("--db", db, "note", ROADMAP, LEAF)) == "my old note\n"
    assert "integrity: ok" in ok(run("--db", db, "doctor"))
    ok(run("--db", db, "note", ROADMAP, LEAF, "-", input=big))  # room again: it fits
    same(ok(run("--db", db, "note", ROADMAP, LEAF)), big + "\n")


def test_store_disk_full_keeps_the_transaction_whole(store: Store) -> None:
    store.set_status(["a/1"], "done")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(tracker.store.StoreError, match="disk full"):
        store.set_status([f"b/{index}-{'k' * 200}" for index in range(2000)], "done")
    assert store.statuses() == {"a/1": "done"}
    assert len(store.changes()) == 1
    assert store.integrity() == ["ok"]
    store.set_status(["a/2"], "done")  # the connection still works
    assert len(store.statuses()) == 2


# -- notes: any text, any size -------------------------------------------------------------

NOTES = [
    "🎉 done! 👩🏽‍💻 👨‍👩‍👧‍👦 🇳🇱",
    "日本語 中文 한국어 العربية עברית हिन्दी ไทย Ελληνικά Русский ქართული",
    "combining e\u0301, zero\u200bwidth, bidi \u202eevil\u202c, CJK ext 𠜎𠜱",
    "line one\r\nline two\n\n\ttabbed   \n",
]


@pytest.mark.parametrize("text", NOTES)
def test_unicode_note_as_argument(db: Path, text: str) -> None:
    ok(run("--db", db, "note", ROADMAP, LEAF, text))
    assert ok(run("--db", db, "note", ROADMAP, LEAF)) == text + "\n"


def test_note_up_to_the_limit_from_stdin(db: Path) -> None:
    unit = "".join(NOTES)
    text = unit * (MAX_NOTE_BYTES // len(unit.encode()))
    assert MAX_NOTE_BYTES - len(unit.encode()) < len(text.encode()) <= MAX_NOTE_BYTES
    ok(run("--db", db, "note", ROADMAP, LEAF, "-", input=text.encode()))
    same(ok(run("--db", db, "note", ROADMAP, LEAF)), text + "\n")
    with Store.open(db) as store:
        same(store.note(f"{ROADMAP}/{LEAF}"), text)


def test_note_over_the_limit_is_refused(db: Path) -> None:
    ok(run("--db", db, "note", ROADMAP, LEAF, "kept"))
    result = run("--db", db, "note", ROADMAP, LEAF, "-", input=b"x" * (MAX_NOTE_BYTES + 1))
    assert result.exit_code == 1
    assert "at most 1 MiB" in result.output and "nothing was changed" in result.output
    assert len(result.output.strip().splitlines()) == 1
    with Store.open(db) as store:
        assert store.note(f"{ROADMAP}/{LEAF}") == "kept"
    fresh = db.with_name("fresh.db")
    result = run("--db", fresh, "note", ROADMAP, LEAF, "-", input=b"x" * (MAX_NOTE_BYTES + 1))
    assert result.exit_code == 1 and not fresh.exists()


def tracker_process(*args: str | Path, input: bytes | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "tracker", *map(str, args)],
        input=input,
        capture_output=True,
        env=env,
        timeout=60,
    )


def test_note_from_real_stdin_keeps_every_byte(db: Path) -> None:
    text = "\n".join(NOTES) + "\r\n" + "x" * (MAX_NOTE_BYTES // 2) + "\n\n"
    done = tracker_process("--db", db, "note", ROADMAP, LEAF, "-", input=text.encode())
    assert done.returncode == 0, done.stderr
    shown = tracker_process("--db", db, "note", ROADMAP, LEAF)
    assert shown.returncode == 0, shown.stderr
    same(shown.stdout, text.encode() + b"\n")


def test_note_stdin_that_is_not_utf8(db: Path) -> None:
    assert_error(run("--db", db, "note", ROADMAP, LEAF, "-", input=b"caf\xe9\n"), "not UTF-8")
    assert not db.exists() or stored(db)[1] == 0


def test_empty_standard_input_never_removes_a_note(db: Path) -> None:
    """``cat missing-file | tracker note R I -`` used to delete the note."""
    ok(run("--db", db, "note", ROADMAP, LEAF, "kept"))
    assert_error(run("--db", db, "note", ROADMAP, LEAF, "-", input=b""), "standard input is empty", "--clear")
    assert ok(run("--db", db, "note", ROADMAP, LEAF)) == "kept\n"
    assert stored(db)[1] == 1


def test_clear_removes_a_note(db: Path) -> None:
    ok(run("--db", db, "note", ROADMAP, LEAF, "kept"))
    assert_error(run("--db", db, "note", ROADMAP, LEAF, "text", "--clear"), "TEXT or --clear, not both")
    assert ok(run("--db", db, "note", ROADMAP, LEAF, "--clear")) == f"note on {ROADMAP}/{LEAF} (1 item)\n"
    assert ok(run("--db", db, "note", ROADMAP, LEAF)) == "\n"
    assert ok(run("--db", db, "note", ROADMAP, LEAF, "--clear")) == "nothing changed\n"
    ok(run("--db", db, "note", ROADMAP, LEAF, "again"))
    ok(run("--db", db, "note", ROADMAP, LEAF, ""))  # the empty text says so too
    assert ok(run("--db", db, "note", ROADMAP, LEAF)) == "\n"


@pytest.mark.parametrize("command", [["note", ROADMAP, LEAF, "-"], ["import", "-"]])
def test_closed_standard_input_is_one_line(db: Path, command: list[str]) -> None:
    ok(run("--db", db, "note", ROADMAP, LEAF, "kept"))
    before = sha(db)
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m", "tracker", "--db", str(db), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == "tracker: standard input is closed; nothing was changed\n"
    assert sha(db) == before


# -- real processes ------------------------------------------------------------------------


def bulk_roadmap(folder: Path, sections: int, leaves: int) -> Path:
    """A generated roadmap 'bulk' with ``sections`` sections of ``leaves`` leaves each."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id: bulk", "title: Bulk", "sections:"]
    for s in range(sections):
        lines += [f"  - id: s{s}", f"    title: Section {s}", "    children:"]
        lines += [f"      - id: s{s}-i{i}\n        title: Item {i}" for i in range(leaves)]
    (folder / "bulk.yaml").write_text("\n".join(lines) + "\n")
    return folder


MARK_STREAM = """
import sys
from tracker import actions
from tracker.catalog import load_catalog
from tracker.store import Store

db, folder = sys.argv[1], sys.argv[2]
roadmap = load_catalog([folder]).roadmap("bulk")
with Store.open(db) as store:
    for section in roadmap.sections:
        actions.mark(store, section, "done")
        print(section.id, flush=True)  # only after the commit returned
"""


@pytest.mark.parametrize("kill_after", [1, 40, 150])
def test_sigkill_during_a_stream_of_marks(tmp_path: Path, kill_after: int) -> None:
    folder = bulk_roadmap(tmp_path / "maps", sections=400, leaves=10)
    db = tmp_path / "killed.db"
    child = subprocess.Popen(
        [sys.executable, "-c", MARK_STREAM, str(db), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(kill_after):
            assert child.stdout.readline(), child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        rest = child.stdout.read()  # lines already written before the kill
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the stream ended before the kill"
    reported = kill_after + rest.count("\n")
    assert reported < 400

    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        done = {key for (key,) in check.execute("SELECT key FROM progress WHERE status = 'done'")}
    for s in range(reported):
        assert {f"bulk/s{s}-i{i}" for i in range(10)} <= done, f"committed section s{s} lost"
    # the mark in flight at the kill is all there or not there at all
    extra = done - {f"bulk/s{s}-i{i}" for s in range(reported) for i in range(10)}
    assert extra in (set(), {f"bulk/s{reported}-i{i}" for i in range(10)})
    with Store.open(db) as store:
        assert store.integrity() == ["ok"]
        assert len(store.changes()) in (reported, reported + 1)


CONCURRENT_MARKS = """
import sys
from tracker import actions
from tracker.catalog import load_catalog
from tracker.store import Store

db, folder, section = sys.argv[1], sys.argv[2], sys.argv[3]
leaves = list(load_catalog([folder]).node("bulk", section).leaves())
sys.stdin.readline()  # start together
for leaf in leaves:
    with Store.open(db) as store:  # like one `tracker mark` each
        actions.mark(store, leaf, "done")
print(len(leaves))
"""


def test_two_processes_marking_1000_items_each(tmp_path: Path) -> None:
    folder = bulk_roadmap(tmp_path / "maps", sections=2, leaves=1000)
    db = tmp_path / "shared.db"  # does not exist yet: both create it at once
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_MARKS, str(db), str(folder), section],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for section in ("s0", "s1")
    ]
    time.sleep(0.5)  # let both import and load before the start
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    results = [child.communicate(timeout=240) for child in children]
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
        assert err == ""
        assert out == "1000\n"
    with Store.open(db) as store:
        statuses = store.statuses()
        assert len(statuses) == 2000
        assert set(statuses.values()) == {"done"}
        assert len(store.changes()) == 2000
        assert store.integrity() == ["ok"]


def test_errors_from_a_real_process_are_one_line(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(os.urandom(10_000))
    for args in (
        ["--db", tmp_path / "ok.db", "mark", "backend-servr", LEAF, "done"],
        ["--db", tmp_path / "ok.db", "mark", ROADMAP, LEAF, "finished"],
        ["--db", corrupt, "status"],
        ["--db", tmp_path / "missing" / "x.db", "status"],
    ):
        done = tracker_process(*args)
        assert done.returncode == 1
        assert done.stdout == b""
        assert b"Traceback" not in done.stderr
        assert len(done.stderr.decode().splitlines()) == 1, done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command", [["status"], ["export"], ["schema"], ["note", ROADMAP, LEAF], ["doctor"], ["roadmaps"]]
)
def test_a_full_standard_output_is_one_line(db: Path, command: list[str]) -> None:
    ok(run("--db", db, "note", ROADMAP, LEAF, "kept"))
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", str(db), *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr == "tracker: cannot write to standard output: No space left on device\n"


NO_TEXTUAL = """
import sys
from tracker.cli import cli

try:
    cli.main(sys.argv[1:], prog_name="tracker")
except SystemExit as exit:
    code = exit.code or 0
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "textual")
if loaded:
    print("textual was imported:", loaded[:5], file=sys.stderr)
    sys.exit(99)
sys.exit(code)
"""


@pytest.mark.parametrize(
    "command",
    [
        ["roadmaps"],
        ["status"],
        ["status", ROADMAP],
        ["mark", ROADMAP, LEAF, "done"],
        ["note", ROADMAP, LEAF, "hello"],
        ["undo"],
        ["validate"],
        ["schema"],
        ["doctor"],
        ["backup"],
        ["--version"],
    ],
    ids=lambda command: command[0].lstrip("-"),
)
def test_cli_commands_never_import_textual(db: Path, command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL, "--db", str(db), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_python_dash_m_tracker() -> None:
    done = tracker_process("--version")
    assert done.returncode == 0
    assert done.stdout.decode().startswith("tracker, version ")


def test_missing_roadmaps_folder_is_an_error(db: Path, tmp_path: Path) -> None:
    line = assert_error(run("--db", db, "--roadmaps", tmp_path / "nope", "roadmaps"), "no such folder")
    assert str(tmp_path / "nope") in line


def test_usage_mistakes_are_one_line(tmp_path: Path) -> None:
    """Through the real entry point, click's own usage errors are one line too."""
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(tmp_path / "p.db"), "export", "--format", "pdf"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "'pdf' is not one of" in result.stderr
    assert result.stderr.startswith("tracker: ")
