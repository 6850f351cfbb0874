"""Regenerate every screenshot in ``screenshots/`` from the real app.

Usage (from the repository root, with the project installed)::

    python scripts/screenshots.py            # app screens as SVG, 120x36 and 80x24
    python scripts/screenshots.py --report   # also the HTML report as PNG (needs chromium)

The app runs headless on a throw-away database filled by ``demo_data.simulate``
(twelve weeks of progress, the same on every run) with a fixed clock, so the
pictures only change when the app does.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from demo_data import START, Clock, simulate
from textual.pilot import Pilot

from tracker.catalog import load_catalog
from tracker.locations import bundled_roadmaps_dir
from tracker.store import Store
from tracker.ui.app import make_app
from tracker.ui.guiding import WELCOMED_SETTING
from tracker.ui.widgets.browser import FilterBox
from tracker.ui.widgets.note import NoteEditor

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "screenshots"
WIDE = (120, 36)
Steps = Callable[[Pilot], Awaitable[None]]


async def keys(pilot: Pilot, *pressed: str) -> None:
    """Press keys and wait for every store write and repaint."""
    await pilot.press(*pressed)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def roadmaps(pilot: Pilot, *pressed: str) -> None:
    """From Today (the first screen with a path) to the roadmaps, then press keys."""
    await keys(pilot, "t", *pressed)


async def open_python(pilot: Pilot) -> None:
    await keys(pilot, "t")
    await pilot.app.open_roadmap("python")  # type: ignore[attr-defined]
    await keys(pilot, "j", "l", "l")


SCREENS: dict[str, tuple[tuple[int, int], Steps]] = {
    "today": (WIDE, lambda pilot: keys(pilot)),
    "welcome": (WIDE, lambda pilot: keys(pilot, "ctrl+p", *"choose your path", "enter")),
    "tiers": (WIDE, lambda pilot: roadmaps(pilot, "j", "l", "l", "j", "j")),
    "projects": (WIDE, lambda pilot: roadmaps(pilot, "2", "j", "l")),
    "plan": (WIDE, lambda pilot: roadmaps(pilot, "4", "l", "j")),
    "careers": (WIDE, lambda pilot: roadmaps(pilot, "5", "j")),
    "covered-roadmap": (WIDE, open_python),
    "filter": (WIDE, lambda pilot: roadmaps(pilot, "slash", *"docker")),
    "help": (WIDE, lambda pilot: roadmaps(pilot, "question_mark")),
    "palette": (WIDE, lambda pilot: roadmaps(pilot, "ctrl+p", *"kafka")),
    "export": (WIDE, lambda pilot: roadmaps(pilot, "e")),
    "small-80x24": ((80, 24), lambda pilot: roadmaps(pilot, "j", "l")),
}


async def shoot(name: str, size: tuple[int, int], steps: Steps, db: Path, clock: Clock) -> None:
    catalog = load_catalog([bundled_roadmaps_dir()])
    store = Store.open(db, clock)
    store.set_setting(WELCOMED_SETTING, "1")  # the welcome has its own screenshot
    app = make_app(catalog, store, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await steps(pilot)
        for widget in (*app.query(NoteEditor), *app.query(FilterBox)):  # built by the steps
            widget.cursor_blink = False
        await pilot.pause()
        app.save_screenshot(f"{name}.svg", OUTPUT)
    print(f"screenshots/{name}.svg")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="also the HTML report (chromium)")
    options = parser.parse_args()
    OUTPUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "progress.db"
        clock = Clock(START)
        with Store.open(db, clock) as store:
            simulate(load_catalog([bundled_roadmaps_dir()]), store, clock)
        clock.now += timedelta(hours=2)
        for name, (size, steps) in SCREENS.items():
            await shoot(name, size, steps, db, clock)
    if options.report:
        script = Path(__file__).with_name("screenshot_report.py")
        subprocess.run([sys.executable, str(script)], check=True)


if __name__ == "__main__":
    asyncio.run(main())
