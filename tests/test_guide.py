"""The guide's core: the dated plan, month states, on track, replanning and what to learn next."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.activity import local_today
from tracker.catalog import Catalog
from tracker.guide import (
    MonthCount,
    MonthDates,
    MonthState,
    OnTrack,
    PlanMonth,
    Reason,
    Restart,
    add_months,
    current_month_index,
    expected_done,
    first_unfinished,
    month_state,
    next_up,
    on_track,
    replan,
    schedule,
    weekly_target,
)
from tracker.progress import unique_leaves

from .conftest import FakeClock

TEN = [10] * 10


def spans(months: list[MonthDates]) -> list[tuple[str, str]]:
    return [(f"{m.start:%Y-%m-%d}", f"{m.end:%Y-%m-%d}") for m in months]


def counts(*pairs: tuple[int, int]) -> list[MonthCount]:
    return [MonthCount(counted, done) for counted, done in pairs]


# -- the schedule --------------------------------------------------------------------------


def test_a_mid_month_start_gives_calendar_months() -> None:
    months = schedule(date(2026, 1, 15), 10)
    assert [m.number for m in months] == list(range(1, 11))
    assert spans(months)[:3] == [
        ("2026-01-15", "2026-02-14"),
        ("2026-02-15", "2026-03-14"),
        ("2026-03-15", "2026-04-14"),
    ]
    assert spans(months)[-1] == ("2026-10-15", "2026-11-14")


def test_a_start_on_the_31st_is_clamped_each_month_without_drifting() -> None:
    months = schedule(date(2026, 1, 31), 5)
    assert spans(months) == [
        ("2026-01-31", "2026-02-27"),
        ("2026-02-28", "2026-03-30"),
        ("2026-03-31", "2026-04-29"),
        ("2026-04-30", "2026-05-30"),
        ("2026-05-31", "2026-06-29"),
    ]


def test_february_in_leap_years() -> None:
    assert schedule(date(2027, 1, 31), 1)[0].end == date(2027, 2, 27)
    assert schedule(date(2028, 1, 31), 1)[0].end == date(2028, 2, 28)  # month 2 starts on the 29th
    leap_day = schedule(date(2028, 2, 29), 13)
    assert spans(leap_day)[:2] == [("2028-02-29", "2028-03-28"), ("2028-03-29", "2028-04-28")]
    assert spans(leap_day)[-1] == ("2029-02-28", "2029-03-28")
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2028, 2, 29), 48) == date(2032, 2, 29)


def test_a_slower_pace_gives_months_of_whole_weeks() -> None:
    months = schedule(date(2026, 1, 5), 10, weeks_per_month=6)
    assert spans(months)[:2] == [("2026-01-05", "2026-02-15"), ("2026-02-16", "2026-03-29")]
    assert all(month.days == 42 for month in months)
    assert months[-1].end == date(2026, 1, 5) + timedelta(weeks=60, days=-1)


def test_bad_plans_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one week"):
        schedule(date(2026, 1, 5), 10, weeks_per_month=0)
    with pytest.raises(ValueError, match="outside months 1 to 10"):
        schedule(date(2026, 1, 5), 10, restarts=[Restart(11, date(2027, 1, 1))])
    with pytest.raises(ValueError, match="before month 2"):
        schedule(date(2026, 1, 5), 10, restarts=[Restart(3, date(2026, 1, 10))])
    assert schedule(date(2026, 1, 5), 0) == []


@given(
    start=st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    months=st.integers(1, 30),
    weeks=st.none() | st.integers(1, 10),
)
def test_schedule_is_contiguous_and_covers_every_month(start: date, months: int, weeks: int | None) -> None:
    plan = schedule(start, months, weeks)
    assert [month.number for month in plan] == list(range(1, months + 1))
    assert plan[0].start == start
    assert all(month.start <= month.end for month in plan)
    assert all(after.start == before.end + timedelta(days=1) for before, after in pairwise(plan))
    if weeks is None:
        assert all(month.start.day == min(start.day, _month_length(month.start)) for month in plan)
        assert all(28 <= month.days <= 31 for month in plan)
    else:
        assert all(month.days == 7 * weeks for month in plan)


def _month_length(day: date) -> int:
    return (add_months(day.replace(day=1), 1) - day.replace(day=1)).days


# -- month states and on track -------------------------------------------------------------


def test_month_states_on_a_fixed_clock() -> None:
    today = local_today(FakeClock(datetime(2026, 3, 15, 12, tzinfo=UTC))(), UTC)
    months = schedule(date(2026, 1, 1), 4)
    progress = counts((5, 5), (5, 4), (5, 0), (5, 0))
    states = [month_state(month, count, today) for month, count in zip(months, progress, strict=True)]
    assert states == [MonthState.DONE, MonthState.OVERDUE, MonthState.CURRENT, MonthState.UPCOMING]
    assert month_state(months[3], MonthCount(5, 5), today) == MonthState.DONE  # finished early
    assert month_state(months[3], MonthCount(0, 0), today) == MonthState.DONE  # everything skipped
    assert first_unfinished(progress) == 2
    assert first_unfinished(counts((1, 1), (0, 0))) is None


def test_expected_done_mid_month_is_linear_and_rounded_down() -> None:
    months = schedule(date(2026, 1, 1), 10)
    assert expected_done(months, TEN, date(2026, 1, 1)) == 0  # the first day is not over yet
    assert expected_done(months, TEN, date(2026, 1, 31)) == 9  # 30 of 31 days
    assert expected_done(months, TEN, date(2026, 2, 1)) == 10
    assert expected_done(months, TEN, date(2026, 3, 16)) == 24  # 20 + 10 * 15/31
    assert expected_done(months, TEN, date(2027, 6, 1)) == 100


def test_on_track_within_one_item() -> None:
    months = schedule(date(2026, 1, 1), 10)
    today = date(2026, 3, 16)  # 24 expected; March is 10 items in 31 days

    def standing(done: int) -> OnTrack:
        return on_track(
            months, counts(*[(10, 10)] * (done // 10), (10, done % 10), *[(10, 0)] * 9)[:10], today
        )

    assert [standing(done).describe() for done in (23, 24, 25)] == ["on track"] * 3
    assert standing(20).describe() == "4 items behind (about 13 days)"
    assert standing(30).describe() == "6 ahead"
    assert standing(30).ahead == 6 and not standing(30).on_track
    assert OnTrack(expected=10, done=8, per_day=5).describe() == "2 items behind (about 1 day)"
    assert OnTrack(expected=10, done=8).describe() == "2 items behind"


def test_a_start_in_the_future_expects_nothing_yet() -> None:
    months = schedule(date(2026, 6, 1), 10)
    today = date(2026, 3, 16)
    assert on_track(months, counts(*[(10, 0)] * 10), today) == OnTrack(
        0, 0, 100 / sum(m.days for m in months)
    )
    assert on_track(months, counts((10, 3), *[(10, 0)] * 9), today).describe() == "3 ahead"
    assert [month_state(m, MonthCount(10, 0), today) for m in months] == [MonthState.UPCOMING] * 10
    assert current_month_index(months, today) == 0


def test_after_the_plan_ends_everything_is_expected() -> None:
    months = schedule(date(2025, 1, 1), 10)
    result = on_track(months, counts(*[(10, 5)] * 10), date(2026, 3, 16))
    assert (result.expected, result.done) == (100, 50)
    assert result.describe() == "50 items behind (about 152 days)"  # at the plan's 100 items in 304 days
    assert current_month_index(months, date(2026, 3, 16)) == 10


def test_weekly_target_is_the_months_items_over_its_weeks() -> None:
    months = schedule(date(2026, 2, 1), 2, weeks_per_month=6)
    assert weekly_target(months[0], 30) == 5
    assert weekly_target(schedule(date(2026, 2, 1), 1)[0], 10) == 3  # 10 items in 4 weeks: 2.5 a week
    assert weekly_target(months[0], 0) == 0


@given(
    counted=st.lists(st.integers(0, 40), min_size=1, max_size=12),
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    weeks=st.none() | st.integers(1, 8),
    first=st.dates(date(2019, 1, 1), date(2033, 12, 31)),
    later=st.integers(0, 400),
)
def test_expected_done_grows_with_today_and_stays_within_the_total(
    counted: list[int], start: date, weeks: int | None, first: date, later: int
) -> None:
    months = schedule(start, len(counted), weeks)
    earlier_expected = expected_done(months, counted, first)
    later_expected = expected_done(months, counted, first + timedelta(days=later))
    assert 0 <= earlier_expected <= later_expected <= sum(counted)
    assert expected_done(months, counted, start) == 0
    assert expected_done(months, counted, months[-1].end + timedelta(days=1)) == sum(counted)


# -- replanning ----------------------------------------------------------------------------


def test_replanning_after_a_break_redates_what_is_left_from_today() -> None:
    start, today = date(2026, 1, 1), date(2026, 6, 10)
    restarts = replan(start, 10, None, today, 3)
    assert restarts == (Restart(3, today),)
    months = schedule(start, 10, restarts=restarts)
    assert spans(months)[:4] == [
        ("2026-01-01", "2026-01-31"),  # done months keep their dates
        ("2026-02-01", "2026-02-28"),
        ("2026-06-10", "2026-07-09"),  # the break shows as a gap
        ("2026-07-10", "2026-08-09"),
    ]
    progress = counts((10, 10), (10, 10), *[(10, 0)] * 8)
    assert on_track(months, progress, today).describe() == "on track"
    assert (
        on_track(schedule(start, 10), progress, today).describe() == "33 items behind (about 99 days)"
    )  # 50 + 9/30 of June


def test_a_second_replan_keeps_the_first_and_a_replan_further_back_replaces_later_ones() -> None:
    start = date(2026, 1, 1)
    first = replan(start, 10, None, date(2026, 6, 10), 3)
    second = replan(start, 10, None, date(2026, 12, 1), 5, first)
    assert second == (Restart(3, date(2026, 6, 10)), Restart(5, date(2026, 12, 1)))
    assert schedule(start, 10, restarts=second)[3].end == date(
        2026, 8, 9
    )  # month 4 as the first replan left it
    assert replan(start, 10, None, date(2027, 1, 5), 4, second) == (
        Restart(3, date(2026, 6, 10)),
        Restart(4, date(2027, 1, 5)),
    )


def test_a_replan_with_a_slower_pace_and_of_the_first_month() -> None:
    start, today = date(2026, 1, 5), date(2026, 4, 1)
    assert replan(start, 10, 6, today, 1) == (Restart(1, today),)
    months = schedule(start, 10, 6, restarts=[Restart(1, today)])
    assert spans(months)[0] == ("2026-04-01", "2026-05-12")


def test_nothing_to_replan() -> None:
    start = date(2026, 1, 1)
    assert replan(start, 10, None, date(2026, 3, 1), None) == ()  # every month done
    assert replan(start, 10, None, date(2026, 2, 10), 4) == ()  # ahead: month 4 starts in April
    assert replan(start, 10, None, date(2026, 4, 1), 4) == ()  # month 4 starts today


@given(
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    weeks=st.none() | st.integers(1, 8),
    breaks=st.lists(st.tuples(st.integers(1, 10), st.integers(0, 500)), max_size=4),
)
def test_replans_keep_months_ordered_and_finished_months_in_place(
    start: date, weeks: int | None, breaks: list[tuple[int, int]]
) -> None:
    restarts: tuple[Restart, ...] = ()
    today = start
    for unfinished, wait in breaks:
        today += timedelta(days=wait)
        before = schedule(start, 10, weeks, restarts)
        restarts = replan(start, 10, weeks, today, unfinished, restarts)
        after = schedule(start, 10, weeks, restarts)
        assert after[: unfinished - 1] == before[: unfinished - 1]
        assert after[unfinished - 1].start == max(today, before[unfinished - 1].start)
        assert all(later.start > earlier.end for earlier, later in pairwise(after))
        assert all(month.start <= month.end for month in after)


# -- what to learn next --------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    key: str


def plan(*months: str) -> list[PlanMonth[Item]]:
    """Months from space-separated keys: ``plan("a b", "c")``."""
    return [PlanMonth(number, tuple(Item(k) for k in keys.split())) for number, keys in enumerate(months, 1)]


def picked(months: list[PlanMonth[Item]], statuses: dict[str, str], index: int, n: int = 20) -> list[str]:
    return [
        f"{pick.item.key}:{pick.month}:{pick.reason.name}" for pick in next_up(months, statuses, index, n)
    ]


def test_next_up_orders_doing_then_overdue_then_this_month_then_next() -> None:
    months = plan("a1 a2 a3", "b1 b2", "c1 c2 c3", "d1 d2", "e1")
    statuses = {"a1": "done", "a2": "skipped", "c2": "done", "d2": "doing", "b2": "doing"}
    assert picked(months, statuses, 2) == [
        "b2:2:DOING",
        "d2:4:DOING",  # in progress anywhere in the plan
        "a3:1:OVERDUE",
        "b1:2:OVERDUE",
        "c1:3:CURRENT",
        "c3:3:CURRENT",
        "d1:4:NEXT",  # the month after next (e1) waits
    ]
    assert picked(months, statuses, 2, n=3) == ["b2:2:DOING", "d2:4:DOING", "a3:1:OVERDUE"]
    assert picked(months, statuses, 2, n=0) == []


def test_next_up_lists_a_key_once_and_keeps_milestones_in_order() -> None:
    months = plan("git sql", "http git project/m1 project/m2 project/m3")
    statuses = {"project/m2": "doing"}
    assert picked(months, statuses, 1) == [
        "project/m2:2:DOING",
        "git:1:OVERDUE",
        "sql:1:OVERDUE",
        "http:2:CURRENT",
        "project/m1:2:CURRENT",
        "project/m3:2:CURRENT",
    ]


def test_next_up_before_the_start_and_after_the_end() -> None:
    months = plan("a", "b", "c")
    assert picked(months, {}, 0) == ["a:1:CURRENT", "b:2:NEXT"]
    assert picked(months, {}, 3) == ["a:1:OVERDUE", "b:2:OVERDUE", "c:3:OVERDUE"]
    assert Reason.OVERDUE == "overdue"


def test_current_month_index_skips_a_break() -> None:
    months = schedule(date(2026, 1, 1), 10, restarts=[Restart(3, date(2026, 6, 10))])
    assert current_month_index(months, date(2026, 1, 31)) == 0
    assert current_month_index(months, date(2026, 2, 1)) == 1
    assert current_month_index(months, date(2026, 4, 1)) == 2  # in the gap: month 3 is next
    assert current_month_index(months, date(2026, 6, 10)) == 2


def test_next_up_takes_catalog_nodes(bundled_catalog: Catalog) -> None:
    roadmap = bundled_catalog.roadmap("backend-server")
    months = [PlanMonth(view.number or 0, tuple(unique_leaves(view.nodes))) for view in roadmap.plan]
    first, second = months[0].items[0], months[0].items[1]
    picks = next_up(months, {first.key: "done", second.key: "doing"}, 0, 5)
    assert picks[0].item is second and picks[0].reason == Reason.DOING
    assert [pick.item for pick in picks[1:]] == list(months[0].items[2:6])


@given(
    keys=st.lists(st.lists(st.sampled_from("abcdefghij"), max_size=6), max_size=6),
    statuses=st.dictionaries(
        st.sampled_from("abcdefghij"), st.sampled_from(["todo", "doing", "done", "skipped"])
    ),
    index=st.integers(0, 7),
    n=st.integers(0, 30),
)
def test_next_up_never_repeats_and_puts_doing_first(
    keys: list[list[str]], statuses: dict[str, str], index: int, n: int
) -> None:
    months = [PlanMonth(number, tuple(Item(k) for k in month)) for number, month in enumerate(keys, 1)]
    picks = next_up(months, statuses, index, n)
    assert len(picks) <= n
    assert len({pick.item.key for pick in picks}) == len(picks)
    reasons = [pick.reason for pick in picks]
    assert reasons == sorted(reasons, key=list(Reason).index)
    assert all(statuses.get(pick.item.key, "todo") in ("todo", "doing") for pick in picks)


# -- a headless core -----------------------------------------------------------------------


def test_the_guide_imports_no_ui_no_cli_and_no_database() -> None:
    forbidden = {"textual", "click", "sqlite3", "sqlite_utils"}
    code = (
        "import sys, tracker.guide, tracker.activity;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {forbidden!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
