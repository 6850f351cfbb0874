"""Benchmark: ``tracker mark``, ``tracker status`` and ``tracker validate`` as whole processes.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/bench_cli.py [--runs 15] [--limit 1.5] [--cold-limit 2.5]

Each command's median wall time is compared with the median of a baseline that
imports the libraries it could load, measured in the same run and interleaved
with it so that all see the same machine load:

- ``mark`` and ``status`` against ``python -c "import sqlite_utils, pydantic, yaml, click"``.
  Every ``mark`` changes something (it alternates ``done`` and ``todo``), so each
  one really writes and commits. Both must stay under ``--limit``.
- ``validate`` (every bundled file) against ``python -c "import pydantic, yaml, click"``,
  warm (the parse cache holds every file) under ``--limit``, and cold (the cache
  folder deleted before each run, as on the first run after an install or after
  the files changed: every file is parsed, validated and cached) under ``--cold-limit``.

The script exits 1 when a ratio is over its limit. Everything runs in a
temporary HOME with its own XDG data and cache folders and a temporary
database (``--db``). One untimed run of each command first warms the parse
cache, as on any run after the first.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import isolated_env, line, parse_cache_folder, timed, tracker_command

BASELINE = "import sqlite_utils, pydantic, yaml, click"
VALIDATE_BASELINE = "import pydantic, yaml, click"
ROADMAP, ITEM = "backend-server", "http-versions"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--limit", type=float, default=1.5, help="largest acceptable ratio")
    parser.add_argument("--cold-limit", type=float, default=2.5, help="largest cold validate ratio")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = isolated_env(home)
        cache = parse_cache_folder(env)
        tracker = [*tracker_command(), "--db", str(home / "progress.db")]
        baseline = [sys.executable, "-c", BASELINE]
        validate_baseline = [sys.executable, "-c", VALIDATE_BASELINE]
        status, validate = [*tracker, "status"], [*tracker, "validate"]

        def mark(run: int) -> list[str]:
            return [*tracker, "mark", ROADMAP, ITEM, "done" if run % 2 == 0 else "todo"]

        for command in (mark(1), status, validate, baseline, validate_baseline):
            timed(command, env)  # warm: fills the parse cache, creates the database
        names = ("base", "mark", "status", "vbase", "warm", "cold")
        times: dict[str, list[float]] = {name: [] for name in names}
        for run in range(options.runs):
            times["base"].append(timed(baseline, env))
            times["mark"].append(timed(mark(run), env))
            times["status"].append(timed(status, env))
            times["vbase"].append(timed(validate_baseline, env))
            times["warm"].append(timed(validate, env))
            shutil.rmtree(cache)
            times["cold"].append(timed(validate, env))
            assert any(cache.glob("*.marshal")), "the cold validate did not write the parse cache"
    median = {name: statistics.median(values) for name, values in times.items()}
    ratios = {
        "mark": (median["mark"] / median["base"], options.limit),
        "status": (median["status"] / median["base"], options.limit),
        "validate, warm": (median["warm"] / median["vbase"], options.limit),
        "validate, cold": (median["cold"] / median["vbase"], options.cold_limit),
    }
    print(line(f"python -c '{BASELINE}'", times["base"], 50))
    print(line(f"tracker mark {ROADMAP} {ITEM} done|todo", times["mark"], 50))
    print(line("tracker status", times["status"], 50))
    print(line(f"python -c '{VALIDATE_BASELINE}'", times["vbase"], 50))
    print(line("tracker validate, warm parse cache", times["warm"], 50))
    print(line("tracker validate, cold parse cache", times["cold"], 50))
    failed = False
    for name, (ratio, limit) in ratios.items():
        failed |= ratio > limit
        print(f"{name} ratio {ratio:.2f} (limit {limit}): {'ok' if ratio <= limit else 'TOO SLOW'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
