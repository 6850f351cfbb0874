"""Benchmark: ``tracker stats`` on a long history, and ``tracker next``, as whole processes.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/bench_guide.py [--runs 15] [--limit 1.5] [--rows 100000]

Two databases with a path chosen: one whose history holds 100 ticks, one with
``--rows`` (100,000) spread over two years. ``tracker stats`` (streaks over all
history, the 26-week heatmap, pace) on the big one must stay within ``--limit``
of the same command on the small one; ``tracker next`` within ``--limit`` of
``python -c "import pydantic, yaml, click"``; the app's Today view, from the start
until its figures (streaks, pace) are on screen in a 120x40 pseudo-terminal, on
the big one within ``--limit`` of the small one. All are measured in the same run,
interleaved, so that they see the same machine load; the script exits 1 when a
ratio is over the limit.

Opening a database checks the progress tables page by page (``PRAGMA quick_check``
of each); a check of the whole file would grow with the history. Both costs are
printed for both files.

Everything runs in a temporary HOME with its own XDG data and cache folders;
one untimed run of each command first warms the parse cache, as on any run
after the first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench_app import first_paint
from common import isolated_env, line, timed, tracker_command

BASELINE = "import pydantic, yaml, click"
TODAY_FIGURES = (b"Streak:", b"Pace:")
"""Text the Today view shows once the guide is worked out (after its first frame)."""
SPAN_DAYS = 730


def fill(db: Path, rows: int) -> None:
    """A database with a path and ``rows`` ticks (one history row each) over two years."""
    from tracker.catalog import load_catalog
    from tracker.locations import bundled_roadmaps_dir
    from tracker.path import LearnerPath, save_path
    from tracker.store import Store

    keys = sorted(load_catalog([bundled_roadmaps_dir()]).known_keys())
    now = datetime.now(UTC)
    rng = random.Random(rows)
    with Store.open(db) as store:
        save_path(store, LearnerPath("python", "fastapi", date.today() - timedelta(days=45)))
        times = sorted(now - timedelta(seconds=rng.randrange(SPAN_DAYS * 86400)) for _ in range(rows))
        with store.transaction():
            for index, moment in enumerate(times):
                at = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
                change = store.conn.execute(
                    "INSERT INTO changes (at, action, label) VALUES (?, 'status', 'done')", [at]
                ).lastrowid
                store.conn.execute(
                    "INSERT INTO history (change_id, key, field, old, new) "
                    "VALUES (?, ?, 'status', NULL, 'done')",
                    [change, keys[index % len(keys)]],
                )


def check_ms(db: Path) -> tuple[float, float]:
    """What opening ``db`` costs in checks, and what a check of the whole file would (medians of five)."""
    import time

    from tracker.database import inspect
    from tracker.store import MIGRATIONS

    opens, wholes = [], []
    for _ in range(5):
        start = time.perf_counter()
        opened = inspect(db, len(MIGRATIONS))
        opens.append(time.perf_counter() - start)
        assert opened is not None
        connection = opened[0]
        start = time.perf_counter()
        connection.execute("PRAGMA quick_check").fetchone()
        wholes.append(time.perf_counter() - start)
        connection.close()
    return statistics.median(opens) * 1000, statistics.median(wholes) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--limit", type=float, default=1.5, help="largest acceptable ratio")
    parser.add_argument("--rows", type=int, default=100_000, help="history rows of the big database")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = isolated_env(home, TZ="Europe/Amsterdam")
        small, big = home / "small.db", home / "big.db"
        fill(small, 100)
        fill(big, options.rows)
        tracker = tracker_command()
        stats_small = [*tracker, "--db", str(small), "stats"]
        stats_big = [*tracker, "--db", str(big), "stats"]
        next_up = [*tracker, "--db", str(small), "next"]
        baseline = [sys.executable, "-c", BASELINE]
        for command in (stats_small, stats_big, next_up, baseline):
            timed(command, env)  # warm: the parse cache, the page cache
        screen_env = {**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}

        def today_view(db: Path) -> float:
            return first_paint([*tracker, "--db", str(db)], TODAY_FIGURES, screen_env, (40, 120))[0]

        smalls, bigs, nexts, baselines, todays_small, todays_big = [], [], [], [], [], []
        for _ in range(options.runs):
            baselines.append(timed(baseline, env))
            smalls.append(timed(stats_small, env))
            bigs.append(timed(stats_big, env))
            nexts.append(timed(next_up, env))
            todays_small.append(today_view(small))
            todays_big.append(today_view(big))
        checks = {db.name: check_ms(db) for db in (small, big)}
    ratios = {
        f"stats {options.rows} rows / 100 rows": statistics.median(bigs) / statistics.median(smalls),
        "next / baseline": statistics.median(nexts) / statistics.median(baselines),
        f"Today view {options.rows} rows / 100 rows": statistics.median(todays_big)
        / statistics.median(todays_small),
    }
    print(line(f"python -c '{BASELINE}'", baselines, 44))
    print(line("tracker stats (100 history rows)", smalls, 44))
    print(line(f"tracker stats ({options.rows} history rows)", bigs, 44))
    print(line("tracker next", nexts, 44))
    print(line("Today view, figures shown (100 rows)", todays_small, 44))
    print(line(f"Today view, figures shown ({options.rows} rows)", todays_big, 44))
    for name, (opening, whole) in checks.items():
        print(f"{name}: opening checks it in {opening:.1f} ms; checking the whole file takes {whole:.1f} ms")
    failed = False
    for name, ratio in ratios.items():
        verdict = "ok" if ratio <= options.limit else "TOO SLOW"
        failed |= ratio > options.limit
        print(f"{name}: ratio {ratio:.2f} (limit {options.limit}): {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
