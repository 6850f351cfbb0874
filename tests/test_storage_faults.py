"""A database that cannot be written can still be read; a new database is announced.

Read-only files, folders and file systems, and a full disk: every command that
only reads works, and every write fails with one line saying why, changing
nothing. We run as root, for whom permissions do not stop writes, so the
permission cases are injected (``os.access``); read-only and full file systems
are real, mounted in a private namespace where ``unshare`` allows it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker import database
from tracker.cli import cli
from tracker.store import Store, StoreError

ROADMAP, LEAF = "backend-server", "http-versions"


def run(*args: str | Path, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with a mark and a note, closed cleanly (no -wal or -shm beside it)."""
    path = tmp_path / "data" / "progress.db"
    path.parent.mkdir()
    for args in (["mark", ROADMAP, LEAF, "done"], ["note", ROADMAP, LEAF, "kept"]):
        assert run("--db", path, *args).exit_code == 0
    return path


def deny_writes(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """``os.access`` says ``paths`` cannot be written, as it would for a user without rights."""
    real = os.access

    def access(path, mode, **kwargs):
        if mode & os.W_OK and Path(path) in paths:
            return False
        return real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)


READS = [["status"], ["status", ROADMAP], ["roadmaps"], ["export", "--format", "json"], ["doctor"]]
WRITES = [["mark", ROADMAP, LEAF, "todo"], ["note", ROADMAP, LEAF, "new"], ["undo"]]


def check_reads_work_and_writes_refused(db: Path, reason: str) -> None:
    before = sha(db)
    for command in READS:
        result = run("--db", db, *command)
        assert result.exit_code == 0, (command, result.output)
    assert run("--db", db, "note", ROADMAP, LEAF).stdout == "kept\n"
    for command in WRITES:
        result = run("--db", db, *command)
        assert result.exit_code == 1, (command, result.output)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and reason in lines[0] and "nothing was changed" in lines[0], lines
    assert sha(db) == before


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_database_that_cannot_be_written_is_read(
    db: Path, what: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny_writes(monkeypatch, db if what == "file" else db.parent)
    check_reads_work_and_writes_refused(db, "read-only" if what == "file" else "is not writable")
    with Store.open(db) as store:
        assert store.read_only and not store.created
        with pytest.raises(StoreError, match="nothing was changed"):
            store.set_status(["a/x"], "done")


def test_read_only_without_a_shm_file_falls_back_to_immutable(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite cannot create the -shm index of a WAL file in a read-only folder."""
    deny_writes(monkeypatch, db.parent)
    real = database.connect

    def connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
        if uri and "mode=ro" in target and "immutable=1" not in target:
            error = sqlite3.OperationalError("unable to open database file")
            error.sqlite_errorname = "SQLITE_CANTOPEN"
            raise error
        return real(target, uri=uri)

    monkeypatch.setattr(database, "connect", connect)
    check_reads_work_and_writes_refused(db, "is not writable")
    # ...but not when its write-ahead log holds changes that an immutable read would miss
    (db.parent / f"{db.name}-wal").write_bytes(b"\x00" * 100)
    result = run("--db", db, "status")
    assert result.exit_code == 1 and "unable to open" in result.stderr


def test_a_new_database_in_a_folder_that_cannot_be_written(tmp_path: Path, monkeypatch) -> None:
    deny_writes(monkeypatch, tmp_path)
    result = run("--db", tmp_path / "new.db", "status")
    assert result.exit_code == 1 and "cannot create" in result.stderr and "not writable" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_that_cannot_be_written(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    deny_writes(monkeypatch, path)
    result = run("--db", path, "status")
    assert result.exit_code == 1 and "cannot start a new database" in result.stderr
    assert "read-only" in result.stderr
    assert path.read_bytes() == b""


# -- errors are classified by SQLite's result code, not by its wording ------------------------


def sqlite_error(message: str, name: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name
    return error


@pytest.mark.parametrize(
    ("message", "name", "gist"),
    [
        ("database is locked", "SQLITE_BUSY", "locked by another program"),
        ("database table is locked", "SQLITE_LOCKED_SHAREDCACHE", "locked by another program"),
        ("database or disk is full", "SQLITE_FULL", "disk full"),
        ("attempt to write a readonly database", "SQLITE_READONLY_DBMOVED", "is read-only"),
        ("file is not a database", "SQLITE_NOTADB", "not a readable tracker database"),
        ("database disk image is malformed", "SQLITE_CORRUPT_INDEX", "not a readable tracker database"),
        ("unable to open database file", "SQLITE_CANTOPEN_ISDIR", "cannot open"),
        ("disk I/O error", "SQLITE_IOERR_SHORT_READ", "disk I/O error"),
        # the wording of a message can mislead; its code cannot
        ("no such table: locked_full_readonly", "SQLITE_ERROR", "database error on"),
        ("constraint failed: busy", "SQLITE_CONSTRAINT_CHECK", "database error on"),
    ],
)
def test_sqlite_errors_are_worded_by_their_code(tmp_path: Path, message: str, name: str, gist: str) -> None:
    text = str(database.explain(sqlite_error(message, name), tmp_path / "p.db"))
    assert gist in text and "\n" not in text


# -- a new database says so -------------------------------------------------------------------


@pytest.mark.parametrize("command", [["status"], ["mark", ROADMAP, LEAF, "done"], ["export"], ["doctor"]])
def test_creating_a_database_is_announced_once(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "typo.db"
    first = run("--db", path, *command)
    assert first.exit_code == 0, first.output
    assert first.stderr == f"tracker: created a new database at {path}\n"
    again = run("--db", path, *command)
    assert again.exit_code == 0 and "created" not in again.stderr


def test_store_says_whether_it_created_the_file(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.db") as store:
        assert store.created and not store.read_only
    with Store.open(tmp_path / "p.db") as store:
        assert not store.created
    (tmp_path / "empty.db").touch()
    with Store.open(tmp_path / "empty.db") as store:
        assert store.created


# -- real read-only and full file systems ----------------------------------------------------

IN_NAMESPACE = r"""
import json, os, subprocess, sys
mount, mode = sys.argv[1], sys.argv[2]
def sh(*args):
    subprocess.run(args, check=True)
def tracker(*args):
    done = subprocess.run([sys.executable, "-m", "tracker", "--db", f"{mount}/p.db", *args],
                          capture_output=True, text=True)
    return [done.returncode, done.stdout, done.stderr]
sh("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount)
setup = [tracker("mark", "backend-server", "http-versions", "done"),
         tracker("note", "backend-server", "http-versions", "kept")]
if mode == "read-only":
    sh("mount", "-o", "remount,ro", mount)
else:
    try:
        with open(f"{mount}/filler", "wb") as filler:
            while True:
                filler.write(b"x" * 4096)
                filler.flush()
    except OSError:
        pass
results = {" ".join(c): tracker(*c) for c in json.loads(sys.argv[3])}
print(json.dumps({"setup": setup, "results": results, "files": sorted(os.listdir(mount))}))
"""


def in_a_private_mount(tmp_path: Path, mode: str, commands: list[list[str]]) -> dict:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("needs unshare and mount")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m is not allowed here: {probe.stderr.decode().strip()}")
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["unshare", "-m", sys.executable, "-c", IN_NAMESPACE, str(mount), mode, json.dumps(commands)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    if done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()[-200:]}")
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert [code for code, _, _ in outcome["setup"]] == [0, 0], outcome["setup"]
    return outcome


COMMANDS = [
    ["status"],
    ["export", "--format", "json"],
    ["note", ROADMAP, LEAF],
    ["doctor"],
    ["mark", ROADMAP, LEAF, "todo"],
]


@pytest.mark.parametrize(("mode", "reason"), [("read-only", "read-only"), ("full", "disk full")])
def test_reading_works_on_a_read_only_or_full_file_system(tmp_path: Path, mode: str, reason: str) -> None:
    outcome = in_a_private_mount(tmp_path, mode, COMMANDS)
    results = outcome["results"]
    for command in ("status", "export --format json", "doctor"):
        code, out, err = results[command]
        assert code == 0 and out and not err, (command, err)
    assert json.loads(results["export --format json"][1])["roadmaps"][0]["done"] == 1
    assert results[f"note {ROADMAP} {LEAF}"][:2] == [0, "kept\n"]
    code, out, err = results[f"mark {ROADMAP} {LEAF} todo"]
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and reason in err and "nothing was changed" in err, err
