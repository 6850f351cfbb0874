"""The guide at a glance: everything the Today view, ``tracker path/next/stats`` and the reports show.

:func:`build_guide` reads the stored path and the history once and returns a
frozen :class:`Guide`: the dated months and their states, on-track, pace,
projected finish, streaks, this week, next up, the heatmap and the top career
readiness. The maths is :mod:`tracker.guide` and :mod:`tracker.activity`;
this module only gathers their inputs (history aggregated in SQL, dates in
the learner's zone) and puts the answers together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from tracker.activity import (
    HEATMAP_WEEKS,
    PACE_DAYS,
    Heatmap,
    Streaks,
    done_this_week,
    heatmap,
    local_today,
    pace_per_week,
    projected_finish,
    streaks,
    week_start,
)
from tracker.catalog import Catalog, Node, View
from tracker.guide import (
    MonthDates,
    MonthState,
    NextUp,
    OnTrack,
    current_month_index,
    first_unfinished,
    month_state,
    next_up,
    on_track,
    weekly_target,
)
from tracker.path import (
    Chosen,
    LearnerPath,
    MonthItems,
    PathChoiceError,
    PathScope,
    month_counts,
    path_months,
    read_path,
    resolve,
)
from tracker.progress import Counts, count, shown_percent
from tracker.store import Store
from tracker.stored import parse_timestamp, readable_time

TOP_CAREERS = 3


@dataclass(frozen=True)
class GuideMonth:
    """One plan month as the guide shows it: dates and state only with a path."""

    number: int
    id: str
    title: str
    dates: MonthDates | None
    state: MonthState | None
    counts: Counts
    items: tuple[Node, ...]

    @property
    def percent(self) -> float | None:
        return shown_percent(self.counts)


@dataclass(frozen=True)
class Readiness:
    """How far the learner is towards a career path (on-path items only, with a path)."""

    career: View
    counts: Counts


@dataclass(frozen=True)
class Guide:
    """Where the learner stands, at one moment; build it with :func:`build_guide`."""

    path: LearnerPath | None
    title: str | None
    """``Python + FastAPI``; ``None`` without a path."""
    problem: str | None
    """Why a stored path is not used (its language left the roadmaps), else ``None``."""
    today: date
    months: tuple[GuideMonth, ...]
    current: GuideMonth | None
    """The month today falls in (or the next to start; with no path, the first unfinished one)."""
    counts: Counts
    on_track: OnTrack | None
    pace: float
    """Items done a week over the last four weeks."""
    finish: date | None
    """Projected finish at this pace; ``None`` without a path or without a pace ("no pace yet")."""
    streaks: Streaks
    this_week: int
    weekly_target: int | None
    next_up: tuple[NextUp[Node], ...]
    heatmap: Heatmap
    careers: tuple[Readiness, ...]

    @property
    def percent(self) -> float | None:
        """Percent of the path (or the whole plan) done; ``None`` when nothing counts."""
        return shown_percent(self.counts)

    @property
    def remaining(self) -> int:
        return self.counts.total - self.counts.skipped - self.counts.done

    @property
    def month_of(self) -> str | None:
        """``month 2 of 10``, or ``None`` outside the plan."""
        return f"month {self.current.number} of {len(self.months)}" if self.current else None


# -- history per local day -------------------------------------------------------------------


def _midnight(day: date, tz: tzinfo) -> str:
    """Local midnight starting ``day``, as a stored UTC time."""
    return _stamp(datetime.combine(day, time(), tzinfo=tz))


def done_per_local_day(
    store: Store, tz: tzinfo, since: date | None = None, until: date | None = None
) -> Counter[date]:
    """Items marked done per local calendar day, from ``since`` to ``until`` (both included;
    by default the days of the first and the last change).

    Each local day is counted in SQL between its own midnights (worked out in
    ``tz``, so a 23- or 25-hour day is one day): the cost follows the days
    asked for, not the length of the history.
    """
    span = store.history_span()
    if span is None or readable_time(span[0]) is None or readable_time(span[1]) is None:
        return Counter()
    first = since or parse_timestamp(span[0]).astimezone(tz).date()
    last = until or parse_timestamp(span[1]).astimezone(tz).date()
    if last < first:
        return Counter()
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    try:
        bounds = [_midnight(day, tz) for day in days] + [_midnight(last + timedelta(days=1), tz)]
    except OverflowError:  # the last day of year 9999
        bounds = [_midnight(day, tz) for day in days] + ["9999-12-31T23:59:59.999Z"]
    counts = store.done_between(bounds)
    return Counter({day: number for day, number in zip(days, counts, strict=True) if number})


def active_local_days(store: Store, tz: tzinfo, before: date | None = None) -> set[date]:
    """Every local day with a tick, over all history (or before ``before``).

    Walks from each active day to the next with one index seek each
    (:meth:`Store.first_done_since`), so its cost follows the number of active
    days, not of ticks: streaks over 100,000 history rows stay cheap.
    """
    span = store.history_span()
    if span is None or readable_time(span[0]) is None:
        return set()
    days: set[date] = set()
    since = span[0]
    while True:
        found = store.first_done_since(since)
        if found is None or readable_time(found) is None:
            return days
        day = parse_timestamp(found).astimezone(tz).date()
        if before is not None and day >= before:
            return days
        days.add(day)
        try:
            since = _midnight(day + timedelta(days=1), tz)
        except OverflowError:  # the last day of year 9999
            return days


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def history_days(store: Store, tz: tzinfo, today: date) -> tuple[Counter[date], Streaks]:
    """Items done per local day over the heatmap's weeks (and the pace's four), and the streaks
    over all history: counts where they are shown, only whether a day was active before."""
    first = min(week_start(today) - timedelta(weeks=HEATMAP_WEEKS - 1), today - timedelta(days=PACE_DAYS))
    recent = done_per_local_day(store, tz, first, today)
    active = active_local_days(store, tz, before=first) | {day for day, number in recent.items() if number}
    return recent, streaks(dict.fromkeys(active, 1), today)


# -- the guide -------------------------------------------------------------------------------


def _dated(
    path: LearnerPath | None, months: Sequence[MonthItems], statuses: Mapping[str, str], today: date
) -> tuple[list[GuideMonth], OnTrack | None, int]:
    """The guide's months, on-track and the index of the current month."""
    counts = month_counts(months, statuses)
    totals = [count(statuses.get(item.key, "todo") for item in month.items) for month in months]
    if path is None:
        index = (first_unfinished(counts) or len(months) + 1) - 1
        plain = [
            GuideMonth(m.number, m.id, m.title, None, None, c, m.items)
            for m, c in zip(months, totals, strict=True)
        ]
        return plain, None, index
    dates = path.schedule(len(months))
    result = [
        GuideMonth(m.number, m.id, m.title, d, month_state(d, c, today), total, m.items)
        for m, d, c, total in zip(months, dates, counts, totals, strict=True)
    ]
    return result, on_track(dates, counts, today), current_month_index(dates, today)


def _careers(catalog: Catalog, scope: PathScope, statuses: Mapping[str, str]) -> tuple[Readiness, ...]:
    master = next((r for r in catalog.roadmaps.values() if r.careers), None)
    if scope.chosen is not None:
        master = catalog.roadmaps.get(scope.chosen.options.master_id, master)
    if master is None:
        return ()
    ranked = []
    for career in master.careers:
        keys = {leaf.key for leaf in scope.on_path_leaves(career.nodes)}
        ranked.append(Readiness(career, count(statuses.get(key, "todo") for key in keys)))
    ranked.sort(key=lambda readiness: -(shown_percent(readiness.counts, 2) or 0.0))  # stable: plan order
    return tuple(ranked[:TOP_CAREERS])


def build_guide(
    catalog: Catalog,
    store: Store,
    statuses: Mapping[str, str],
    now: datetime,
    tz: tzinfo,
    next_count: int = 10,
) -> Guide:
    """Everything the guide shows at ``now`` (an aware time from the injected clock), dates in ``tz``.

    ``statuses`` are the progress keys' stored statuses (a snapshot: the app builds
    the guide on its store thread). Without a path the months are the whole plan, undated; streaks, pace, the
    heatmap and next up (in progress, then the plan in order) still work.
    """
    today = local_today(now, tz)
    path, problem = read_path(store), None
    chosen: Chosen | None = None
    if path is not None:
        try:
            chosen = resolve(catalog, path)
        except PathChoiceError as error:
            path, problem = None, f"the stored path is not used: {error}"
    scope = PathScope(chosen)
    items = path_months(catalog, scope)
    months, track, index = _dated(path, items, statuses, today)
    total = Counts()
    for month in months:
        total.absorb(month.counts)
    days, streak = history_days(store, tz, today)
    pace = pace_per_week(days, today)
    current = months[index] if 0 <= index < len(months) else None
    target = None
    if current is not None and current.dates is not None and today in current.dates:
        target = weekly_target(current.dates, current.counts.total - current.counts.skipped)
    remaining = total.total - total.skipped - total.done
    picks = next_up([m.plan_month() for m in items], statuses, index, next_count)
    return Guide(
        path=path,
        title=chosen.title if chosen else None,
        problem=problem,
        today=today,
        months=tuple(months),
        current=current,
        counts=total,
        on_track=track,
        pace=pace,
        finish=projected_finish(remaining, pace, today) if path is not None else None,
        streaks=streak,
        this_week=done_this_week(days, today),
        weekly_target=target,
        next_up=tuple(picks),
        heatmap=heatmap(days, today, HEATMAP_WEEKS),
        careers=_careers(catalog, scope, statuses),
    )
