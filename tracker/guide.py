"""The guide's core: a dated plan, where the learner stands on it, and what to learn next.

Pure functions over dates and counts: no Textual, no click, no SQL and no clock
of its own. "Today" is always an argument, a *local* calendar date worked out
once from the injected clock (:func:`tracker.activity.local_today`); what the
history says per local day comes from :mod:`tracker.activity`.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Generic, Protocol, TypeVar

ON_TRACK_TOLERANCE = 1
"""Within this many items of what the plan expects counts as on track: one tick
more or less is noise (a month's share is rounded down, today may not be over)."""

_DAY = timedelta(days=1)


# -- the dated plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthDates:
    """The local dates of one plan month, ``end`` included."""

    number: int
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Restart:
    """Plan month ``month`` and the ones after it are dated from ``on`` (a replan after a break)."""

    month: int
    on: date


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, clamped to that month's length (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_start(anchor: date, steps: int, weeks_per_month: int | None) -> date:
    if weeks_per_month is None:
        return add_months(anchor, steps)
    return anchor + timedelta(weeks=weeks_per_month * steps)


def schedule(
    start: date, months: int, weeks_per_month: int | None = None, restarts: Iterable[Restart] = ()
) -> list[MonthDates]:
    """The dates of plan months 1 to ``months``.

    Month N starts N - 1 calendar months after ``start`` on the same day of the
    month, clamped to the month's length (31 Jan, 28 Feb, 31 Mar, 30 Apr: always
    counted from the start, so a 31st never drifts to the 28th), and ends the
    day before month N + 1 starts. With ``weeks_per_month`` each month is that
    many weeks. A restart dates its month and the following ones from its own
    day; the month before it ends at its planned end or the day before the
    restart, whichever is earlier, so a break shows as a gap between the two.
    """
    if weeks_per_month is not None and weeks_per_month < 1:
        raise ValueError(f"a plan month needs at least one week, not {weeks_per_month}")
    anchors = _anchors(start, months, restarts)
    result: list[MonthDates] = []
    anchor = (1, start)
    for number in range(1, months + 1):
        anchor = (number, anchors[number]) if number in anchors else anchor
        first = _month_start(anchor[1], number - anchor[0], weeks_per_month)
        following = _month_start(anchor[1], number + 1 - anchor[0], weeks_per_month)
        if result and first <= result[-1].start:
            raise ValueError(f"month {number} would start on {first}, before month {number - 1}")
        result.append(MonthDates(number, first, min(following, anchors.get(number + 1, following)) - _DAY))
    return result


def _anchors(start: date, months: int, restarts: Iterable[Restart]) -> dict[int, date]:
    anchors = {1: start}
    for restart in restarts:
        if not 1 <= restart.month <= months:
            raise ValueError(f"a restart of month {restart.month} is outside months 1 to {months}")
        anchors[restart.month] = restart.on
    return anchors


def replan(
    start: date,
    months: int,
    weeks_per_month: int | None,
    today: date,
    first_unfinished_month: int | None,
    restarts: Iterable[Restart] = (),
) -> tuple[Restart, ...]:
    """The restarts that date the first unfinished month, and those after it, from today.

    Months before it keep their dates, so what a path stores is its start, its
    pace and these restarts. Nothing moves when every month is done or the
    first unfinished one has not started yet: a replan never pulls a month
    earlier. Later restarts are replaced by the new one.
    """
    restarts = tuple(restarts)
    if first_unfinished_month is None:
        return restarts
    planned = schedule(start, months, weeks_per_month, restarts)[first_unfinished_month - 1]
    if planned.start >= today:
        return restarts
    kept = tuple(restart for restart in restarts if restart.month < first_unfinished_month)
    return (*kept, Restart(first_unfinished_month, today))


# -- where the learner stands ----------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    """A plan month's items: how many count (skipped ones do not) and how many are done."""

    counted: int
    done: int

    @property
    def finished(self) -> bool:
        return self.done >= self.counted


class MonthState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"
    OVERDUE = "overdue"


def month_state(month: MonthDates, count: MonthCount, today: date) -> MonthState:
    """Done wins (a month finished early is done, not upcoming); otherwise where today falls."""
    if count.finished:
        return MonthState.DONE
    if today in month:
        return MonthState.CURRENT
    return MonthState.UPCOMING if month.start > today else MonthState.OVERDUE


def first_unfinished(counts: Sequence[MonthCount]) -> int | None:
    """The number of the first month with something left to do (what a replan moves)."""
    return next((index + 1 for index, count in enumerate(counts) if not count.finished), None)


def expected_done(months: Sequence[MonthDates], counted: Sequence[int], today: date) -> int:
    """Items the plan expects done before today: ended months whole, the month today
    is in by the share of its days already over. Rounded down: nobody is behind by
    a fraction of an item, and today only counts once it is over."""
    expected = Fraction(0)
    for month, number in zip(months, counted, strict=True):
        if month.end < today:
            expected += number
        elif month.start < today:
            expected += Fraction(number * (today - month.start).days, month.days)
    return math.floor(expected)


@dataclass(frozen=True)
class OnTrack:
    """Done against expected, and the plan's rate where today falls (items a day)."""

    expected: int
    done: int
    per_day: float = 0.0

    @property
    def ahead(self) -> int:
        """Items done beyond what is expected; negative when behind."""
        return self.done - self.expected

    @property
    def on_track(self) -> bool:
        return abs(self.ahead) <= ON_TRACK_TOLERANCE

    def describe(self) -> str:
        """``on track``, ``N ahead`` or ``N items behind (about D days)``."""
        if self.on_track:
            return "on track"
        if self.ahead > 0:
            return f"{self.ahead} ahead"
        behind = -self.ahead
        if self.per_day <= 0:
            return f"{behind} items behind"
        days = math.ceil(behind / self.per_day)
        return f"{behind} items behind (about {days} day{'' if days == 1 else 's'})"


def on_track(months: Sequence[MonthDates], counts: Sequence[MonthCount], today: date) -> OnTrack:
    """Where the learner stands against the plan; before the start nothing is expected.

    The rate for "about D days" is the current month's items per day; outside
    every month (before the start, after the end, in a break) it is the plan's.
    """
    counted = [count.counted for count in counts]
    expected = expected_done(months, counted, today)
    done = sum(count.done for count in counts)
    current = [(month, number) for month, number in zip(months, counted, strict=True) if today in month]
    if current:
        per_day = current[0][1] / current[0][0].days
    else:
        days = sum(month.days for month in months)
        per_day = sum(counted) / days if days else 0.0
    return OnTrack(expected, done, per_day)


def weekly_target(month: MonthDates, counted: int) -> int:
    """Items a week that finish ``month`` on time: its items over its weeks, rounded up."""
    return math.ceil(counted * 7 / month.days)


# -- what to learn next ----------------------------------------------------------------------


class Keyed(Protocol):
    """Anything with a progress key: a catalog node, or a plain record in tests."""

    @property
    def key(self) -> str: ...


ItemT = TypeVar("ItemT", bound=Keyed)


@dataclass(frozen=True)
class PlanMonth(Generic[ItemT]):
    """A plan month's items on the path, in roadmap order (project milestones in order)."""

    number: int
    items: tuple[ItemT, ...]


class Reason(StrEnum):
    """Why an item is next up."""

    DOING = "in progress"
    OVERDUE = "overdue"
    CURRENT = "this month"
    NEXT = "next month"


@dataclass(frozen=True)
class NextUp(Generic[ItemT]):
    item: ItemT
    month: int
    reason: Reason


def current_month_index(months: Sequence[MonthDates], today: date) -> int:
    """Index of the month today is in, else of the next one to start (0 before the
    plan starts); ``len(months)`` once the last month has ended."""
    return next((index for index, month in enumerate(months) if month.end >= today), len(months))


def next_up(
    months: Sequence[PlanMonth[ItemT]], statuses: Mapping[str, str], today_month_index: int, n: int
) -> list[NextUp[ItemT]]:
    """What to learn next: items in progress anywhere in the plan, then the todo items
    of the months before ``today_month_index`` (overdue), of that month, of the
    one after it; each month in its given order. A key met twice is listed once."""
    picks = [
        NextUp(item, month.number, Reason.DOING)
        for month in months
        for item in month.items
        if statuses.get(item.key) == "doing"
    ]
    for index, month in enumerate(months[: max(today_month_index + 2, 0)]):
        reason = _reason(index, today_month_index)
        picks += [NextUp(item, month.number, reason) for item in month.items if _is_todo(item, statuses)]
    return _first_of_each_key(picks)[: max(n, 0)]


def _first_of_each_key(picks: list[NextUp[ItemT]]) -> list[NextUp[ItemT]]:
    seen: set[str] = set()
    result = []
    for pick in picks:
        if pick.item.key not in seen:
            seen.add(pick.item.key)
            result.append(pick)
    return result


def _is_todo(item: Keyed, statuses: Mapping[str, str]) -> bool:
    return statuses.get(item.key, "todo") == "todo"


def _reason(index: int, today_month_index: int) -> Reason:
    if index < today_month_index:
        return Reason.OVERDUE
    return Reason.CURRENT if index == today_month_index else Reason.NEXT
