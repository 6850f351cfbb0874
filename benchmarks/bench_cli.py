"""Benchmark: ``tracker mark`` and ``tracker status`` as whole processes.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/bench_cli.py [--runs 15] [--limit 1.5]

Each command's median wall time is compared with the median of
``python -c "import sqlite_utils, pydantic, yaml, click"``, measured in the same
run and interleaved with it so that all see the same machine load. Every ``mark``
changes something (it alternates ``done`` and ``todo``), so each one really
writes and commits. Both ratios must stay under ``--limit``; the script exits 1
otherwise.

Everything runs in a temporary HOME with its own XDG data and cache folders and
a temporary database (``--db``). One untimed run of each command first warms the
parse cache, as on any run after the first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from common import isolated_env, line, timed, tracker_command

BASELINE = "import sqlite_utils, pydantic, yaml, click"
ROADMAP, ITEM = "backend-server", "http-versions"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--limit", type=float, default=1.5, help="largest acceptable ratio")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = isolated_env(home)
        tracker = [*tracker_command(), "--db", str(home / "progress.db")]
        baseline = [sys.executable, "-c", BASELINE]
        status = [*tracker, "status"]

        def mark(run: int) -> list[str]:
            return [*tracker, "mark", ROADMAP, ITEM, "done" if run % 2 == 0 else "todo"]

        timed(mark(1), env)  # warm: fills the parse cache, creates the database
        timed(status, env)
        timed(baseline, env)
        marks, statuses, baselines = [], [], []
        for run in range(options.runs):
            baselines.append(timed(baseline, env))
            marks.append(timed(mark(run), env))
            statuses.append(timed(status, env))
    base = statistics.median(baselines)
    ratios = {"mark": statistics.median(marks) / base, "status": statistics.median(statuses) / base}
    print(line(f"python -c '{BASELINE}'", baselines, 50))
    print(line(f"tracker mark {ROADMAP} {ITEM} done|todo", marks, 50))
    print(line("tracker status", statuses, 50))
    failed = False
    for name, ratio in ratios.items():
        verdict = "ok" if ratio <= options.limit else "TOO SLOW"
        failed |= ratio > options.limit
        print(f"{name} ratio {ratio:.2f} (limit {options.limit}): {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
