"""Benchmark: loading every bundled roadmap as a whole process, against importing pydantic and yaml.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/bench_load.py [--runs 11] [--limit 1.5]

Three commands are timed in one run, interleaved so that they see the same load:

- ``python -c "import pydantic, yaml"``, the baseline;
- loading the catalog with a *cold* parse cache (its folder is deleted before each
  run: every YAML file is parsed and validated, in this one process, and the
  cache is written), as on the first start after an install or after the
  roadmap files changed;
- loading it with a *warm* cache (what every command after the first does).

It prints the medians and both ratios, and exits 1 when the warm ratio is over
``--limit``. The cold ratio is reported, not judged: the commands judge it
(``bench_cli.py``, ``bench_app.py``), sharing the parsing with a second process
where they can. Everything runs with a temporary HOME and XDG folders.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import isolated_env, line, parse_cache_folder, timed

BASELINE = "import pydantic, yaml"

LOAD = """
from tracker.catalog import load_catalog
from tracker.loader import ParseCache
from tracker.locations import bundled_roadmaps_dir, parse_cache_dir

catalog = load_catalog([bundled_roadmaps_dir()], ParseCache(parse_cache_dir()))
leaves = sum(len(roadmap.leaves) for roadmap in catalog.roadmaps.values())
print(len(catalog.roadmaps), leaves, len(catalog.problems))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs of each command")
    parser.add_argument("--limit", type=float, default=1.5, help="largest acceptable warm ratio")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = isolated_env(home)
        cache = parse_cache_folder(env)
        load = [sys.executable, "-c", LOAD]
        baseline = [sys.executable, "-c", BASELINE]
        counts = subprocess.run(load, env=env, check=True, capture_output=True, text=True).stdout.split()
        roadmaps, leaves, problems = (int(n) for n in counts)
        timed(baseline, env)  # warm the OS file cache for both
        cold, warm, base = [], [], []
        for _ in range(options.runs):
            base.append(timed(baseline, env))
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed(load, env))
            assert any(cache.glob("*.marshal")), "the cold load did not write the parse cache"
            warm.append(timed(load, env))
    cold_ratio = statistics.median(cold) / statistics.median(base)
    warm_ratio = statistics.median(warm) / statistics.median(base)
    print(f"bundled roadmaps: {roadmaps} loaded, {leaves} leaves, {problems} problem(s)")
    print(line(f"python -c '{BASELINE}'", base))
    print(line("load, cold parse cache", cold))
    print(line("load, warm parse cache", warm))
    print(f"cold ratio {cold_ratio:.2f} (reported only)")
    verdict = "ok" if warm_ratio <= options.limit else "TOO SLOW"
    print(f"warm ratio {warm_ratio:.2f} (limit {options.limit}): {verdict}")
    return 0 if warm_ratio <= options.limit else 1


if __name__ == "__main__":
    sys.exit(main())
