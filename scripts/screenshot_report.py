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
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker import actions
from tracker.catalog import Catalog, load_catalog
from tracker.locations import bundled_roadmaps_dir
from tracker.reports import render, write_report
from tracker.store import Store

REPO = Path(__file__).resolve().parent.parent
START = datetime(2025, 10, 13, 19, 30, tzinfo=UTC)
DAYS = 84

NOTES = {
    ("backend-server", "http-methods-status-headers"): (
        "PUT is idempotent, POST is not.\nCheat sheet: 201 on create, 204 on delete, 409 on conflict."
    ),
    ("backend-server", "tier-1-fundamentals"): (
        "Tier 1 took longer than planned - worth it. Mentor review on Friday."
    ),
    ("backend-server", "db-sql-joins"): (
        "Practised on the sample shop schema:\n"
        "\tSELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id;\n"
        "LEFT JOIN keeps orders without a customer."
    ),
    ("backend-server", "req-input-validation"): (
        "Never trust <script>alert('x')</script> in input | escape on output 🚀"
    ),
    ("backend-server", "blog-api-crud"): "Done with FastAPI + SQLAlchemy; tests at 92% coverage.",
}


class Clock:
    """A clock the script moves by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def simulate(catalog: Catalog, store: Store, clock: Clock) -> None:
    """Twelve weeks of a learner working through the master roadmap and Python."""
    rng = random.Random(5)
    master = catalog.roadmap("backend-server")
    leaves = [leaf for section in master.sections for leaf in section.leaves()]
    milestones = [m for project in master.projects[:3] for m in project.children]
    python = catalog.roadmap("python").leaves
    master_queue = leaves[:62] + milestones[:9]
    queue = []  # mostly the master roadmap, a Python topic every third step
    for index, node in enumerate(master_queue):
        queue.append(node)
        if index % 2 == 1 and index // 2 < len(python):
            queue.append(python[index // 2])
    position = 0
    for day in range(DAYS):
        clock.now = START + timedelta(days=day, minutes=rng.randint(0, 120))
        if rng.random() > 0.7 and day < DAYS - 6:  # a day off; never in the last week
            continue
        for _ in range(rng.randint(1, 2)):
            if position >= len(queue):
                break
            node = queue[position]
            actions.mark(store, node, "doing")
            clock.now += timedelta(minutes=40)
            if rng.random() < 0.9:
                actions.mark(store, node, "skipped" if rng.random() < 0.04 else "done")
            position += 1
    for roadmap_id, item_id in NOTES:
        clock.now += timedelta(minutes=5)
        actions.set_note(store, catalog.node(roadmap_id, item_id), NOTES[roadmap_id, item_id])
    for node in queue[position : position + 2]:
        actions.mark(store, node, "doing")


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
