"""Benchmark: ``tracker sync`` against ``tracker export --format json`` of the same database.

Usage (from the repository root, with the project's virtual environment)::

    python benchmarks/bench_sync.py [--runs 5] [--limit 2.0] [--rows 100000]

The database has every bundled item done and ``--rows`` (100,000) history
entries over two years (statuses changed back and forth, notes edited); the
sync file is its JSON export. Timed, interleaved so that all see the same
machine load:

- ``export``: ``tracker export --format json -o FILE`` (what a sync writes);
- ``sync``: ``tracker sync FILE`` on a fresh copy of the database (untimed
  copy), so that the file is read, checked and merged in full (nothing is new,
  so the file is left as it is): its median must stay within ``--limit`` of
  the export's, or the script exits 1;
- ``sync again``: the same command once more; the file is the one the last
  sync saw, so it is not read again (the start and quit of the app);
- ``new device``: ``tracker sync`` into an empty database (everything copied
  in, the file rewritten), printed for information.

Everything runs in a temporary HOME with its own XDG data and cache folders;
one untimed export first warms the parse cache, as on any run after the first.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import isolated_env, line, timed, tracker_command

from tracker.store import Store

SPAN_DAYS = 730


def fill(db: Path, rows: int) -> None:
    """Every bundled item done, after ``rows`` changes in all (one history entry each)."""
    from tracker.catalog import load_catalog
    from tracker.locations import bundled_roadmaps_dir
    from tracker.store import Store

    keys = sorted(load_catalog([bundled_roadmaps_dir()]).known_keys())
    start = datetime.now(UTC) - timedelta(days=SPAN_DAYS)
    step = timedelta(days=SPAN_DAYS) / rows
    status: dict[str, str | None] = dict.fromkeys(keys)
    notes: dict[str, str | None] = dict.fromkeys(keys)
    with Store.open(db) as store, store.transaction():
        for index in range(rows):
            key = keys[index % len(keys)]
            left = rows - index  # the last pass leaves every item done
            at = (start + step * index).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            if left > len(keys) and index % 10 == 9:
                field, old, new = "note", notes[key], f"note {index} on {key}: read the docs, then build it"
                notes[key] = new
            else:
                field, old = "status", status[key]
                new = "done" if left <= len(keys) else ("doing", "done", "skipped", "todo")[index % 4]
                status[key] = new
            change = store.conn.execute(
                "INSERT INTO changes (at, action, label) VALUES (?, ?, ?)", [at, field, f"{key} -> {new}"]
            ).lastrowid
            store.conn.execute(
                "INSERT INTO history (change_id, key, field, old, new) VALUES (?, ?, ?, ?, ?)",
                [change, key, field, old, new],
            )
            table, column = ("progress", "status") if field == "status" else ("notes", "text")
            store.conn.execute(
                f"INSERT INTO {table} (key, {column}, updated) VALUES (?, ?, ?) "
                f"ON CONFLICT(key) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated",
                [key, new, at],
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command")
    parser.add_argument("--limit", type=float, default=2.0, help="largest acceptable ratio")
    parser.add_argument("--rows", type=int, default=100_000, help="history entries in the database")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = isolated_env(home)
        db, copy, synced = home / "progress.db", home / "copy.db", home / "synced" / "progress.json"
        synced.parent.mkdir()
        fill(db, options.rows)
        tracker = tracker_command()
        export = [*tracker, "--db", str(db), "export", "--format", "json", "-o", str(home / "export.json")]
        sync = [*tracker, "--db", str(copy), "sync", str(synced)]
        timed([*tracker, "--db", str(db), "export", "--format", "json", "-o", str(synced)], env)  # warm
        exports, syncs, again, fresh = [], [], [], []
        for run in range(options.runs):
            exports.append(timed(export, env))
            shutil.copy(db, copy)
            syncs.append(timed(sync, env))
            again.append(timed(sync, env))
            device = home / f"device-{run}.db"
            Store.open(device).close()  # a new device's empty database, made before the timing
            shutil.copy(synced, home / "device.json")
            fresh.append(timed([*tracker, "--db", str(device), "sync", str(home / "device.json")], env))
            device.unlink()
        size = synced.stat().st_size
    ratio = statistics.median(syncs) / statistics.median(exports)
    print(f"every bundled item done, {options.rows:,} history entries; sync file {size / 2**20:.1f} MiB")
    print(line("tracker export --format json", exports, 36))
    print(line("tracker sync (file read, merged)", syncs, 36))
    print(line("tracker sync again (file as left)", again, 36))
    print(line("tracker sync into a new device", fresh, 36))
    for label, times in (("again", again), ("new device", fresh)):
        print(f"{label} / export: {statistics.median(times) / statistics.median(exports):.2f}")
    verdict = "ok" if ratio <= options.limit else "TOO SLOW"
    print(f"sync / export ratio {ratio:.2f} (limit {options.limit}): {verdict}")
    return 0 if ratio <= options.limit else 1


if __name__ == "__main__":
    sys.exit(main())
