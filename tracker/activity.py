"""What the history says, per local day: pace, streaks, weeks and the heatmap.

History is stored in UTC; a day here is the learner's calendar day, so every
function that reads stored times takes an explicit ``tz`` (daylight saving
included). Pure functions: "today" is an argument, never read from a clock.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

_DAY = timedelta(days=1)

PACE_DAYS = 28
"""Pace is measured over the last four weeks, today included."""

HEATMAP_WEEKS = 26
HEAT_THRESHOLDS = (1, 2, 4, 7)
"""The least items a day needs for heat levels 1 to 4 (so 1, 2-3, 4-6, 7+).

Fixed rather than quantiles: a day keeps its shade as history grows, and the
legend can say what a shade means."""

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English month labels, the same whatever the machine's locale."""


# -- local time ------------------------------------------------------------------------------


def local_today(now: datetime, tz: tzinfo) -> date:
    """The learner's calendar date at ``now``, an aware time from the injected clock."""
    return now.astimezone(tz).date()


def local_date(stamp: str, tz: tzinfo) -> date:
    """The local date of a stored UTC time such as ``2026-01-05T09:00:00.000Z``."""
    return datetime.fromisoformat(stamp).astimezone(tz).date()


def active_days(times: Iterable[str], tz: tzinfo = UTC) -> Counter[date]:
    """How many changes happened on each local day (stored UTC times).

    ``tz`` defaults to UTC only because reports written before the guide count
    UTC days; anything that shows days to the learner passes their zone.
    """
    return Counter(local_date(stamp, tz) for stamp in times)


def days_from_buckets(buckets: Iterable[tuple[str, int]], tz: tzinfo) -> Counter[date]:
    """Items per local day from counts per UTC quarter hour (``2026-01-05T09:45``).

    Every zone in use today is a whole number of quarter hours from UTC
    (+05:45, -03:30), so local midnight falls on a quarter-hour boundary and a
    bucket never straddles two local days, on daylight-saving days too.
    """
    days: Counter[date] = Counter()
    for bucket, number in buckets:
        days[datetime.fromisoformat(bucket).replace(tzinfo=UTC).astimezone(tz).date()] += number
    return days


def utc_since(day: date, tz: tzinfo) -> str:
    """Local midnight starting ``day`` in the stored UTC form: a ``since`` for store queries."""
    midnight = datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)
    return midnight.strftime("%Y-%m-%dT%H:%M:%S.000Z")


# -- pace, streaks and weeks -----------------------------------------------------------------


def pace_per_week(days: Mapping[date, int], today: date) -> float:
    """Items done a week over the :data:`PACE_DAYS` local days ending today."""
    first = today - timedelta(days=PACE_DAYS - 1)
    return sum(number for day, number in days.items() if first <= day <= today) * 7 / PACE_DAYS


def projected_finish(remaining: int, per_week: float, today: date) -> date | None:
    """When the remaining items are done at this pace: today when none remain,
    ``None`` ("no pace yet") without a pace or when the day is past year 9999."""
    if remaining <= 0:
        return today
    if per_week <= 0:
        return None
    try:
        return today + timedelta(days=math.ceil(remaining * 7 / per_week))
    except OverflowError:
        return None


def current_streak(days: Iterable[date], today: date) -> int:
    """Consecutive active days ending today (or yesterday, if today is still empty)."""
    active = set(days)
    day = today if today in active else today - _DAY
    streak = 0
    while day in active:
        streak += 1
        day -= _DAY
    return streak


def longest_streak(days: Iterable[date]) -> int:
    """The longest run of consecutive active days."""
    longest = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == _DAY else 1
        longest = max(longest, run)
        previous = day
    return longest


class Streaks(NamedTuple):
    current: int
    longest: int
    active_days: int


def streaks(days: Mapping[date, int], today: date) -> Streaks:
    """Streaks and active days from items done per local day (days with none do not count)."""
    active = {day for day, number in days.items() if number > 0}
    return Streaks(current_streak(active, today), longest_streak(active), len(active))


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def done_this_week(days: Mapping[date, int], today: date) -> int:
    """Items done since Monday, today included."""
    monday = week_start(today)
    return sum(number for day, number in days.items() if monday <= day <= today)


def changes_per_week(days: Mapping[date, int]) -> dict[date, int]:
    """Counts grouped by the Monday of their week, oldest first."""
    weeks: Counter[date] = Counter()
    for day, number in days.items():
        weeks[week_start(day)] += number
    return dict(sorted(weeks.items()))


# -- heatmap ---------------------------------------------------------------------------------


def heat_level(number: int) -> int:
    """0 for an empty day, then 1 to 4 by :data:`HEAT_THRESHOLDS`."""
    return sum(number >= threshold for threshold in HEAT_THRESHOLDS)


class HeatCell(NamedTuple):
    day: date
    done: int
    """Items done that day."""
    level: int


class MonthLabel(NamedTuple):
    """A month's name over the column of the week its first day falls in."""

    column: int
    first: date

    @property
    def text(self) -> str:
        return MONTH_ABBREVIATIONS[self.first.month - 1]


class Heatmap(NamedTuple):
    """Seven weekday rows (Monday first) of week columns, the last being this week.

    A cell is ``None`` after today, so renderers leave it blank.
    """

    first_monday: date
    rows: tuple[tuple[HeatCell | None, ...], ...]
    labels: tuple[MonthLabel, ...]

    @property
    def weeks(self) -> int:
        return len(self.rows[0])

    @property
    def total(self) -> int:
        return sum(cell.done for row in self.rows for cell in row if cell is not None)


def heatmap(days: Mapping[date, int], today: date, weeks: int = HEATMAP_WEEKS) -> Heatmap:
    """The last ``weeks`` weeks of items done per local day, shaded by :func:`heat_level`."""
    if weeks < 1:
        raise ValueError(f"a heatmap needs at least one week, not {weeks}")
    first = week_start(today) - timedelta(weeks=weeks - 1)

    def cell(day: date) -> HeatCell | None:
        number = days.get(day, 0)
        return HeatCell(day, number, heat_level(number)) if day <= today else None

    rows = tuple(
        tuple(cell(first + timedelta(weeks=column, days=weekday)) for column in range(weeks))
        for weekday in range(7)
    )
    return Heatmap(first, rows, _month_labels(first, weeks, today))


def _month_labels(first: date, weeks: int, today: date) -> tuple[MonthLabel, ...]:
    span = (min(today, first + timedelta(weeks=weeks) - _DAY) - first).days + 1
    firsts = (first + timedelta(days=offset) for offset in range(span))
    return tuple(MonthLabel((day - first).days // 7, day) for day in firsts if day.day == 1)
