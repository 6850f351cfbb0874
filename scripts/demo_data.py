"""Twelve weeks of a learner's progress, the same on every run (for screenshots and demos).

Used by ``screenshots.py`` and ``screenshot_report.py``: items ticked, a few in
progress or skipped, project milestones, and notes (one with ``<script>`` and
Markdown syntax, to show that user text is displayed as written).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tracker import actions
from tracker.catalog import Catalog
from tracker.path import choose_path, save_path
from tracker.store import Store

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
    """Twelve weeks of a learner on the Python + FastAPI path, through the master roadmap and Python."""
    save_path(store, choose_path(catalog, "python", "fastapi", START.date(), None, START.date()))
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
