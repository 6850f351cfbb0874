"""Markdown: GitHub task lists grouped by section (tier) with percent per group.

Meant to be pasted into a README. User text (titles, notes, keys) is escaped so
that GitHub shows it exactly as written: Markdown punctuation is backslash
escaped, ``<`` and ``>`` become entities (so no tag ever reaches the page), an
``&`` that would start an entity is written ``&amp;``, a line that would start
a list, heading or setext underline is defused, tabs and leading spaces are
written as character references (never an indented code block), and
right-to-left text is wrapped in Unicode isolates. Notes are quoted, one ``>``
line per line of the note.
"""

from __future__ import annotations

import re
from datetime import UTC

from tracker.guide_text import date_range, path_facts
from tracker.reports.snapshot import Entry, Group, Report, RoadmapReport, ViewProgress
from tracker.reports.text import needs_isolation, percent, tally, visible
from tracker.today import Guide

_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "|": "\\|",
        "~": "\\~",
        "$": "\\$",
        "<": "&lt;",
        ">": "&gt;",
        "\t": "&#9;",
    }
)
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])")
_FSI, _PDI = "\u2068", "\u2069"
_PLAIN = re.compile(
    r"(?![ +=-]|\d{1,9}[.)])[^\\`*_\[\]#|~$<>&\x00-\x1f\x7f-\x9f"
    "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]*\\Z"
)
"""Text that needs no escaping at all (most titles): the fast path of :func:`inline`."""


def _isolate(escaped: str, raw: str) -> str:
    return f"{_FSI}{escaped}{_PDI}" if needs_isolation(raw) else escaped


def inline(text: str) -> str:
    """One piece of user text inside a line (a title, a table cell, a heading)."""
    if _PLAIN.match(text):
        return text
    raw = visible(text)
    escaped = "<br>".join(_line_safe(line) for line in raw.split("\n"))
    return _isolate(escaped, raw)


def _line_safe(line: str) -> str:
    """Escape one line so that nothing in it starts a block or an inline construct."""
    body = line.lstrip(" ")
    lead = len(line) - len(body)
    body = _ENTITY.sub("&amp;", body).translate(_INLINE)
    if body[:1] in ("-", "+", "="):
        body = "\\" + body
    else:
        body = _ORDERED_MARKER.sub(r"\1\\\2", body, count=1)
    return "&nbsp;" * lead + body


def quote(text: str, indent: str) -> list[str]:
    """A note as a block quote: its lines kept (hard breaks), blank lines as paragraphs."""
    lines = [line.rstrip() for line in visible(text).strip("\n").split("\n")]
    result = []
    for index, line in enumerate(lines):
        body = _isolate(_line_safe(line), line) if line.strip() else ""
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if body and following.strip():
            body += "\\"  # a backslash at the end of a line is a hard line break
        result.append(f"{indent}> {body}".rstrip())
    return result


def _suffix(entry: Entry) -> str:
    parts = []
    if entry.counts is not None:
        parts.append(f"({tally(entry.counts)})")
    if entry.status == "done" and entry.done_on:
        parts.append(f"— done {entry.done_on}")
    elif entry.status == "doing":
        parts.append("— *in progress*")
    elif entry.status == "skipped":
        parts.append("— *skipped*")
    return " " + " ".join(parts) if parts else ""


def _item(entry: Entry, label: str) -> list[str]:
    indent = "  " * entry.depth
    box = "x" if entry.status == "done" else " "
    if entry.status == "skipped":
        label = f"~~{label}~~"
    lines = [f"{indent}- [{box}] {label}{_suffix(entry)}"]
    if entry.record.note:
        lines += quote(entry.record.note, indent + "  ")
    return lines


def _group(group: Group) -> list[str]:
    lines = [f"### {inline(group.title)} · {percent(group.counts)} ({tally(group.counts)})", ""]
    if group.heading is not None and group.heading.record.note:
        lines += [*quote(group.heading.record.note, ""), ""]
    for entry in group.entries:
        lines += _item(entry, inline(entry.title or entry.key))
    return [*lines, ""]


def _views(title: str, views: tuple[ViewProgress, ...]) -> list[str]:
    if not views:
        return []
    lines = [f"### {title}", ""]
    for item in views:
        month = f"Month {item.view.number}: " if item.view.number is not None else ""
        lines.append(f"- {month}{inline(item.view.title)} — {percent(item.counts)} ({tally(item.counts)})")
    return [*lines, ""]


def _roadmap(part: RoadmapReport) -> list[str]:
    lines = [
        f"## {inline(part.roadmap.title)} · {percent(part.counts)} ({tally(part.counts)})",
        "",
    ]
    for group in part.groups:
        lines += _group(group)
    lines += _views("Learning plan", part.plan)
    lines += _views("Career readiness", part.careers)
    return lines


def _overall(report: Report) -> str:
    counts = report.overall
    extra = []
    if counts.doing:
        extra.append(f"{counts.doing} in progress")
    if counts.skipped:
        extra.append(f"{counts.skipped} skipped")
    details = ", ".join([f"{tally(counts)} done", *extra])
    when = report.exported.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"Exported {when} · overall **{percent(counts)}** ({details})"


def _path(guide: Guide | None) -> list[str]:
    """The learner's path: where they stand, then the dated plan as a table."""
    if guide is None or guide.path is None or guide.title is None:
        return []
    facts = [f"**{fact}**" if stressed else fact for fact, stressed in path_facts(guide)]
    lines = [f"## Path: {inline(guide.title)} · {percent(guide.counts)} ({tally(guide.counts)})", ""]
    lines += [" · ".join(facts), "", "| Month | Dates | Status | Done |", "| ---: | --- | --- | ---: |"]
    for month in guide.months:
        dates = date_range(month.dates, None) if month.dates else ""
        state = month.state.value if month.state else ""
        lines.append(
            f"| {month.number} · {inline(month.title)} | {dates} | {state} | "
            f"{percent(month.counts)} ({tally(month.counts)}) |"
        )
    return [*lines, ""]


def render(report: Report) -> str:
    """The whole report as GitHub-flavoured Markdown."""
    lines = [f"# Progress report: {inline(report.title)}", "", _overall(report), ""]
    lines += _path(report.guide)
    if len(report.roadmaps) > 1:
        lines += ["| Roadmap | Done | Progress |", "| --- | ---: | ---: |"]
        lines += [
            f"| {inline(part.roadmap.title)} | {tally(part.counts)} | {percent(part.counts)} |"
            for part in report.roadmaps
        ]
        lines.append("")
    for part in report.roadmaps:
        lines += _roadmap(part)
    if report.orphans:
        lines += [
            "## Orphaned progress",
            "",
            "Progress stored under keys that no loaded roadmap uses (kept, never deleted):",
            "",
        ]
        for entry in report.orphans:
            lines += _item(entry, inline(entry.key))
        lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
