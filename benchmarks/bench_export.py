"""Benchmark: ``tracker export --format md`` (everything) as a whole process.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/bench_export.py [--runs 15] [--limit 1.5]

It compares the median wall time of the export against the median of
``python -c "import sqlite_utils, pydantic, yaml, click"`` (the libraries a
tracker command could load), measured in the same run, interleaved so that
both see the same machine load. The ratio must stay under ``--limit``; the
script exits 1 otherwise.

Everything runs in a temporary HOME with its own XDG data and cache folders
and a temporary database holding some progress and notes. One untimed export
first warms the parse cache, as on any run after the first.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import isolated_env, timed, tracker_command

BASELINE = "import sqlite_utils, pydantic, yaml, click"


def seed(env: dict[str, str], db: Path) -> None:
    """Some realistic progress: a few dozen ticks, items in progress, notes."""
    code = """
import sys
from datetime import UTC, datetime, timedelta
from tracker import actions
from tracker.catalog import load_catalog
from tracker.locations import bundled_roadmaps_dir
from tracker.store import Store

now = [datetime(2026, 1, 5, 9, 0, tzinfo=UTC)]
catalog = load_catalog([bundled_roadmaps_dir()])
with Store.open(sys.argv[1], lambda: now[0]) as store:
    for roadmap in catalog.roadmaps.values():
        for index, leaf in enumerate(roadmap.leaves[:12]):
            now[0] += timedelta(hours=5)
            actions.mark(store, leaf, "doing" if index % 5 == 4 else "done")
        actions.set_note(store, roadmap.leaves[0], "Reviewed with my mentor.\\n- next: | tables |")
"""
    subprocess.run([sys.executable, "-c", code, str(db)], env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command")
    parser.add_argument("--limit", type=float, default=1.5, help="largest acceptable ratio")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = isolated_env(home, TRACKER_DB=str(home / "progress.db"))
        seed(env, home / "progress.db")
        export = [*tracker_command(), "export", "--format", "md"]
        baseline = [sys.executable, "-c", BASELINE]
        timed(export, env)  # warm: fills the parse cache
        timed(baseline, env)
        exports, baselines = [], []
        for _ in range(options.runs):
            exports.append(timed(export, env))
            baselines.append(timed(baseline, env))
    export_median = statistics.median(exports)
    baseline_median = statistics.median(baselines)
    ratio = export_median / baseline_median
    print(
        f"tracker export --format md : median {export_median * 1000:6.1f} ms "
        f"(min {min(exports) * 1000:.1f}, max {max(exports) * 1000:.1f}, {options.runs} runs)"
    )
    print(
        f"python -c '{BASELINE}': median {baseline_median * 1000:6.1f} ms "
        f"(min {min(baselines) * 1000:.1f}, max {max(baselines) * 1000:.1f})"
    )
    verdict = "ok" if ratio < options.limit else "TOO SLOW"
    print(f"ratio {ratio:.2f} (limit {options.limit}): {verdict}")
    return 0 if ratio < options.limit else 1


if __name__ == "__main__":
    sys.exit(main())
