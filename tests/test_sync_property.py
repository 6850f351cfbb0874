"""Sync, the property: any edits on two devices, synced in any order, end equal and lose no note.

Hypothesis draws a sequence of edits (statuses, notes, resets, undos, path
changes) applied to two databases in turn, with syncs through one file in
between; at the end both sync in turn until the file no longer changes.
Then both hold the same statuses, notes, path and history (as sets, undone
changes left out), count the same ticks, and every note text ever written
is a note or in that note's history on both.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tracker.catalog import Catalog, load_catalog
from tracker.path import LearnerPath, read_path, save_path
from tracker.store import Store
from tracker.sync import sync_file

from .conftest import FakeClock

EXAMPLES = int(os.environ.get("TRACKER_SYNC_EXAMPLES", "100"))
"""Kept small for CI, and the same examples every run; set it (e.g. 2000) to hunt, at random."""
STEPS = int(os.environ.get("TRACKER_SYNC_STEPS", "24"))
"""The most edits and syncs in one example."""
KEYS = ("mini/a", "mini/b", "mini/c")
ROADMAP = """
id: mini
title: Mini
sections:
  - id: basics
    title: Basics
    children:
      - {id: a, title: A}
      - {id: b, title: B}
      - {id: c, title: C}
"""


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = tmp_path_factory.mktemp("mini")
    (folder / "mini.yaml").write_text(ROADMAP, encoding="utf-8")
    return load_catalog([folder])


devices = st.integers(0, 1)
edits = st.one_of(
    st.tuples(
        st.just("status"), devices, st.sampled_from(KEYS), st.sampled_from(["doing", "done", "skipped"])
    ),
    st.tuples(st.just("note"), devices, st.sampled_from(KEYS), st.booleans()),
    st.tuples(st.just("note"), devices, st.just(KEYS[0]), st.just(True)),  # one note, often edited
    st.tuples(st.just("reset"), devices),
    st.tuples(st.just("undo"), devices),
    st.tuples(st.just("path"), devices, st.sampled_from(["python", "go"]), st.integers(0, 3)),
    st.tuples(st.just("sync"), devices),
)
pauses = st.sampled_from(
    [timedelta(seconds=1), timedelta(minutes=20), timedelta(milliseconds=1), timedelta(0)]
)


class Later:
    """The second device's clock: half a second ahead of the first.

    Each device may make several changes within one millisecond (a pause of
    0), but the two never make the very same change (same item, same old and
    new value) in the same millisecond: those two would be told apart by
    nothing (the history has no device id), and the file would then be
    rewritten on every sync (nothing lost).
    """

    def __init__(self, clock: FakeClock):
        self.clock = clock

    def __call__(self) -> datetime:
        return self.clock.now + timedelta(milliseconds=500)


def live_history(store: Store) -> set:
    return {(c.at, c.action, c.label, c.steps) for c in store.past_changes() if not c.undone}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="TRACKER_SYNC_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(edits, pauses), max_size=STEPS), first=devices)
def test_two_devices_always_end_equal_and_lose_no_note(
    steps: list, first: int, mini: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("devices")
    file = folder / "progress.json"
    clock = FakeClock()
    later = Later(clock)
    stores = [Store.open(folder / "one.db", clock), Store.open(folder / "two.db", later)]
    written: dict[str, set[str]] = {key: set() for key in KEYS}
    try:
        for number, (edit, pause) in enumerate(steps):
            clock.advance(seconds=pause.total_seconds())
            store = stores[edit[1]]
            apply(store, edit, number, written, mini, file)
        clock.advance(minutes=1)
        order = [stores[first], stores[1 - first]]
        settle(order, mini, file)
        one, two = stores
        assert one.records() == two.records()
        assert read_path(one) == read_path(two)
        assert live_history(one) == live_history(two)
        assert one.done_per_quarter_hour() == two.done_per_quarter_hour()
        for store in stores:
            for key, texts in written.items():
                kept = {store.note(key)} | {version.text for version in store.note_versions(key)}
                assert texts <= kept, (key, texts - kept)
    finally:
        for store in stores:
            store.close()


def apply(store: Store, edit: tuple, number: int, written: dict[str, set[str]], catalog, file: Path) -> None:
    kind = edit[0]
    if kind == "status":
        store.set_status([edit[2]], edit[3])
    elif kind == "note":
        text = f"note {number}" if edit[3] else ""  # a new text, or the note removed
        store.set_note(edit[2], text)
        if text:
            written[edit[2]].add(text)
    elif kind == "reset":
        store.set_status(KEYS, "todo")
    elif kind == "undo":
        undone = store.undo()
        if undone is not None and undone.label.startswith("sync"):
            event("a sync undone")
    elif kind == "path":
        save_path(store, LearnerPath(edit[2], None, date(2026, 1, 1) + timedelta(days=edit[3])))
    else:
        result = sync_file(store, catalog, file)
        if result.conflicts:
            event("a note changed on both devices")


def settle(order: list[Store], catalog: Catalog, file: Path) -> None:
    """Sync in turn until a whole round changes neither database nor file (at most four rounds)."""
    for _ in range(4):
        results = [sync_file(store, catalog, file) for store in order]
        if any(result.conflicts for result in results):
            event("a note changed on both devices")
        if all(result.change is None and not result.written for result in results):
            return
    raise AssertionError("four rounds of syncs did not settle")
