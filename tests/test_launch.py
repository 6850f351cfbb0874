"""`tracker` alone: the app's own start, without click, with the command line's one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.store import Store

pytestmark = pytest.mark.usefixtures("warm_cache")

UNTIL_THE_APP_RUNS = """
import sys
import tracker.ui.app as app_module

class Stand_in:
    def __init__(self, catalog, store):
        self.catalog, self.store = catalog, store
    def run(self):
        loaded = [name for name in ("click", "tracker.cli", "tracker.console") if name in sys.modules]
        print("loaded:", ",".join(loaded) or "none", "roadmaps:", len(self.catalog.roadmaps))
        print("database:", self.store.path)

app_module.make_app = Stand_in
from tracker.launch import main
sys.argv = ["tracker", *sys.argv[1:]]
main()
"""
"""Runs the console script's entry point with the app replaced by a stand-in that reports."""


def launch(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", UNTIL_THE_APP_RUNS, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_tracker_alone_opens_the_app_without_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    Store.open(db).close()
    done = launch(TRACKER_DB=str(db))
    assert done.returncode == 0, done.stderr
    assert "loaded: none " in done.stdout
    assert f"database: {db}" in done.stdout
    assert int(done.stdout.split("roadmaps: ")[1].split()[0]) >= 20
    assert done.stderr == ""


def test_any_argument_goes_to_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    Store.open(db).close()
    done = launch("--db", str(db), "app")
    assert done.returncode == 0, done.stderr
    assert "loaded: click,tracker.cli,tracker.console" in done.stdout
    assert f"database: {db}" in done.stdout


def test_a_new_database_is_announced_as_by_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    done = launch(TRACKER_DB=str(db))
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"tracker: created a new database at {db}\n"


def test_a_missing_roadmaps_folder_is_one_line(tmp_path: Path) -> None:
    done = launch(TRACKER_ROADMAPS=str(tmp_path / "nope"), TRACKER_DB=str(tmp_path / "x.db"))
    assert done.returncode == 1
    assert done.stderr == f"tracker: TRACKER_ROADMAPS {tmp_path / 'nope'}: no such folder or file\n"
    assert done.stdout == "" and not (tmp_path / "x.db").exists()


def test_a_database_that_is_not_one_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    done = launch(TRACKER_DB=str(junk))
    assert done.returncode == 1
    assert done.stderr.startswith("tracker: ") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert junk.read_bytes() == b"not a database" * 100
