"""Benchmark the terminal app against a bare Textual app, in one run.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/bench_app.py [--runs 25] [--presses 1000]

Measures, interleaving the commands so that all see the same machine load:

1. process start to first painted screen, and peak memory (max RSS) by then,
   of the ``tracker`` command on the bundled roadmaps against ``bare_app.py``
   (a Header, a Tree of 200 nodes and a Footer): at most 1.25x time, 1.5x memory;
   the same start with a path chosen (the Today view first): at most 1.25x time;
   the same start with a cold parse cache (its folder deleted before each run, as
   on the first start after an install or after the roadmap files changed: every
   file is parsed and validated): at most 1.5x time;
   also reported: until each footer shows its keys, which comes a frame later;
2. the same start with a generated roadmap of 10,000 items added: at most
   1.5x the bundled start;
3. through Pilot on that roadmap, 1,000 ``space`` presses (each one a status
   change written to SQLite) against 1,000 cursor moves: at most 1.5x.

Each start is the real program in a real (pseudo) terminal of 80x24, started as a
user starts it (``tracker`` alone: the database in the data folder, or the one
``TRACKER_DB`` names; an extra roadmap folder from ``TRACKER_ROADMAPS``), with no
test hooks: the clock runs from spawning the process until the terminal has
received the app's first frame, recognised by text that only a complete first
screen holds (for the tracker, the detail pane's title and the first tier in
the tree). The process is then killed. Each time ratio is the median, over the
rounds, of two starts measured one after the other, so that a slow moment of
the machine weighs on both sides; memory compares medians. Runs in a temporary
HOME (data, cache, database). Exits 1 if a limit is broken.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from common import isolated_env, tracker_command

HERE = Path(__file__).resolve().parent
LIMITS = {
    "startup": 1.25,
    "startup with a path": 1.25,
    "cold startup": 1.5,
    "memory": 1.5,
    "large": 1.5,
    "presses": 1.5,
}
TERMINAL = (24, 80)
BARE_SCREEN = (b"branch 1",)
TRACKER_SCREEN = (b"Detail", b"Tier 1")
"""Text in each app's first frame: the tree's branches; the detail pane's title and the tree's
first tier (at 80 columns the roadmap list is folded away)."""
PATH_SCREEN = (b"Today", b"Next up")
"""With a path the Today view comes first: its frame and the next-up list's title."""
BARE_SETTLED = (b"palette",)
TRACKER_SETTLED = (b"Skip", b"palette")
"""Text the footer shows once it has its keys, a frame or more later (reported, not limited)."""


def write_large_roadmap(folder: Path, sections: int = 20, topics: int = 50, leaves: int = 10) -> Path:
    """A roadmap of ``sections * topics * leaves`` trackable items (10,000 by default)."""
    lines = ["id: generated-large", "title: Generated large roadmap", "sections:"]
    for s in range(sections):
        lines += [f"  - id: s{s}", f"    title: Section {s}", "    children:"]
        for t in range(topics):
            lines += [f"      - id: s{s}-t{t}", f"        title: Topic {s}.{t}", "        children:"]
            for leaf in range(leaves):
                lines += [
                    f"          - id: s{s}-t{t}-l{leaf}",
                    f"            title: Item {s}.{t}.{leaf} about something worth learning",
                ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "generated-large.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def first_paint(
    command: list[str], screen: tuple[bytes, ...], env: dict[str, str], size: tuple[int, int] = TERMINAL
) -> tuple[float, int]:
    """Seconds from spawning ``command`` in a terminal of ``size`` (rows, columns) until it shows
    ``screen``, and its peak RSS (KiB)."""
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", *size, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env, start_new_session=True
    )
    os.close(child_fd)
    output, painted = b"", None
    while painted is None and time.perf_counter() - start < 30:
        if select.select([main_fd], [], [], 0.5)[0]:
            try:
                output += os.read(main_fd, 1 << 16)
            except OSError:  # the process ended
                break
            if all(text in output for text in screen):
                painted = time.perf_counter() - start
    os.killpg(process.pid, signal.SIGKILL)
    _, _, usage = os.wait4(process.pid, 0)
    os.close(main_fd)
    if painted is None:
        raise SystemExit(f"{command[0]} never showed its first screen; it printed {output[-1500:]!r}")
    return painted, usage.ru_maxrss


def welcomed(db: Path, path: bool = False) -> Path:
    """A database past its first start (the welcome seen), with Python + FastAPI chosen if ``path``."""
    from datetime import date

    from tracker.catalog import load_catalog
    from tracker.locations import bundled_roadmaps_dir
    from tracker.path import choose_path, save_path
    from tracker.store import Store
    from tracker.ui.guiding import WELCOMED_SETTING

    with Store.open(db, create_folder=True) as store:
        store.set_setting(WELCOMED_SETTING, "1")
        if path:
            catalog = load_catalog([bundled_roadmaps_dir()])
            save_path(store, choose_path(catalog, "python", "fastapi", None, None, date.today()))
    return db


def measure_startup(env: dict[str, str], large_dir: Path, runs: int) -> dict[str, list]:
    """Every start as a user types it, ``tracker`` alone: the database in the data folder (or
    ``TRACKER_DB``), an extra roadmap folder from ``TRACKER_ROADMAPS``."""
    from tracker.locations import default_db_path, parse_cache_dir

    db = welcomed(default_db_path())
    path_db = welcomed(db.with_name("path.db"), path=True)
    bare, tracker = [sys.executable, str(HERE / "bare_app.py")], tracker_command()
    commands = {
        "bare": (bare, BARE_SCREEN, env),
        "tracker": (tracker, TRACKER_SCREEN, env),
        "with a path": (tracker, PATH_SCREEN, {**env, "TRACKER_DB": str(path_db)}),
        "cold": (tracker, TRACKER_SCREEN, env),
        "large": (tracker, TRACKER_SCREEN, {**env, "TRACKER_ROADMAPS": str(large_dir)}),
        "bare settled": (bare, BARE_SETTLED, env),
        "tracker settled": (tracker, TRACKER_SETTLED, env),
    }
    cache = parse_cache_dir()
    assert cache is not None

    def start(name: str) -> tuple[float, int]:
        """One start; a cold one finds no parse cache (the others' is set aside, then put back)."""
        command, screen, command_env = commands[name]
        if name != "cold":
            return first_paint(command, screen, command_env)
        aside = cache.with_name(f"{cache.name}.aside")
        if cache.exists():
            cache.rename(aside)
        try:
            return first_paint(command, screen, command_env)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            if aside.exists():
                aside.rename(cache)

    for name in commands:  # warm the parse cache, bytecode and the OS file cache
        start(name)
    results: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name in commands:
            results[name].append(start(name))
    return results


async def measure_presses(large_dir: Path, db: Path, presses: int) -> tuple[float, float]:
    """Seconds for ``presses`` space presses and for as many cursor moves, via Pilot."""
    from tracker.catalog import load_catalog
    from tracker.locations import bundled_roadmaps_dir
    from tracker.store import Store
    from tracker.ui.app import make_app
    from tracker.ui.guiding import WELCOMED_SETTING

    catalog = load_catalog([bundled_roadmaps_dir(), large_dir])
    store = Store.open(db)
    store.set_setting(WELCOMED_SETTING, "1")  # straight to the roadmaps, as after a first start
    app = make_app(catalog, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.open_roadmap("generated-large")
        await pilot.pause()
        await pilot.press("j", "l", "l")  # first leaf of the first topic
        await pilot.pause()
        start = time.perf_counter()
        for _ in range(presses // 2):
            await pilot.press("down", "up")
        await pilot.pause()
        moves = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(presses):
            await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        spaces = time.perf_counter() - start
    return spaces, moves


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="timed starts of each app")
    parser.add_argument("--presses", type=int, default=1000, help="key presses of each kind")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        rows, columns = TERMINAL  # Textual takes COLUMNS and LINES over the terminal's own size
        env = isolated_env(home, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
        os.environ.update({k: env[k] for k in ("HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")})
        large_dir = home / "large"
        write_large_roadmap(large_dir)
        results = measure_startup(env, large_dir, options.runs)
        spaces, moves = asyncio.run(measure_presses(large_dir, home / "pilot.db", options.presses))

    def median(name: str, index: int) -> float:
        return statistics.median(run[index] for run in results[name])

    def paired(name: str, baseline: str) -> float:
        """Median over the rounds of the two starts' ratio, each pair measured back to back."""
        return statistics.median(a[0] / b[0] for a, b in zip(results[name], results[baseline], strict=True))

    ratios = {
        "startup": paired("tracker", "bare"),
        "startup with a path": paired("with a path", "bare"),
        "cold startup": paired("cold", "bare"),
        "memory": median("tracker", 1) / median("bare", 1),
        "large": paired("large", "tracker"),
        "presses": spaces / moves,
    }
    for label, name in (
        ("bare Textual app", "bare"),
        ("tracker (bundled)", "tracker"),
        ("tracker (with a path)", "with a path"),
        ("tracker (cold cache)", "cold"),
        ("tracker (+10k items)", "large"),
    ):
        seconds, kib = median(name, 0), median(name, 1)
        print(f"{label:<22} start {seconds * 1000:7.1f} ms   peak RSS {kib / 1024:6.1f} MiB")
    for label, name in (("startup", "tracker"), ("startup with a path", "with a path")):
        fastest = min(run[0] for run in results[name]) / min(run[0] for run in results["bare"])
        print(f"{label}: fastest start against the bare app's fastest {fastest:.2f} (reported only)")
    settled = paired("tracker settled", "bare settled")
    print(
        f"footer keys on screen: bare {median('bare settled', 0) * 1000:.1f} ms, "
        f"tracker {median('tracker settled', 0) * 1000:.1f} ms, ratio {settled:.2f} (reported only)"
    )
    print(f"{options.presses} space presses {spaces:6.2f} s   {options.presses} cursor moves {moves:6.2f} s")
    failed = False
    for name, ratio in ratios.items():
        verdict = "ok" if ratio <= LIMITS[name] else "TOO SLOW"
        failed |= ratio > LIMITS[name]
        print(f"{name:19} ratio {ratio:5.2f}  (limit {LIMITS[name]})  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
