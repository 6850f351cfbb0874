"""HTML: one self-contained page to send to a mentor or print.

Inline CSS only: no script, no font, image or stylesheet from anywhere, and a
Content-Security-Policy that forbids them even if something slipped through.
Every piece of user text goes through :func:`html.escape` (after control
characters are made visible) and is shown with ``white-space: pre-wrap`` so
newlines and tabs stay as written; right-to-left text sits in ``<bdi>`` or
``dir="auto"`` so it keeps its direction without reordering the figures
around it. User text never lands inside ``<style>`` or an attribute other than
quoted ``title``.
"""

from __future__ import annotations

import html
from datetime import UTC

from tracker.activity import Heatmap
from tracker.guide_text import date_range, path_facts
from tracker.progress import Counts, shown_percent
from tracker.reports.snapshot import Activity, Entry, Group, Report, RoadmapReport, ViewProgress
from tracker.reports.text import long_date, percent, tally, visible
from tracker.today import Guide

STATUS_LABELS = {"done": "done", "doing": "in progress", "skipped": "skipped", "todo": "to do"}

CSS = """
:root {
  --bg: #f4f5f7; --card: #ffffff; --ink: #1d2330; --muted: #5f6b7a; --faint: #8a94a3;
  --line: #e3e6eb; --track: #e8ebf0; --accent: #3b5bdb;
  --done: #2f9e44; --doing: #e8a317; --skipped: #adb5bd; --note-bg: #f7f8fb;
  --radius: 12px; --shadow: 0 1px 2px rgba(20, 30, 50, .06), 0 4px 16px rgba(20, 30, 50, .05);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --card: #1c2027; --ink: #e6e9ee; --muted: #a3acb9; --faint: #7d8795;
    --line: #2c323c; --track: #2a3039; --accent: #7c95f5; --note-bg: #222731;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
    "DejaVu Sans", Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
}
main { max-width: 980px; margin: 0 auto; padding: 40px 28px 64px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
h1 { font-size: 30px; letter-spacing: -.01em; }
h2 { font-size: 21px; }
h3 { font-size: 16px; }
.eyebrow {
  margin: 0 0 6px; color: var(--accent); font-size: 12px; font-weight: 650;
  letter-spacing: .08em; text-transform: uppercase;
}
.meta { margin: 6px 0 0; color: var(--muted); }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
  box-shadow: var(--shadow); padding: 22px 24px;
}
.masthead { margin-bottom: 24px; }
.overview { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr); gap: 18px;
  margin-bottom: 18px; }
.score-figure { font-size: 46px; font-weight: 700; line-height: 1; letter-spacing: -.02em; }
.score-figure span { font-size: 24px; color: var(--muted); font-weight: 600; margin-left: 2px; }
.score-label { color: var(--muted); margin: 6px 0 14px; }
.legend { list-style: none; display: grid; grid-template-columns: repeat(2, max-content);
  gap: 6px 28px; padding: 0; margin: 16px 0 0; color: var(--muted); font-size: 13px; }
.legend b { color: var(--ink); font-weight: 650; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px;
  vertical-align: 1px; background: var(--track); }
.dot.done { background: var(--done); } .dot.doing { background: var(--doing); }
.dot.skipped { background: var(--skipped); }
.bar { display: flex; height: 8px; border-radius: 999px; background: var(--track); overflow: hidden; }
.bar.big { height: 12px; }
.bar.small { height: 6px; }
.bar .done { background: var(--done); }
.bar .doing { background: var(--doing); }
.bar span, .week span, .dot, .mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.activity h2, .summary h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .08em;
  color: var(--muted); margin-bottom: 12px; }
.stats { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; margin-bottom: 16px; }
.stats div { background: var(--note-bg); border-radius: 10px; padding: 10px 12px; }
.stats b { display: block; font-size: 24px; line-height: 1.1; }
.stats span { color: var(--muted); font-size: 12.5px; }
.weeks { display: grid; grid-template-columns: repeat(12, minmax(0, 1fr)); gap: 6px; align-items: end; }
.week { display: flex; flex-direction: column; align-items: center; gap: 4px; }
.week .col { height: 56px; width: 100%; display: flex; align-items: flex-end; }
.week span { display: block; width: 100%; min-height: 3px; border-radius: 4px 4px 2px 2px;
  background: var(--accent); opacity: .85; }
.week span.none { background: var(--track); opacity: 1; }
.week small { color: var(--faint); font-size: 10.5px; white-space: nowrap; }
.week:nth-child(even) small { visibility: hidden; }  /* every other week: room to read */
.path { margin-bottom: 28px; }
.path h2 { margin-bottom: 6px; }
.path .facts { margin: 0 0 14px; color: var(--muted); }
.path .facts b { color: var(--ink); }
.path table.plan { width: 100%; border-collapse: collapse; margin-bottom: 18px; }
.path .plan th {
  text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; padding: 4px 8px 4px 0;
}
.path .plan td { padding: 6px 8px 6px 0; border-top: 1px solid var(--line); vertical-align: middle; }
.path .plan td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.path .plan td.dates { white-space: nowrap; color: var(--muted); }
.state {
  font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 999px; background: var(--track);
}
.state.done { color: var(--done); }
.state.current { color: var(--accent); }
.state.overdue { color: #c92a2a; }
table.heat { border-collapse: separate; border-spacing: 3px; font-size: 10px; color: var(--muted); }
table.heat th { font-weight: 500; text-align: left; padding: 0 4px 0 0; white-space: nowrap; }
table.heat td { width: 11px; height: 11px; padding: 0; border-radius: 2px; background: var(--track); }
table.heat td.future { background: transparent; }
table.heat td.h1 { background: #9be9a8; } table.heat td.h2 { background: #40c463; }
table.heat td.h3 { background: #30a14e; } table.heat td.h4 { background: #216e39; }
.heat-legend { margin: 6px 0 0; font-size: 12px; color: var(--muted); }
.summary { margin-bottom: 28px; }
.summary table { width: 100%; border-collapse: collapse; }
.summary td { padding: 7px 0; border-top: 1px solid var(--line); vertical-align: middle; }
.summary tr:first-child td { border-top: 0; }
.summary td.name { padding-right: 16px; font-weight: 550; }
.summary a { color: inherit; text-decoration: none; }
.summary a:hover { color: var(--accent); text-decoration: underline; }
.summary td.graph { width: 38%; }
.summary td.num { width: 64px; text-align: right; font-variant-numeric: tabular-nums; }
.summary td.tally { width: 72px; text-align: right; color: var(--muted);
  font-variant-numeric: tabular-nums; }
.roadmap { margin-top: 30px; }
.roadmap-head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px;
  margin-bottom: 10px; }
.roadmap-head .figure { font-size: 21px; font-weight: 700; font-variant-numeric: tabular-nums; }
.roadmap-head .figure small { color: var(--muted); font-size: 13px; font-weight: 500; margin-left: 6px; }
.roadmap > .bar { margin-bottom: 16px; }
.group { margin-top: 14px; padding: 18px 22px 14px; }
.group-head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px;
  margin-bottom: 8px; }
.group-head .pct { color: var(--muted); font-size: 13px; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.group-head .pct b { color: var(--ink); }
.items { list-style: none; margin: 12px 0 0; padding: 0; }
.item { display: flex; gap: 10px; align-items: flex-start;
  padding: 5px 0 5px calc(var(--depth, 0) * 22px); border-top: 1px solid var(--line); }
.item:first-child { border-top: 0; }
.item .body { flex: 1; min-width: 0; }
.line { display: flex; gap: 12px; justify-content: space-between; align-items: baseline; }
.title { white-space: pre-wrap; overflow-wrap: anywhere; tab-size: 4; }
.parent > .body .title { font-weight: 620; }
.when { color: var(--muted); font-size: 12.5px; white-space: nowrap; font-variant-numeric: tabular-nums; }
.s-doing .when { color: #b07800; }
.mark { flex: none; position: relative; width: 16px; height: 16px; margin-top: 3px;
  border: 1.5px solid #c2c8d0; border-radius: 5px; }
.s-done .mark { background: var(--done); border-color: var(--done); }
.s-done .mark::after { content: ""; position: absolute; left: 4px; top: 0.5px; width: 4px; height: 8px;
  border: solid #fff; border-width: 0 2px 2px 0; transform: rotate(45deg); }
.s-doing .mark { border-color: var(--doing);
  background: linear-gradient(90deg, var(--doing) 50%, transparent 50%); }
.s-skipped .mark { border-style: dashed; }
.s-skipped .title { color: var(--muted); text-decoration: line-through; }
.note, .group-note {
  margin: 6px 0 4px; padding: 8px 12px; background: var(--note-bg); border-left: 3px solid var(--accent);
  border-radius: 0 8px 8px 0; color: var(--ink); font-size: 14px; white-space: pre-wrap;
  overflow-wrap: anywhere; tab-size: 4; unicode-bidi: plaintext;
}
.views { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px;
  align-items: start; margin: 0 0 4px; }
.views h3 { margin-bottom: 10px; }
.view { display: grid; grid-template-columns: 1fr 90px 48px; gap: 10px; align-items: center;
  font-size: 13.5px; padding: 4px 0; }
.view .num { text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; }
.view .month { color: var(--faint); margin-right: 6px; font-variant-numeric: tabular-nums; }
.orphans p { color: var(--muted); margin: 6px 0 0; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", monospace; }
footer { margin-top: 36px; color: var(--faint); font-size: 12.5px; text-align: center; }
@media (max-width: 720px) {
  .overview, .views { grid-template-columns: 1fr; }
  .summary td.graph { display: none; }
}
@page { margin: 14mm 12mm; }
@media print {
  :root { --bg: #fff; --card: #fff; --ink: #111; --muted: #555; --line: #ddd; --shadow: none;
    --note-bg: #f5f5f5; color-scheme: light; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .card { box-shadow: none; border-color: #ccc; }
  .overview { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .week small { font-size: 8.5px; }
  .roadmap + .roadmap { break-before: page; }
  .group-head, h2, h3 { break-after: avoid; }
  .item, .view, .summary tr, .overview { break-inside: avoid; }
}
""".strip()


def _text(text: str) -> str:
    """User text, safe anywhere in element content or a quoted attribute."""
    return html.escape(visible(text), quote=True)


def _number(value: float) -> str:
    return f"{value:.1f}"


def _bar(counts: Counts, size: str = "") -> str:
    counted = counts.total - counts.skipped
    done = 100.0 * counts.done / counted if counted > 0 else (100.0 if counts.total else 0.0)
    doing = 100.0 * counts.doing / counted if counted > 0 else 0.0
    label = f"{percent(counts)} done"
    return (
        f'<div class="bar{" " + size if size else ""}" role="img" aria-label="{label}">'
        f'<span class="done" style="width:{_number(done)}%"></span>'
        f'<span class="doing" style="width:{_number(doing)}%"></span></div>'
    )


def _legend(counts: Counts) -> str:
    parts = [
        ("done", counts.done, "done"),
        ("doing", counts.doing, "in progress"),
        ("skipped", counts.skipped, "skipped"),
        ("todo", counts.todo, "to do"),
    ]
    items = "".join(
        f'<li><i class="dot {name}"></i><b>{number}</b> {label}</li>' for name, number, label in parts
    )
    return f'<ul class="legend">{items}</ul>'


def _overview(report: Report) -> list[str]:
    counts = report.overall
    shown = shown_percent(counts)
    value = "–" if shown is None else f"{shown:.1f}"
    score = [
        '<div class="card score">',
        f'<div class="score-figure">{value}<span>%</span></div>',
        f'<div class="score-label">complete · {counts.done} of {counts.total - counts.skipped} '
        "items done</div>",
        _bar(counts, "big"),
        _legend(counts),
        "</div>",
    ]
    return ['<section class="overview">', *score, *_activity(report.activity), "</section>"]


def _activity(activity: Activity | None) -> list[str]:
    if activity is None:
        return []
    stats = [
        (str(activity.streak), "day streak"),
        (str(activity.active_days), "active days"),
        (str(activity.changes), "status changes"),
    ]
    top = max((number for _, number in activity.weeks), default=0)
    weeks = []
    for monday, number in activity.weeks:
        height = 100.0 * number / top if top else 0.0
        label = f"{long_date(monday.isoformat())[:-5]}"
        changes = "change" if number == 1 else "changes"
        css = ' class="none"' if number == 0 else ""
        weeks.append(
            f'<div class="week" title="Week of {label}: {number} {changes}">'
            f'<div class="col"><span{css} style="height:{_number(height)}%"></span></div>'
            f"<small>{label}</small></div>"
        )
    return [
        '<div class="card activity">',
        "<h2>Activity</h2>",
        '<div class="stats">',
        *(f"<div><b>{value}</b><span>{label}</span></div>" for value, label in stats),
        "</div>",
        f'<div class="weeks" role="img" aria-label="Status changes per week, last '
        f'{len(activity.weeks)} weeks">',
        *weeks,
        "</div>",
        "</div>",
    ]


def _path(guide: Guide | None) -> list[str]:
    """The learner's path: where they stand, the dated plan and the heatmap of active days."""
    if guide is None or guide.path is None or guide.title is None:
        return []
    facts = [f"<b>{_text(fact)}</b>" if stressed else _text(fact) for fact, stressed in path_facts(guide)]
    rows = []
    for month in guide.months:
        state = month.state.value if month.state else ""
        rows.append(
            f'<tr><td class="num">{month.number}</td><td><bdi>{_text(month.title)}</bdi></td>'
            f'<td class="dates">{_text(date_range(month.dates)) if month.dates else ""}</td>'
            f'<td><span class="state {state}">{state}</span></td>'
            f'<td class="num">{percent(month.counts)}</td><td class="num">{tally(month.counts)}</td></tr>'
        )
    return [
        '<section class="card path">',
        f"<h2>Path: <bdi>{_text(guide.title)}</bdi> · {percent(guide.counts)} "
        f"<small>{tally(guide.counts)}</small></h2>",
        f'<p class="facts">{" · ".join(facts)}</p>',
        '<table class="plan">',
        "<tr><th>Month</th><th></th><th>Dates</th><th>Status</th><th>Done</th><th></th></tr>",
        *rows,
        "</table>",
        *_heatmap(guide.heatmap),
        "</section>",
    ]


def _heatmap(heat: Heatmap) -> list[str]:
    """Items done per day over the last weeks: a table, a cell per day, shaded by CSS class."""
    labels = {label.column: label.text for label in heat.labels}
    head = "".join(f"<th>{labels.get(column, '')}</th>" for column in range(heat.weeks))
    rows = [f"<tr><th></th>{head}</tr>"]
    for weekday, row in zip(("Mon", "", "Wed", "", "Fri", "", "Sun"), heat.rows, strict=True):
        cells = []
        for cell in row:
            if cell is None:
                cells.append('<td class="future"></td>')
                continue
            items = "item" if cell.done == 1 else "items"
            when = long_date(cell.day.isoformat())
            cells.append(f'<td class="h{cell.level}" title="{when}: {cell.done} {items}"></td>')
        rows.append(f"<tr><th>{weekday}</th>{''.join(cells)}</tr>")
    return [
        f'<table class="heat" role="img" aria-label="Items done per day, last {heat.weeks} weeks">',
        *rows,
        "</table>",
        f'<p class="heat-legend">{heat.total} items done in the last {heat.weeks} weeks; '
        "darker is more (1, 2-3, 4-6, 7 or more a day)</p>",
    ]


def _summary(report: Report) -> list[str]:
    if len(report.roadmaps) < 2:
        return []
    rows = [
        f'<tr><td class="name"><a href="#rm-{_text(part.roadmap.id)}">'
        f"<bdi>{_text(part.roadmap.title)}</bdi></a></td>"
        f'<td class="graph">{_bar(part.counts, "small")}</td>'
        f'<td class="num">{percent(part.counts)}</td>'
        f'<td class="tally">{tally(part.counts)}</td></tr>'
        for part in report.roadmaps
    ]
    return [
        '<section class="card summary">',
        "<h2>Roadmaps</h2>",
        "<table>",
        *rows,
        "</table>",
        "</section>",
    ]


def _when(entry: Entry) -> str:
    """What the right-hand side of an item says: counts, done date or status."""
    parts = [tally(entry.counts)] if entry.counts is not None else []
    if entry.status == "done" and entry.done_on:
        parts.append(f"done {long_date(entry.done_on)}")
    elif entry.status in ("doing", "skipped"):
        parts.append(STATUS_LABELS[entry.status])
    return f'<span class="when">{" · ".join(parts)}</span>' if parts else ""


def _item(entry: Entry, title_html: str) -> str:
    parent = " parent" if entry.counts is not None else ""
    note = (
        f'<blockquote class="note" dir="auto">{_text(entry.record.note)}</blockquote>'
        if entry.record.note
        else ""
    )
    return (
        f'<li class="item s-{entry.status}{parent}" style="--depth:{entry.depth}">'
        f'<span class="mark" role="img" aria-label="{STATUS_LABELS[entry.status]}"></span>'
        f'<div class="body"><div class="line">{title_html}{_when(entry)}</div>{note}</div></li>'
    )


def _group(group: Group) -> list[str]:
    lines = [
        '<div class="card group">',
        '<div class="group-head">',
        f'<h3><bdi class="title">{_text(group.title)}</bdi></h3>',
        f'<span class="pct"><b>{percent(group.counts)}</b> · {tally(group.counts)}</span>',
        "</div>",
        _bar(group.counts, "small"),
    ]
    if group.heading is not None and group.heading.record.note:
        note = _text(group.heading.record.note)
        lines.append(f'<blockquote class="group-note" dir="auto">{note}</blockquote>')
    lines.append('<ul class="items">')
    lines += [
        _item(entry, f'<bdi class="title">{_text(entry.title or entry.key)}</bdi>') for entry in group.entries
    ]
    return [*lines, "</ul>", "</div>"]


def _views(title: str, views: tuple[ViewProgress, ...]) -> list[str]:
    if not views:
        return []
    rows = []
    for item in views:
        month = f'<span class="month">{item.view.number:>2}</span>' if item.view.number is not None else ""
        rows.append(
            f'<div class="view"><span>{month}<bdi>{_text(item.view.title)}</bdi></span>'
            f'{_bar(item.counts, "small")}<span class="num">{percent(item.counts)}</span></div>'
        )
    return ['<div class="card">', f"<h3>{title}</h3>", *rows, "</div>"]


def _roadmap(part: RoadmapReport, heading: bool) -> list[str]:
    """A roadmap's groups; its heading and bar only when the report has several."""
    lines = [f'<section class="roadmap" id="rm-{_text(part.roadmap.id)}">']
    if heading:
        lines += [
            '<header class="roadmap-head">',
            f"<h2><bdi>{_text(part.roadmap.title)}</bdi></h2>",
            f'<div class="figure">{percent(part.counts)}<small>{tally(part.counts)}</small></div>',
            "</header>",
            _bar(part.counts),
        ]
    views = [*_views("Learning plan", part.plan), *_views("Career readiness", part.careers)]
    if views:
        lines += ['<div class="views">', *views, "</div>"]
    for group in part.groups:
        lines += _group(group)
    return [*lines, "</section>"]


def _orphans(report: Report) -> list[str]:
    if not report.orphans:
        return []
    return [
        '<section class="roadmap orphans" id="orphans">',
        '<header class="roadmap-head"><h2>Orphaned progress</h2></header>',
        '<div class="card group">',
        "<p>Stored under keys that no loaded roadmap uses; kept, never deleted.</p>",
        '<ul class="items">',
        *(_item(e, f"<code>{_text(e.key)}</code>") for e in report.orphans),
        "</ul>",
        "</div>",
        "</section>",
    ]


def render(report: Report) -> str:
    """The whole report as one HTML document."""
    exported = report.exported.astimezone(UTC)
    stamp = exported.strftime("%Y-%m-%dT%H:%M:%SZ")
    when = f"{long_date(exported.date().isoformat())}, {exported:%H:%M} UTC"
    scope = f" · {len(report.roadmaps)} roadmaps" if report.scope is None else " · one roadmap"
    title = _text(report.title)
    body = [
        '<header class="masthead">',
        '<p class="eyebrow">Roadmap Tracker · progress report</p>',
        f"<h1><bdi>{title}</bdi></h1>",
        f'<p class="meta">Exported <time datetime="{stamp}">{when}</time>{scope}</p>',
        "</header>",
        *_overview(report),
        *_path(report.guide),
        *_summary(report),
    ]
    for part in report.roadmaps:
        body += _roadmap(part, heading=report.scope is None)
    body += _orphans(report)
    body.append("<footer>Made with Roadmap Tracker · everything in this file is local</footer>")
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="generator" content="Roadmap Tracker">',
        f"<title>Progress report · {title}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>"]) + "\n"
