"""Render a sample HTML progress report in headless Chromium and save a screenshot.

Usage (from the repository root)::

    apt-get install -y chromium fonts-noto-color-emoji   # Debian's packages, once
    python scripts/screenshot_report.py                   # -> screenshots/report-html.png

Options: ``--roadmap ID`` narrows the report to one roadmap (default: the
master roadmap ``backend-server``; ``--roadmap all`` for everything),
``--output PNG``, ``--html FILE`` keeps the rendered report, ``--size WxH``.

It builds a throw-away database in a temporary folder and fills it the way a
learner would over twelve weeks (a fixed, seeded schedule, so the picture is
the same on every run): items ticked, a few in progress or skipped, project
milestones, notes (one with ``<script>`` and Markdown syntax to show that
user text is shown as written), then writes the report through
``tracker.reports`` exactly as ``tracker export --format html`` does. Chromium
runs with networking features off; the report needs no network anyway.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from demo_data import START, Clock, simulate

from tracker.catalog import load_catalog
from tracker.locations import bundled_roadmaps_dir
from tracker.reports import render, write_report
from tracker.store import Store

REPO = Path(__file__).resolve().parent.parent


def screenshot(html_file: Path, png: Path, size: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={size.replace('x', ',')}",
            html_file.resolve().as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roadmap", default="backend-server", help="roadmap id, or 'all'")
    parser.add_argument("--output", type=Path, default=REPO / "screenshots" / "report-html.png")
    parser.add_argument("--html", type=Path, help="also keep the rendered report here")
    parser.add_argument("--size", default="1200x1600", help="window size, WIDTHxHEIGHT")
    options = parser.parse_args()
    catalog = load_catalog([bundled_roadmaps_dir()])
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock(START)
        with Store.open(Path(folder) / "progress.db", clock) as store:
            simulate(catalog, store, clock)
            clock.now += timedelta(hours=2)
            scope = None if options.roadmap == "all" else options.roadmap
            text = render("html", catalog, store, scope)
        page = write_report(text, options.html or Path(folder) / "report.html")
        options.output.parent.mkdir(parents=True, exist_ok=True)
        screenshot(page, options.output, options.size)
    print(f"screenshot written to {options.output}")


if __name__ == "__main__":
    main()
