"""The guide as plain text: the lines of ``tracker path``, ``next``, ``stats`` and the status line.

Headless (no click, no Textual): the CLI prints these lines and the Markdown
report reuses them. Dates are English and locale-free ("3 Nov"), like the
heatmap's month labels.
"""

from __future__ import annotations

from datetime import date

from tracker.activity import HEAT_THRESHOLDS, MONTH_ABBREVIATIONS, Heatmap
from tracker.guide import MonthDates
from tracker.path_options import PathOptions
from tracker.progress import percent_text
from tracker.today import Guide, GuideMonth

SHADES = "·░▒▓█"
"""Heat levels 0 to 4 in a terminal: an empty day is a dot, so the grid stays visible."""

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def short_date(day: date, today: date | None = None) -> str:
    """``3 Nov``, with the year when it is not ``today``'s (``3 Nov 2027``)."""
    text = f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]}"
    return text if today is not None and day.year == today.year else f"{text} {day.year}"


def plan_month_notes(guide: Guide) -> dict[str, str]:
    """What the Plan tab shows before each dated month's title: ``2: 1 Feb – 28 Feb · current``."""
    notes = {}
    for month in guide.months:
        if month.dates is not None:
            state = f" · {month.state}" if month.state else ""
            notes[month.id] = f"{month.number}: {date_range(month.dates, guide.today)}{state}"
    return notes


def date_range(dates: MonthDates, today: date | None = None) -> str:
    """``1 Jan - 31 Jan``."""
    return f"{short_date(dates.start, today)} - {short_date(dates.end, today)}"


def pace_text(guide: Guide) -> str:
    per_week = guide.pace
    return "no pace yet" if per_week <= 0 else f"{per_week:.1f} items a week"


def finish_text(guide: Guide) -> str:
    """``about 3 Nov``, ``no pace yet``, ``done``, or what a path would give."""
    if guide.path is None:
        return "choose a path for a finish date"
    if guide.remaining <= 0:
        return "done: every item on the path"
    return f"about {short_date(guide.finish, guide.today)}" if guide.finish else "no pace yet"


def where_text(guide: Guide) -> str:
    """``month 2 of 10, 1 Jan - 31 Jan`` (and a word when it has not begun or has ended)."""
    current = guide.current
    if current is None or current.dates is None:
        if guide.months and guide.months[-1].dates is not None:
            return f"the plan ended on {short_date(guide.months[-1].dates.end, guide.today)}"
        return "no plan months"
    text = f"{guide.month_of}, {date_range(current.dates, guide.today)}"
    return (
        text
        if guide.today >= current.dates.start
        else f"{text} (starts in {(current.dates.start - guide.today).days} days)"
    )


def path_facts(guide: Guide) -> list[tuple[str, bool]]:
    """The reports' line under the path's title, fact by fact; ``True`` marks the one to stress."""
    streaks = guide.streaks
    return [
        (f"started {short_date(guide.path.start)}" if guide.path else "", False),
        (where_text(guide), False),
        (guide.on_track.describe() if guide.on_track else "", True),
        (f"pace {pace_text(guide)}", False),
        (f"finish {finish_text(guide)}", False),
        (f"streak {streaks.current} (longest {streaks.longest})", False),
    ]


def status_line(guide: Guide) -> str | None:
    """``Path: Python + FastAPI · month 2 of 10, 1 Jan - 31 Jan · 4 items behind · finish about 3 Nov``."""
    if guide.path is None or guide.on_track is None:
        return None
    finish = finish_text(guide)
    finish = f"finish {finish}" if finish.startswith("about") else finish
    return f"Path: {guide.title} · {where_text(guide)} · {guide.on_track.describe()} · {finish}"


def month_line(month: GuideMonth, today: date) -> str:
    dates = date_range(month.dates, today) if month.dates else ""
    state = month.state.value if month.state else ""
    counts = f"{month.counts.done}/{month.counts.total - month.counts.skipped}"
    percent = percent_text(month.counts, 0)
    return f"{month.number:>3}  {dates:<26} {state:<9} {percent:>8} {counts:>7}  {month.title}"


def path_lines(guide: Guide, options: PathOptions | None) -> list[str]:
    """What ``tracker path`` prints."""
    if guide.path is None:
        lines = []
        if guide.problem:
            lines.append(guide.problem)
        lines.append("No path yet. Choose your stack:")
        lines.append(
            "  tracker path set --language ID [--framework ID] [--start YYYY-MM-DD] [--weeks-per-month N]"
        )
        lines += choice_lines(options)
        return lines
    path = guide.path
    pace = "calendar months" if path.weeks_per_month is None else f"{path.weeks_per_month} weeks a plan month"
    track = guide.on_track.describe() if guide.on_track else ""
    target = f" of {guide.weekly_target} planned" if guide.weekly_target is not None else ""
    lines = [
        f"Path: {guide.title} ({path.language}{' / ' + path.framework if path.framework else ''})",
        f"Start: {short_date(path.start)} · {pace}"
        + "".join(f" · replanned: month {r.month} from {short_date(r.on)}" for r in path.restarts),
        f"Now: {where_text(guide)}"
        + (f" · {guide.current.state.value}" if guide.current and guide.current.state else ""),
        f"On track: {track}",
        f"Done: {guide.counts.done} of {guide.counts.total - guide.counts.skipped} items on the path "
        f"({percent_text(guide.counts)})",
        f"Pace: {pace_text(guide)} · this week {guide.this_week}{target}",
        f"Finish: {finish_text(guide)}",
        "",
    ]
    return lines + [month_line(month, guide.today) for month in guide.months]


def choice_lines(options: PathOptions | None) -> list[str]:
    """One line per language with its frameworks' ids."""
    if options is None:
        return ["(no roadmap offers a path: the master roadmap has no 'path:' block)"]
    lines = []
    for language in options.languages:
        frameworks = ", ".join(language.framework_ids) or "no framework to choose"
        lines.append(f"  {language.id:<8} {language.title:<10} frameworks: {frameworks}")
    return lines


def next_lines(guide: Guide) -> list[str]:
    """One line per item: roadmap id, item id, status, month and title (ids first, for ``tracker mark``)."""
    picks = guide.next_up
    if not picks:
        return []
    width_roadmap = max(len(pick.item.roadmap_id) for pick in picks)
    width_item = max(len(pick.item.id) for pick in picks)
    lines = []
    for pick in picks:
        status = "doing" if pick.reason.value == "in progress" else "todo"
        where = f"month {pick.month} ({pick.reason.value})"
        lines.append(
            f"{pick.item.roadmap_id:<{width_roadmap}}  {pick.item.id:<{width_item}}  {status:<5}  "
            f"{where:<25}  {pick.item.title}"
        )
    return lines


def heatmap_lines(heat: Heatmap) -> list[str]:
    """The heatmap in a terminal: month labels over week columns, a row per weekday, a legend."""
    width = heat.weeks * 2
    labels = [" "] * (width + 4)
    for label in heat.labels:
        column = label.column * 2
        if all(cell == " " for cell in labels[column : column + 4]):
            labels[column : column + 3] = label.text
    lines = ["     " + "".join(labels).rstrip()]
    for weekday, row in zip(WEEKDAYS, heat.rows, strict=True):
        cells = " ".join(" " if cell is None else SHADES[cell.level] for cell in row)
        lines.append(f"{weekday}  {cells}".rstrip())
    legend = [f"{SHADES[0]} 0"]
    for level, low in enumerate(HEAT_THRESHOLDS, start=1):
        high = HEAT_THRESHOLDS[level] if level < len(HEAT_THRESHOLDS) else None
        text = f"{low}+" if high is None else str(low) if high - low == 1 else f"{low}-{high - 1}"
        legend.append(f"{SHADES[level]} {text}")
    lines.append("     " + "  ".join(legend) + " items a day")
    return lines


def stats_lines(guide: Guide) -> list[str]:
    """What ``tracker stats`` prints."""
    streaks = guide.streaks
    days = "day" if streaks.current == 1 else "days"
    target = f" (target {guide.weekly_target})" if guide.weekly_target is not None else ""
    lines = [
        f"Streak: {streaks.current} {days} · longest {streaks.longest} · {streaks.active_days} active days",
        f"This week: {guide.this_week} done{target}",
        f"Pace: {pace_text(guide)} (last 4 weeks)",
        f"Finish: {finish_text(guide)}",
        "",
        f"Items done per day, last {guide.heatmap.weeks} weeks ({guide.heatmap.total} in all):",
    ]
    return lines + heatmap_lines(guide.heatmap)
