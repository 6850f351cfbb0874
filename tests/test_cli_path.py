"""``tracker path``, ``path set``, ``path replan``, ``next``, ``stats`` and the status line.

The clock is stopped (``tracker.store.utc_now`` is what the CLI's store reads)
and the zone is ``TZ``, so dates are the same on every machine.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import tracker.store
from tracker.cli import cli
from tracker.path import PATH_SETTING
from tracker.store import Store

from .conftest import FakeClock

ROADMAP = "backend-server"

pytestmark = pytest.mark.usefixtures("warm_cache")


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Wednesday 14 January 2026, 10:00 in Amsterdam."""
    clock = FakeClock(datetime(2026, 1, 14, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(tracker.store, "utc_now", clock)
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    return clock


@pytest.fixture
def db(tmp_path: Path, now: FakeClock) -> Path:
    return tmp_path / "progress.db"


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def one_error(result: Result, *gist: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if "created a new database" not in line]
    assert len(lines) == 1, lines
    for part in gist:
        assert part in lines[0], lines[0]
    return lines[0]


def stored_path(db: Path) -> str | None:
    with Store.open(db) as store:
        return store.setting(PATH_SETTING)


def test_path_without_one_says_how_to_choose(db: Path) -> None:
    out = ok(run(db, "path"))
    assert "No path yet" in out
    assert "tracker path set --language ID" in out
    assert "python" in out and "fastapi" in out and "cpp" in out


def test_set_then_show(db: Path) -> None:
    out = ok(
        run(db, "path", "set", "--language", "python", "--framework", "fastapi", "--start", "2026-01-01")
    )
    assert out.splitlines()[0] == "path set: Python + FastAPI, from 1 Jan 2026, calendar months"
    assert "month 1: 1 Jan 2026 - 31 Jan 2026; month 10 ends 31 Oct 2026" in out
    shown = ok(run(db, "path")).splitlines()
    assert shown[0] == "Path: Python + FastAPI (python / fastapi)"
    assert shown[1] == "Start: 1 Jan 2026 · calendar months"
    assert shown[2] == "Now: month 1 of 10, 1 Jan - 31 Jan · current"
    assert shown[3].startswith("On track: ") and "behind" in shown[3]
    assert shown[6] == "Finish: no pace yet"
    assert any(line.split()[:1] == ["10"] and "1 Oct - 31 Oct" in line for line in shown)


def test_start_defaults_to_today_and_pace_in_weeks(db: Path) -> None:
    out = ok(run(db, "path", "set", "--language", "go", "--framework", "gin", "--weeks-per-month", "6"))
    assert out.splitlines()[0] == "path set: Go + Gin, from 14 Jan 2026, 6 weeks a month"
    assert "month 1: 14 Jan 2026 - 24 Feb 2026" in out


def test_a_future_start(db: Path) -> None:
    ok(run(db, "path", "set", "--language", "rust", "--start", "2026-03-01"))
    shown = ok(run(db, "path"))
    assert "Now: month 1 of 10, 1 Mar - 31 Mar (starts in 46 days) · upcoming" in shown
    assert "On track: on track" in shown


@pytest.mark.parametrize(
    ("args", "gist"),
    [
        (["--language", "cobol"], ["unknown language 'cobol'", "choose one of: nodejs, python"]),
        (
            ["--language", "python", "--framework", "spring-boot"],
            ["unknown framework", "django, flask, fastapi"],
        ),
        (["--language", "cpp", "--framework", "x"], ["C++ has no frameworks"]),
        (["--language", "python", "--start", "2026-02-30"], ["--start '2026-02-30' is not a date"]),
        (["--language", "python", "--start", "tomorrow"], ["use YYYY-MM-DD", "nothing was changed"]),
        (["--language", "python", "--weeks-per-month", "0"], ["weeks per month must be 1 to 52"]),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(db: Path, args: list[str], gist: list[str]) -> None:
    ok(run(db, "path", "set", "--language", "java"))
    before = stored_path(db)
    one_error(run(db, "path", "set", *args), *gist)
    assert stored_path(db) == before


def test_a_missing_language_is_a_usage_error(db: Path) -> None:
    result = run(db, "path", "set")
    assert result.exit_code == 2 and "--language" in result.output


def test_replan_without_a_path(db: Path) -> None:
    one_error(run(db, "path", "replan"), "no path to replan")


def test_replan_after_a_break(db: Path, now: FakeClock) -> None:
    ok(run(db, "path", "set", "--language", "python", "--start", "2025-10-01"))
    out = ok(run(db, "path", "replan"))
    assert out == "replanned from today: month 1 and the ones after it move: 14 Jan 2026 - 13 Feb 2026\n"
    shown = ok(run(db, "path"))
    assert "replanned: month 1 from 14 Jan 2026" in shown
    assert ok(run(db, "path", "replan")).startswith("nothing to replan")


def test_next_lists_ids_that_mark_takes(db: Path) -> None:
    ok(run(db, "path", "set", "--language", "python", "--framework", "django", "--start", "2026-01-01"))
    ok(run(db, "mark", ROADMAP, "http-versions", "doing"))
    lines = ok(run(db, "next", "-n", "3")).splitlines()
    assert len(lines) == 3
    first = lines[0].split()
    assert first[:4] == [ROADMAP, "http-versions", "doing", "month"]
    assert "(in progress)" in lines[0]
    roadmap, item = lines[1].split()[:2]
    assert "(this month)" in lines[1]
    ok(run(db, "mark", roadmap, item, "done"))
    assert item not in ok(run(db, "next", "-n", "3"))


def test_next_without_a_path_follows_the_plan(db: Path) -> None:
    lines = ok(run(db, "next")).splitlines()
    assert len(lines) == 10
    assert all(line.startswith(ROADMAP) for line in lines)


def test_next_rejects_a_bad_count(db: Path) -> None:
    assert run(db, "next", "-n", "0").exit_code == 2


def test_stats_with_history(db: Path, now: FakeClock) -> None:
    ok(run(db, "mark", ROADMAP, "http-versions", "done"))
    now.advance(hours=14)  # 00:00 the next day in Amsterdam: a two-day streak
    ok(run(db, "mark", ROADMAP, "http-https-tls", "done"))
    out = ok(run(db, "stats")).splitlines()
    assert out[0] == "Streak: 2 days · longest 2 · 2 active days"
    assert out[1] == "This week: 2 done"
    assert out[2] == "Pace: 0.5 items a week (last 4 weeks)"
    assert out[3] == "Finish: choose a path for a finish date"
    grid = out[6:14]
    assert grid[0].split() == ["Aug", "Sep", "Oct", "Nov", "Dec", "Jan"]
    assert [row[:3] for row in grid[1:]] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert grid[3].endswith("░")  # Wednesday
    assert grid[4].endswith("░")  # Thursday
    assert out[14].strip().startswith("· 0  ░ 1  ▒ 2-3")


def test_stats_with_nothing_done(db: Path) -> None:
    out = ok(run(db, "stats"))
    assert out.splitlines()[0] == "Streak: 0 days · longest 0 · 0 active days"
    assert "Pace: no pace yet" in out


def test_status_has_a_path_line_only_with_a_path(db: Path) -> None:
    assert ok(run(db, "status")).startswith("Overall")
    ok(run(db, "path", "set", "--language", "python", "--framework", "fastapi", "--start", "2026-01-01"))
    first = ok(run(db, "status")).splitlines()[0]
    assert first.startswith("Path: Python + FastAPI · month 1 of 10, 1 Jan - 31 Jan · ")
    assert first.endswith(" · no pace yet")
    assert ok(run(db, "status", ROADMAP)).startswith("Backend")


def test_a_malformed_stored_path_is_no_path(db: Path) -> None:
    with Store.open(db) as store:
        store.set_setting(PATH_SETTING, '{"language": ')
    assert "No path yet" in ok(run(db, "path"))
    assert ok(run(db, "status")).startswith("Overall")


def test_a_stale_path_says_why(db: Path) -> None:
    with Store.open(db) as store:
        store.set_setting(PATH_SETTING, '{"language": "cobol", "start": "2026-01-01"}')
    out = ok(run(db, "path"))
    assert "the stored path is not used: unknown language 'cobol'" in out


def test_the_guide_commands_never_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from tracker.cli import main\n"
        "sys.argv = ['tracker', '--db', sys.argv[1], sys.argv[2]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    for command in ("path", "next", "stats"):
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "p.db"), command], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
