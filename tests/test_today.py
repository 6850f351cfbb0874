"""The guide built from a store: a fixed clock, local dates, history aggregated in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.activity import days_from_buckets
from tracker.catalog import Catalog
from tracker.guide import MonthDates, MonthState, Reason
from tracker.path import LearnerPath, local_zone, save_path
from tracker.store import Store
from tracker.today import Guide, active_local_days, build_guide, done_per_local_day

from .conftest import FakeClock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MASTER = "backend-server"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def guide(catalog: Catalog, store: Store, now: datetime, tz=AMSTERDAM, **kwargs) -> Guide:
    return build_guide(catalog, store, store.statuses(), now, tz, **kwargs)


def tick(store: Store, clock: FakeClock, when: datetime, *keys: str, status: str = "done") -> None:
    clock.now = when
    store.set_status(keys, status)


def set_path(
    store: Store, language="python", framework="fastapi", start=date(2026, 1, 1), weeks=None
) -> None:
    save_path(store, LearnerPath(language, framework, start, weeks))


def key(catalog: Catalog, item: str, roadmap: str = MASTER) -> str:
    return catalog.node(roadmap, item).key


# -- history per local day -------------------------------------------------------------------


ZONES = [
    "Europe/Amsterdam",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "UTC",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    minutes=st.lists(st.integers(min_value=0, max_value=2 * 366 * 24 * 60), min_size=1, max_size=25),
)
def test_days_counted_in_sql_match_quarter_hours(zone: str, minutes: list[int]) -> None:
    """Counting between local midnights, and walking from one active day to the next, give the
    same local days as the quarter-hour buckets, in zones with half and three-quarter hours and
    daylight saving (Lord Howe's is half an hour)."""
    clock = FakeClock(at("2025-01-01T00:00:00"))
    with Store.open(":memory:", clock) as store:
        for index, minute in enumerate(sorted(minutes)):
            tick(store, clock, at("2025-01-01T00:00:00") + timedelta(minutes=minute), f"k/{index}")
        tz = ZoneInfo(zone)
        expected = days_from_buckets(store.done_per_quarter_hour(), tz)
        assert done_per_local_day(store, tz) == expected
        since, until = date(2025, 9, 1), date(2026, 3, 31)
        window = {day: n for day, n in expected.items() if since <= day <= until}
        assert done_per_local_day(store, tz, since, until) == window
        assert active_local_days(store, tz) == set(expected)
        assert active_local_days(store, tz, before=since) == {day for day in expected if day < since}


def test_undone_and_imported_ticks_do_not_count(store: Store, clock: FakeClock) -> None:
    tick(store, clock, at("2026-01-05T09:00:00"), "a/1")
    tick(store, clock, at("2026-01-05T10:00:00"), "a/2")
    store.undo()
    assert done_per_local_day(store, AMSTERDAM) == {date(2026, 1, 5): 1}


def test_a_daylight_saving_change(bundled_catalog: Catalog, store: Store, clock: FakeClock) -> None:
    """23:30 on Saturday 28 March (CET) and 00:30 on Monday 30 March (CEST) are not consecutive days;
    a fixed +01:00 would see 23:30 on Sunday and a two-day streak."""
    tick(store, clock, at("2026-03-28T22:30:00"), "a/1")
    tick(store, clock, at("2026-03-29T22:30:00"), "a/2")
    assert done_per_local_day(store, AMSTERDAM) == {date(2026, 3, 28): 1, date(2026, 3, 30): 1}
    shown = guide(bundled_catalog, store, at("2026-03-29T22:30:00"))
    assert shown.today == date(2026, 3, 30)
    assert (shown.streaks.current, shown.streaks.longest, shown.streaks.active_days) == (1, 1, 2)


def test_streaks_across_midnight(bundled_catalog: Catalog, store: Store, clock: FakeClock) -> None:
    tick(store, clock, at("2026-01-05T22:50:00"), "a/1")  # 23:50 in Amsterdam
    tick(store, clock, at("2026-01-05T23:10:00"), "a/2")  # 00:10 the next day
    shown = guide(bundled_catalog, store, at("2026-01-06T12:00:00"))
    assert shown.streaks.current == 2 and shown.streaks.longest == 2
    in_utc = guide(bundled_catalog, store, at("2026-01-06T12:00:00"), tz=UTC)
    assert in_utc.streaks.current == 1


def test_a_long_history_streak_and_the_heatmap(
    bundled_catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    start = at("2025-01-01T08:00:00")
    for day in range(20):  # a 20-day streak a year ago
        tick(store, clock, start + timedelta(days=day), f"old/{day}")
    for day in range(3):  # and the last three days
        tick(store, clock, at("2026-01-12T08:00:00") + timedelta(days=day), f"new/{day}", f"new/{day}b")
    shown = guide(bundled_catalog, store, at("2026-01-14T20:00:00"))
    assert shown.streaks.current == 3 and shown.streaks.longest == 20 and shown.streaks.active_days == 23
    assert shown.heatmap.total == 6  # the old streak is outside the 26 weeks
    assert shown.this_week == 6
    assert shown.pace == pytest.approx(6 * 7 / 28)


# -- the dated plan --------------------------------------------------------------------------


def test_mid_month(bundled_catalog: Catalog, store: Store) -> None:
    set_path(store)
    shown = guide(bundled_catalog, store, at("2026-01-16T12:00:00"))
    assert shown.title == "Python + FastAPI"
    assert shown.current is not None and shown.current.number == 1
    assert shown.current.dates == MonthDates(1, date(2026, 1, 1), date(2026, 1, 31))
    assert shown.current.state is MonthState.CURRENT
    assert shown.months[1].state is MonthState.UPCOMING
    month_one = shown.months[0].counts.total
    assert shown.on_track is not None and shown.on_track.expected == month_one * 15 // 31
    assert shown.weekly_target == -(-month_one * 7 // 31)
    assert shown.month_of == "month 1 of 10"


def test_month_ends(bundled_catalog: Catalog, store: Store, clock: FakeClock) -> None:
    set_path(store)
    last_day = guide(bundled_catalog, store, at("2026-01-31T22:59:00"))  # 23:59 on 31 Jan
    assert last_day.current is not None and last_day.current.number == 1
    next_day = guide(bundled_catalog, store, at("2026-01-31T23:00:00"))  # 00:00 on 1 Feb
    assert next_day.current is not None and next_day.current.number == 2
    assert next_day.months[0].state is MonthState.OVERDUE
    assert next_day.on_track is not None and next_day.on_track.expected == next_day.months[0].counts.total
    overdue = [pick for pick in next_day.next_up if pick.reason is Reason.OVERDUE]
    assert overdue and overdue[0].month == 1


@pytest.mark.parametrize(
    ("start", "second"),
    [
        (date(2028, 1, 31), MonthDates(2, date(2028, 2, 29), date(2028, 3, 30))),  # a leap year
        (date(2027, 1, 31), MonthDates(2, date(2027, 2, 28), date(2027, 3, 30))),
        (date(2027, 1, 29), MonthDates(2, date(2027, 2, 28), date(2027, 3, 28))),
    ],
)
def test_february(bundled_catalog: Catalog, store: Store, start: date, second: MonthDates) -> None:
    set_path(store, start=start)
    shown = guide(bundled_catalog, store, at("2026-01-01T12:00:00"))
    assert shown.months[1].dates == second
    assert shown.months[2].dates is not None and shown.months[2].dates.start == date(start.year, 3, start.day)


def test_a_start_in_the_future(bundled_catalog: Catalog, store: Store) -> None:
    set_path(store, start=date(2026, 3, 1))
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert shown.current is not None and shown.current.number == 1
    assert shown.current.state is MonthState.UPCOMING
    assert (
        shown.on_track is not None
        and shown.on_track.expected == 0
        and shown.on_track.describe() == "on track"
    )
    assert shown.weekly_target is None
    assert [pick.reason for pick in shown.next_up][:1] == [Reason.CURRENT]


def test_weeks_per_month(bundled_catalog: Catalog, store: Store) -> None:
    set_path(store, weeks=6)
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert [m.dates.start for m in shown.months[:3] if m.dates] == [
        date(2026, 1, 1),
        date(2026, 2, 12),
        date(2026, 3, 26),
    ]


def test_zero_pace_has_no_finish(bundled_catalog: Catalog, store: Store) -> None:
    set_path(store)
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert shown.pace == 0 and shown.finish is None and shown.remaining > 0


def test_a_pace_gives_a_finish(bundled_catalog: Catalog, store: Store, clock: FakeClock) -> None:
    set_path(store)
    http = [
        key(bundled_catalog, leaf.id) for leaf in bundled_catalog.node(MASTER, "http-web-basics").leaves()
    ]
    tick(store, clock, at("2026-01-10T09:00:00"), *http[:4])
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert shown.pace == pytest.approx(1.0)
    assert shown.finish == date(2026, 1, 14) + timedelta(weeks=shown.remaining)
    assert shown.counts.done == 4


def test_unchosen_alternatives_never_count(bundled_catalog: Catalog, store: Store, clock: FakeClock) -> None:
    set_path(store)
    before = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    tick(
        store,
        clock,
        at("2026-01-14T10:00:00"),
        key(bundled_catalog, "py-django"),
        key(bundled_catalog, "node-nestjs"),
    )
    after = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert after.counts == before.counts
    tick(store, clock, at("2026-01-14T10:00:00"), key(bundled_catalog, "py-fastapi"))
    assert guide(bundled_catalog, store, at("2026-01-14T12:00:00")).counts.done == 1
    assert all(not any(item.id == "py-django" for item in month.items) for month in after.months)


def test_replanned_months_are_dated_from_the_restart(bundled_catalog: Catalog, store: Store) -> None:
    from tracker.path import read_path, replan_path

    set_path(store, start=date(2025, 9, 1))
    path = read_path(store)
    assert path is not None
    save_path(store, replan_path(bundled_catalog, path, store.statuses(), date(2026, 1, 14)))
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert shown.months[0].dates == MonthDates(1, date(2026, 1, 14), date(2026, 2, 13))
    assert shown.current is not None and shown.current.state is MonthState.CURRENT


def test_in_progress_comes_first(bundled_catalog: Catalog, store: Store, clock: FakeClock) -> None:
    set_path(store)
    tick(store, clock, at("2026-01-14T10:00:00"), key(bundled_catalog, "py-fastapi"), status="doing")
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"), next_count=3)
    assert [pick.reason for pick in shown.next_up] == [Reason.DOING, Reason.CURRENT, Reason.CURRENT]
    assert shown.next_up[0].item.id == "py-fastapi" and shown.next_up[0].month == 3


def test_careers_best_first(bundled_catalog: Catalog, store: Store, clock: FakeClock) -> None:
    set_path(store)
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert len(shown.careers) == 3
    percents = [r.counts.done / max(r.counts.total, 1) for r in shown.careers]
    assert percents == sorted(percents, reverse=True)


# -- without a path --------------------------------------------------------------------------


def test_without_a_path_the_plan_still_guides(
    bundled_catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    tick(store, clock, at("2026-01-14T10:00:00"), key(bundled_catalog, "http-versions"))
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert shown.path is None and shown.title is None and shown.on_track is None and shown.finish is None
    assert all(month.dates is None and month.state is None for month in shown.months)
    assert shown.current is not None and shown.current.number == 1
    assert shown.next_up[0].item.id == "http-how-internet-works"
    assert shown.streaks.current == 1 and shown.pace > 0
    month_three = {item.id for item in shown.months[2].items}
    assert {"py-django", "py-fastapi", "node-express-apps"} <= month_three


def test_a_stale_path_is_no_path_with_a_reason(bundled_catalog: Catalog, store: Store) -> None:
    save_path(store, LearnerPath("cobol", None, date(2026, 1, 1)))
    shown = guide(bundled_catalog, store, at("2026-01-14T12:00:00"))
    assert shown.path is None and shown.problem is not None and "cobol" in shown.problem


# -- the local zone --------------------------------------------------------------------------


def test_local_zone_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    assert str(local_zone()) == "Europe/Amsterdam"
    monkeypatch.setenv("TZ", ":Asia/Kolkata")
    assert str(local_zone()) == "Asia/Kolkata"
    monkeypatch.setenv("TZ", "Not/AZone")
    zone = local_zone()  # falls back to /etc/localtime or the fixed offset
    assert zone.utcoffset(datetime(2026, 1, 1)) is not None or zone.utcoffset(datetime.now(UTC)) is not None
