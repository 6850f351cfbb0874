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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from tracker.activity import (
    HEATMAP_WEEKS,
    Heatmap,
    Streaks,
    done_this_week,
    heatmap,
    local_today,
    pace_per_week,
    projected_finish,
    streaks,
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
from tracker.progress import Counts, ProgressIndex, count, shown_percent
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


def _offsets(first: datetime, last: datetime, tz: tzinfo) -> set[timedelta]:
    """Every UTC offset ``tz`` uses between two times (sampled twice a day, weekly past ten years)."""
    step = timedelta(hours=12) if last - first <= timedelta(days=3660) else timedelta(days=7)
    found: set[timedelta] = set()
    moment = first
    while moment <= last + step:
        offset = moment.astimezone(tz).utcoffset()
        if offset is not None:
            found.add(offset)
        moment += step
    return found


def done_per_local_day(store: Store, tz: tzinfo, since: date | None = None) -> Counter[date]:
    """Items marked done per local calendar day, from ``since`` (all history by default).

    Aggregated in SQL per UTC day and offset boundary (:meth:`Store.done_per_day_part`),
    so a history of 100,000 changes is a few hundred rows here.
    """
    span = store.history_span()
    if span is None or readable_time(span[0]) is None or readable_time(span[1]) is None:
        return Counter()
    first, last = parse_timestamp(span[0]), parse_timestamp(span[1])
    if since is not None:
        first = max(first, datetime.combine(since, datetime.min.time(), tzinfo=tz).astimezone(UTC))
    cuts = {int((-offset.total_seconds() // 60) % (24 * 60)) for offset in _offsets(first, last, tz)}
    stamp = None
    if since is not None:
        stamp = first.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    days: Counter[date] = Counter()
    for earliest, number in store.done_per_day_part(cuts, stamp):
        if readable_time(earliest):
            days[parse_timestamp(earliest).astimezone(tz).date()] += number
    return days


# -- the guide -------------------------------------------------------------------------------


def _dated(
    path: LearnerPath | None, months: Sequence[MonthItems], statuses: dict[str, str], today: date
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


def _careers(catalog: Catalog, scope: PathScope, statuses: dict[str, str]) -> tuple[Readiness, ...]:
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
    progress: ProgressIndex,
    now: datetime,
    tz: tzinfo,
    next_count: int = 10,
) -> Guide:
    """Everything the guide shows at ``now`` (an aware time from the injected clock), dates in ``tz``.

    Without a path the months are the whole plan, undated; streaks, pace, the
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
    statuses = progress.statuses
    items = path_months(catalog, scope)
    months, track, index = _dated(path, items, statuses, today)
    total = Counts()
    for month in months:
        total.absorb(month.counts)
    days = done_per_local_day(store, tz)
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
        streaks=streaks(days, today),
        this_week=done_this_week(days, today),
        weekly_target=target,
        next_up=tuple(picks),
        heatmap=heatmap(days, today, HEATMAP_WEEKS),
        careers=_careers(catalog, scope, statuses),
    )
