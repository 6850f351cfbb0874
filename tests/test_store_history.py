"""The history the guide reads: items done per quarter hour, counted in SQL, kept cheap by an index."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tracker.store
from tracker.activity import days_from_buckets, utc_since
from tracker.store import Record, Store, timestamp

from .conftest import FakeClock

KEYS = ("a/one", "a/two", "a/three", "b/one")


def quarter(at: str) -> str:
    """The bucket of a stored time, worked out in Python."""
    return f"{at[:14]}{int(at[14:16]) // 15 * 15:02d}"


# -- the migration -------------------------------------------------------------------------


def test_schema_version_is_the_number_of_migrations() -> None:
    assert tracker.store.SCHEMA_VERSION == len(tracker.store.MIGRATIONS)


def test_a_version_1_file_is_backed_up_then_indexed_and_keeps_its_data(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "progress.db"
    with monkeypatch.context() as patch:
        patch.setattr(tracker.store, "MIGRATIONS", tracker.store.MIGRATIONS[:1])
        with Store.open(path, clock) as old:
            old.set_status(["a/one", "a/two"], "done")
            doing = old.set_status(["a/two"], "doing")
            undo = old.set_status(["a/two"], "done", label="undo doing")  # as version 1's undo wrote it
            assert doing is not None and undo is not None
            old.conn.execute("UPDATE changes SET action = 'undo' WHERE id = ?", [undo.id])
            old.conn.execute("UPDATE changes SET undone_by = ? WHERE id = ?", [undo.id, doing.id])
            old.conn.commit()
            old.set_note("a/one", "kept")
            before = (old.records(), old.changes(), old.status_history(), old.done_per_quarter_hour())
            assert old.schema_version == 1

    clock.advance(days=1)
    with Store.open(path, clock) as migrated:
        assert migrated.schema_version == len(tracker.store.MIGRATIONS)
        assert "changes_at" in {row[1] for row in migrated.conn.execute("PRAGMA index_list(changes)")}
        after = (
            migrated.records(),
            migrated.changes(),
            migrated.status_history(),
            migrated.done_per_quarter_hour(),
        )
        assert after == before

    backup = tmp_path / "progress.db.v1-20260106090000.bak"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
        assert copy.execute("SELECT count(*) FROM history").fetchone()[0] == len(before[2]) + 1  # + the note


# -- what counts as done -------------------------------------------------------------------


def test_ticks_are_counted_per_quarter_hour(store: Store, clock: FakeClock) -> None:
    store.set_status(["a/one", "a/two"], "done")  # 09:00
    clock.advance(minutes=14, seconds=59)
    store.set_status(["a/three"], "done")  # 09:14:59, same quarter
    clock.advance(seconds=1)
    store.set_status(["b/one"], "done")  # 09:15
    store.set_status(["b/one"], "doing")  # not a done
    assert store.done_per_quarter_hour() == [("2026-01-05T09:00", 3), ("2026-01-05T09:15", 1)]


def test_an_undone_tick_does_not_count(store: Store, clock: FakeClock) -> None:
    store.set_status(["a/one"], "done")
    clock.advance(hours=1)
    store.set_status(["a/two"], "done")
    store.undo()
    assert store.done_per_quarter_hour() == [("2026-01-05T09:00", 1)]


def test_undoing_a_reset_does_not_count_the_tick_twice(store: Store, clock: FakeClock) -> None:
    store.set_status(["a/one"], "done")
    clock.advance(hours=2)
    store.set_status(["a/one"], "todo")
    store.undo()  # a/one is done again, as it was at 09:00
    assert store.statuses() == {"a/one": "done"}
    assert store.done_per_quarter_hour() == [("2026-01-05T09:00", 1)]


def test_an_imports_ticks_are_not_counted(store: Store) -> None:
    store.merge({"a/one": Record("done", "2025-12-01T10:00:00.000Z")})
    assert store.statuses() == {"a/one": "done"}
    assert store.done_per_quarter_hour() == []


def test_since_leaves_out_earlier_ticks(store: Store, clock: FakeClock) -> None:
    store.set_status(["a/one"], "done")
    clock.advance(days=1)
    store.set_status(["a/two"], "done")
    assert store.done_per_quarter_hour("2026-01-06T00:00:00.000Z") == [("2026-01-06T09:00", 1)]


def test_with_since_the_query_reads_the_time_index(store: Store) -> None:
    store.set_status(["a/one"], "done")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    store.done_per_quarter_hour("2026-01-01T00:00:00.000Z")
    store.conn.set_trace_callback(None)
    (query,) = statements
    plan = " ".join(row[-1] for row in store.conn.execute("EXPLAIN QUERY PLAN " + query))
    assert "USING INDEX changes_at" in plan
    assert "SCAN h" not in plan


@st.composite
def actions(draw: st.DrawFn) -> list[tuple]:
    steps = st.one_of(
        st.tuples(
            st.just("set"),
            st.lists(st.sampled_from(KEYS), min_size=1),
            st.sampled_from(tracker.store.STATUSES),
        ),
        st.tuples(st.just("undo")),
        st.tuples(st.just("wait"), st.integers(0, 60 * 30), st.integers(0, 59)),
    )
    return draw(st.lists(steps, max_size=30))


@settings(max_examples=80, deadline=None)
@given(steps=actions(), since_minutes=st.none() | st.integers(0, 60 * 24 * 3))
def test_done_per_quarter_hour_matches_a_python_replay(steps: list[tuple], since_minutes: int | None) -> None:
    clock = FakeClock()
    since = None if since_minutes is None else timestamp(clock.now + timedelta(minutes=since_minutes))
    with Store.open(":memory:", clock) as store:
        done_by_change = _replay(store, clock, steps)
        expected: Counter[str] = Counter()
        for change in store.changes():
            if change.id in done_by_change and (since is None or change.at >= since):
                expected[quarter(change.at)] += done_by_change[change.id]
        assert store.done_per_quarter_hour(since) == sorted((k, n) for k, n in expected.items() if n)


def _not_todo(statuses: dict[str, str]) -> dict[str, str]:
    return {key: status for key, status in statuses.items() if status != "todo"}


def _replay(store: Store, clock: FakeClock, steps: list[tuple]) -> dict[int, int]:
    """Run the steps, keeping statuses in Python; return how many keys each standing change made done."""
    statuses: dict[str, str] = {}
    standing: list[tuple[int, dict[str, str], str]] = []  # change id, old status of each changed key, new
    for step in steps:
        if step[0] == "wait":
            clock.advance(minutes=step[1], seconds=step[2])
        elif step[0] == "set":
            _, keys, new = step
            changed = {key: statuses.get(key, "todo") for key in dict.fromkeys(keys)}
            changed = {key: old for key, old in changed.items() if old != new}
            change = store.set_status(keys, new)
            assert (change is None) == (not changed)
            if change is not None:
                standing.append((change.id, changed, new))
                statuses.update(dict.fromkeys(changed, new))
        elif standing:
            _, changed, _ = standing.pop()
            assert store.undo() is not None
            statuses.update(changed)
    assert _not_todo(store.statuses()) == _not_todo(statuses)
    return {change_id: len(changed) if new == "done" else 0 for change_id, changed, new in standing}


# -- from buckets to the learner's days ----------------------------------------------------


def test_a_tick_half_past_midnight_on_the_spring_dst_day_lands_on_that_day(tmp_path: Path) -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")  # clocks go from 02:00 CET to 03:00 CEST on 29 March 2026
    ticks = {
        "a/one": datetime(2026, 3, 28, 22, 59, tzinfo=UTC),  # 23:59 CET, the 28th
        "a/two": datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # 00:30 CET, the 29th
        "a/three": datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # 23:59 CEST, the 29th
        "b/one": datetime(2026, 3, 29, 22, 0, tzinfo=UTC),  # 00:00 CEST, the 30th
    }
    clock = FakeClock()
    with Store.open(tmp_path / "p.db", clock) as store:
        for key, moment in ticks.items():
            clock.now = moment
            store.set_status([key], "done")
        since = utc_since(date(2026, 3, 28), amsterdam)
        assert since == "2026-03-27T23:00:00.000Z"
        days = days_from_buckets(store.done_per_quarter_hour(since), amsterdam)
    assert days == {date(2026, 3, 28): 1, date(2026, 3, 29): 2, date(2026, 3, 30): 1}
