"""Activity per local day: time zones and daylight saving, pace, streaks, weeks and the heatmap."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.activity import (
    HEAT_THRESHOLDS,
    active_days,
    changes_per_week,
    current_streak,
    days_from_buckets,
    done_this_week,
    heat_level,
    heatmap,
    local_date,
    local_today,
    longest_streak,
    pace_per_week,
    projected_finish,
    streaks,
    utc_since,
    week_start,
)
from tracker.store import timestamp

from .conftest import FakeClock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ZONES = [
    AMSTERDAM,
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Kathmandu"),  # +05:45
    ZoneInfo("America/St_Johns"),  # -03:30, with daylight saving
    ZoneInfo("Australia/Lord_Howe"),  # +10:30, a 30-minute daylight saving shift
    ZoneInfo("Pacific/Chatham"),  # +12:45 / +13:45
    ZoneInfo("Asia/Tehran"),
    UTC,
]
MONDAY = date(2026, 1, 5)


def quarter(moment: datetime) -> str:
    """The store's bucket of an instant (as ``done_per_quarter_hour`` names it)."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H}:{moment.minute // 15 * 15:02d}"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- local days ----------------------------------------------------------------------------


def test_today_is_the_learners_date_from_the_injected_clock() -> None:
    clock = FakeClock(utc(2026, 1, 5, 23, 30))
    assert local_today(clock(), UTC) == date(2026, 1, 5)
    assert local_today(clock(), AMSTERDAM) == date(2026, 1, 6)
    assert local_today(clock(), ZoneInfo("America/New_York")) == date(2026, 1, 5)


def test_stored_times_are_read_as_local_dates() -> None:
    assert local_date("2026-01-05T23:30:00.000Z", AMSTERDAM) == date(2026, 1, 6)
    assert active_days(["2026-01-05T22:50:00.000Z", "2026-01-05T23:10:00.000Z"]) == {date(2026, 1, 5): 2}
    assert active_days(["2026-01-05T22:50:00.000Z", "2026-01-05T23:10:00.000Z"], AMSTERDAM) == {
        date(2026, 1, 5): 1,
        date(2026, 1, 6): 1,
    }


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # Spring forward, 29 March 2026: 02:00 CET becomes 03:00 CEST.
        (utc(2026, 3, 28, 22, 59), date(2026, 3, 28)),  # 23:59 CET
        (utc(2026, 3, 28, 23, 30), date(2026, 3, 29)),  # 00:30 CET on the DST day
        (utc(2026, 3, 29, 21, 45), date(2026, 3, 29)),  # 23:45 CEST
        (utc(2026, 3, 29, 22, 0), date(2026, 3, 30)),  # 00:00 CEST
        # Fall back, 25 October 2026: 03:00 CEST becomes 02:00 CET, 02:xx happens twice.
        (utc(2026, 10, 24, 22, 30), date(2026, 10, 25)),  # 00:30 CEST on the DST day
        (utc(2026, 10, 25, 0, 30), date(2026, 10, 25)),  # 02:30 CEST
        (utc(2026, 10, 25, 1, 30), date(2026, 10, 25)),  # 02:30 CET, the second time
        (utc(2026, 10, 25, 22, 45), date(2026, 10, 25)),  # 23:45 CET
        (utc(2026, 10, 25, 23, 0), date(2026, 10, 26)),  # 00:00 CET
    ],
)
def test_a_bucket_lands_on_its_amsterdam_day_across_daylight_saving(moment: datetime, day: date) -> None:
    assert days_from_buckets([(quarter(moment), 3)], AMSTERDAM) == {day: 3}
    assert local_date(timestamp(moment), AMSTERDAM) == day


def test_quarter_hour_buckets_split_days_in_zones_off_the_hour() -> None:
    kathmandu = ZoneInfo("Asia/Kathmandu")  # local midnight is 18:15 UTC
    buckets = [("2026-01-05T18:00", 1), ("2026-01-05T18:15", 2)]
    assert days_from_buckets(buckets, kathmandu) == {date(2026, 1, 5): 1, date(2026, 1, 6): 2}
    assert utc_since(date(2026, 1, 6), kathmandu) == "2026-01-05T18:15:00.000Z"


@st.composite
def instants_near_local_midnight(draw: st.DrawFn) -> tuple[datetime, object]:
    """An instant within half an hour of a zone's local midnight, where a wrong bucket would show.

    From 2012: until 2011 Newfoundland changed its clocks at 00:01, off every quarter hour (the
    documented approximation of ``days_from_buckets`` holds for the rules in use today).
    """
    tz = draw(st.sampled_from(ZONES))
    midnight = datetime.fromisoformat(utc_since(draw(st.dates(date(2012, 1, 1), date(2037, 12, 31))), tz))
    return midnight + timedelta(seconds=draw(st.integers(-1800, 1799))), tz


@given(case=instants_near_local_midnight())
def test_a_quarter_hour_bucket_has_the_local_date_of_every_instant_in_it(
    case: tuple[datetime, object],
) -> None:
    moment, tz = case
    assert days_from_buckets([(quarter(moment), 1)], tz) == {moment.astimezone(tz).date(): 1}


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31)), tz=st.sampled_from(ZONES))
def test_since_is_the_first_instant_of_the_local_day(day: date, tz) -> None:
    since = datetime.fromisoformat(utc_since(day, tz))
    assert since.astimezone(tz).date() == day
    assert (since - timedelta(seconds=1)).astimezone(tz).date() < day


# -- pace ----------------------------------------------------------------------------------


def test_pace_counts_the_28_days_ending_today() -> None:
    today = date(2026, 3, 1)
    days = {
        today: 2,
        today - timedelta(days=27): 6,
        today - timedelta(days=28): 100,
        today + timedelta(days=1): 50,
    }
    assert pace_per_week(days, today) == 2.0  # 8 items over four weeks


def test_no_pace_means_no_projected_finish() -> None:
    today = date(2026, 3, 1)
    assert pace_per_week({}, today) == 0
    assert projected_finish(10, 0.0, today) is None
    assert projected_finish(0, 0.0, today) == today  # nothing left: finished today
    assert projected_finish(10**9, 0.25, today) is None  # past year 9999


def test_projected_finish_rounds_up_to_a_whole_day() -> None:
    today = date(2026, 3, 1)
    assert projected_finish(10, 5.0, today) == date(2026, 3, 15)
    assert projected_finish(10, 3.0, today) == today + timedelta(days=24)  # 23.3 days


# -- streaks and weeks ---------------------------------------------------------------------


def test_current_streak_ends_today_or_yesterday() -> None:
    today = date(2026, 1, 10)
    run = [today - timedelta(days=n) for n in range(1, 4)]  # 7, 8, 9 January
    assert current_streak(run, today) == 3  # today is still empty
    assert current_streak([*run, today], today) == 4
    assert current_streak(run[1:], today) == 0  # yesterday is empty: the streak is broken
    assert current_streak([], today) == 0


def test_a_streak_across_local_midnight_is_two_days() -> None:
    ticks = ["2026-01-05T22:50:00.000Z", "2026-01-05T23:10:00.000Z"]  # 23:50 and 00:10 in Amsterdam
    assert streaks(active_days(ticks, AMSTERDAM), date(2026, 1, 6)).current == 2
    assert streaks(active_days(ticks, UTC), date(2026, 1, 6)).current == 1


def test_longest_streak_and_active_days() -> None:
    days = Counter({MONDAY: 1, MONDAY + timedelta(days=1): 4, MONDAY + timedelta(days=3): 1})
    days[MONDAY + timedelta(days=4)] = 0  # a day with nothing done is not active
    result = streaks(days, MONDAY + timedelta(days=4))
    assert (result.current, result.longest, result.active_days) == (1, 2, 3)
    assert longest_streak([]) == 0


def test_this_week_starts_on_monday() -> None:
    sunday_before = MONDAY - timedelta(days=1)
    sunday = MONDAY + timedelta(days=6)
    days = {
        sunday_before: 5,
        MONDAY: 1,
        MONDAY + timedelta(days=3): 2,
        sunday: 4,
        sunday + timedelta(days=1): 8,
    }
    assert week_start(MONDAY) == week_start(sunday) == MONDAY
    assert done_this_week(days, MONDAY) == 1
    assert done_this_week(days, sunday) == 7
    assert done_this_week(days, sunday + timedelta(days=1)) == 8
    assert done_this_week(days, sunday_before) == 5


def test_changes_per_week_groups_by_monday() -> None:
    days = Counter({MONDAY: 1, MONDAY + timedelta(days=6): 2, MONDAY + timedelta(days=7): 3})
    assert changes_per_week(days) == {MONDAY: 3, MONDAY + timedelta(weeks=1): 3}


@given(
    days=st.dictionaries(st.dates(date(2025, 1, 1), date(2026, 12, 31)), st.integers(0, 20), max_size=200),
    today=st.dates(date(2025, 1, 1), date(2026, 12, 31)),
)
def test_streaks_never_exceed_what_they_count(days: dict[date, int], today: date) -> None:
    result = streaks(days, today)
    assert result.current <= result.longest <= result.active_days
    assert result.active_days == sum(1 for number in days.values() if number > 0)


# -- heatmap -------------------------------------------------------------------------------


def test_heat_levels_follow_the_fixed_thresholds() -> None:
    assert [heat_level(n) for n in (0, 1, 2, 3, 4, 6, 7, 100)] == [0, 1, 2, 2, 3, 3, 4, 4]
    assert HEAT_THRESHOLDS == (1, 2, 4, 7)


def test_heatmap_ends_with_this_week_and_leaves_the_future_blank() -> None:
    today = date(2026, 3, 4)  # a Wednesday
    days = {today: 3, today - timedelta(days=1): 9, date(2025, 9, 1): 1, today + timedelta(days=1): 5}
    grid = heatmap(days, today)
    assert len(grid.rows) == 7 and all(len(row) == 26 for row in grid.rows)
    assert grid.first_monday == date(2025, 9, 8)  # 25 weeks before this Monday
    assert grid.rows[2][25].day == today and grid.rows[2][25].level == 2
    assert grid.rows[1][25].done == 9 and grid.rows[1][25].level == 4
    assert [grid.rows[weekday][25] for weekday in range(3, 7)] == [None] * 4
    assert grid.total == 12  # 1 September 2025 is before the window, 5 March after today


def test_month_labels_sit_over_the_week_of_the_first() -> None:
    grid = heatmap({}, date(2026, 3, 4))
    labels = [(label.column, label.text, label.first) for label in grid.labels]
    assert labels[0] == (3, "Oct", date(2025, 10, 1))  # Wednesday of the fourth week
    assert labels[-1] == (24, "Mar", date(2026, 3, 1))  # a Sunday: the week of Monday 23 February
    assert len(labels) == 6
    assert heatmap({}, date(2026, 3, 31)).labels[-1].text == "Mar"  # April has not begun


def test_a_heatmap_needs_a_week() -> None:
    with pytest.raises(ValueError, match="at least one week"):
        heatmap({}, MONDAY, weeks=0)


@given(
    days=st.dictionaries(st.dates(date(2025, 1, 1), date(2026, 12, 31)), st.integers(0, 30), max_size=300),
    today=st.dates(date(2025, 6, 1), date(2026, 12, 31)),
)
def test_heatmap_has_7_by_26_cells_and_sums_its_window(days: dict[date, int], today: date) -> None:
    grid = heatmap(days, today)
    cells = [cell for row in grid.rows for cell in row]
    assert len(cells) == 7 * 26
    assert grid.first_monday.weekday() == 0
    assert grid.total == sum(number for day, number in days.items() if grid.first_monday <= day <= today)
    assert sum(cell is None for cell in cells) == 6 - today.weekday()
