"""Reports (issue 5): every format and scope, the bad input, import, round trip, CLI.

User text that tries to be markup (``<script>``, ``</style>``, Markdown tables
and lists), newlines, tabs, right-to-left text and emoji are put in notes and,
through a small roadmap written to ``tmp_path``, in titles; each format must
show them as written and run nothing. Times come from the fixed clock.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker import actions
from tracker.catalog import Catalog, load_catalog
from tracker.cli import REPORT_FORMATS, cli
from tracker.locations import parse_cache_dir
from tracker.reports import (
    FORMATS,
    ReportError,
    build,
    default_filename,
    format_for_path,
    render,
    write_report,
)
from tracker.reports.csv_format import COLUMNS
from tracker.reports.html_format import CSS
from tracker.reports.restore import import_file, parse_export
from tracker.store import Store
from tracker.stored import MAX_NOTE_BYTES, Record

MASTER = "backend-server"
SCRIPT = "<script>alert('x')</script>"
NASTY_NOTE = (
    f"{SCRIPT} and </style><style>body{{display:none}}</style>\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n"
    "- not a list\n1. not ordered\n# not a heading\n"
    "\tindented with a tab\tand one inside\n"
    "    four spaces\n"
    "שלום עולם مرحبا بالعالم\n"
    "emoji 🚀 👩‍💻 and [a link](http://evil.example) `code` **bold** ~~gone~~ &amp; \\"
)
TITLES = {
    "item-script": f"{SCRIPT} in a title",
    "item-style": "</style><script>alert(2)</script>",
    "item-table": "| a | b |\n|---|---|",
    "item-list": "- looks like a list\n1. and ordered",
    "item-tab": "tab\there\tand there",
    "item-rtl": "שלום עולם مرحبا",
    "item-emoji": "Ship it 🚀 👩‍💻",
    "item-formula": '=HYPERLINK("http://evil.example","click")',
    "item-plus": "+1 more",
}
FORMULA_NOTES = ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\tstarts with a tab", "\rCR first"]


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def progressed(store: Store, clock, bundled_catalog: Catalog) -> Store:
    """A learner's database: ticks over three days, a reset, notes, a shared skill, orphans."""
    roadmap = bundled_catalog.roadmap(MASTER)
    tier = roadmap.sections[0]
    leaves = list(tier.leaves())
    for index, leaf in enumerate(leaves[:6]):
        clock.advance(hours=9)
        actions.mark(store, leaf, "done")
        if index == 2:
            actions.mark(store, leaves[6], "doing")
    actions.mark(store, leaves[7], "skipped")
    actions.mark(store, leaves[8], "done")
    clock.advance(minutes=5)
    actions.mark(store, leaves[8], "todo")  # reset: a todo row with a time
    actions.set_note(store, leaves[0], NASTY_NOTE)
    actions.set_note(store, tier, "Tier note\nsecond line")
    python = bundled_catalog.roadmap("python")
    actions.mark(store, python.leaves[0], "done")
    store.set_status(["python/removed-item"], "done", label="old roadmap version")
    store.set_note("skill:forgotten", "a note on a skill no roadmap has any more")
    return store


@pytest.fixture
def weird_catalog(tmp_path: Path) -> Catalog:
    """A roadmap whose titles are the bad input of issue 5."""
    folder = tmp_path / "weird-roadmaps"
    folder.mkdir()
    items = "\n".join(
        f"      - id: {item_id}\n        title: {json.dumps(title, ensure_ascii=False)}"
        for item_id, title in TITLES.items()
    )
    (folder / "weird.yaml").write_text(
        "id: weird\n"
        f"title: {json.dumps('Weird ' + SCRIPT + ' roadmap')}\n"
        "sections:\n"
        "  - id: sec-one\n"
        f"    title: {json.dumps('</style> | x | y | # section')}\n"
        "    children:\n"
        f"{items}\n",
        encoding="utf-8",
    )
    catalog = load_catalog([folder])
    assert not catalog.problems, catalog.problems
    return catalog


@pytest.fixture
def weird_store(store: Store, clock, weird_catalog: Catalog) -> Store:
    roadmap = weird_catalog.roadmap("weird")
    for index, leaf in enumerate(roadmap.leaves):
        clock.advance(hours=1)
        actions.mark(store, leaf, ("done", "doing", "skipped", "todo")[index % 4])
        actions.set_note(store, leaf, NASTY_NOTE if index % 2 == 0 else leaf.title)
    actions.set_note(store, roadmap.sections[0], NASTY_NOTE)
    return store


def fingerprint(store: Store) -> tuple:
    """Everything an import could change."""
    return store.records(), store.changes(), store.status_history()


def export_file(tmp_path: Path, text: str, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class Page(HTMLParser):
    """Collects tags, attributes and text; ``problems`` lists anything not well formed."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source", "area", "base"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)

    def names(self) -> list[str]:
        return [tag for tag, _ in self.tags]

    def all_text(self) -> str:
        return "".join(self.text)


def strip_isolates(text: str) -> str:
    return text.replace("\u2068", "").replace("\u2069", "")


# -- every format, every scope -------------------------------------------------------------


@pytest.mark.parametrize("scope", [None, MASTER, "python"])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_for_everything_and_one_roadmap(
    fmt: str, scope: str | None, progressed: Store, bundled_catalog: Catalog
) -> None:
    text = render(fmt, bundled_catalog, progressed, scope)
    roadmaps = [bundled_catalog.roadmap(scope)] if scope else bundled_catalog.roadmaps.values()
    nodes = [node for roadmap in roadmaps for node in roadmap.nodes.values()]
    report = build(bundled_catalog, progressed, scope)
    assert len(report.entries()) == len(nodes) + len(report.orphans)
    if fmt == "md":
        assert text.startswith("# Progress report: ")
        assert text.count("\n### ") >= len(report.roadmaps[0].groups)
        assert ("- [x] " in text) == (report.overall.done > 0)
    elif fmt == "html":
        page = Page(text)
        assert page.problems == []
        assert page.names().count("section") >= len(report.roadmaps)
    elif fmt == "json":
        document = json.loads(text)
        assert (document["format"], document["version"]) == ("tracker-progress", 3)
        assert document["scope"] == scope
        assert len(document["items"]) == len(report.entries())
        keys = [entry["key"] for entry in document["progress"]]
        assert len(keys) == len(set(keys))  # each stored key once
        if scope:
            assert {i["roadmap"] for i in document["items"]} == {scope}
    else:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert tuple(rows[0]) == COLUMNS
        assert len(rows) - 1 == len(report.entries())
    for roadmap in roadmaps:
        assert roadmap.title.replace("&", "&amp;") in text or roadmap.title in text


def test_percent_per_group_done_dates_and_notes_in_markdown(
    progressed: Store, bundled_catalog: Catalog, clock
) -> None:
    text = render("md", bundled_catalog, progressed, MASTER)
    tier = bundled_catalog.roadmap(MASTER).sections[0]
    first = next(tier.leaves())
    assert "### Tier 1: Fundamentals · 20.7% (6/29)" in text  # 6 done, 1 skipped of 30
    assert f"- [x] {first.title} — done 2026-01-05" in text
    assert "  > Tier note\\\n" not in text  # the section note sits under the heading
    assert "> Tier note\\\n> second line\n" in text
    assert "— *in progress*" in text and "— *skipped*" in text
    assert f"Exported {clock.now:%Y-%m-%d %H:%M} UTC" in text


def test_activity_summary_counts_changes_and_streak(progressed: Store, bundled_catalog: Catalog) -> None:
    report = build(bundled_catalog, progressed, activity=True)
    activity = report.activity
    assert activity is not None
    assert activity.streak == 3  # 5, 6 and 7 January
    assert activity.active_days == 3
    assert activity.changes == len(progressed.status_history())
    assert len(activity.weeks) == 12 and activity.weeks[-1][1] == activity.changes
    html = render("html", bundled_catalog, progressed)
    assert "<b>3</b><span>day streak</span>" in html


# -- user text as written ------------------------------------------------------------------


def test_markdown_shows_titles_and_notes_as_written(weird_store: Store, weird_catalog: Catalog) -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.tasklists import tasklists_plugin

    text = render("md", weird_catalog, weird_store, "weird")
    assert "<script" not in text and "</style" not in text
    rendered = MarkdownIt("gfm-like").use(tasklists_plugin).render(text)
    page = Page(rendered)
    assert page.problems == []
    names = page.names()
    for tag in ("script", "style", "table", "ol", "h4", "img", "code", "pre"):
        assert tag not in names, tag
    skipped = [e for e in build(weird_catalog, weird_store).entries() if e.status == "skipped"]
    assert names.count("s") == len(skipped)  # our strike-through, not the note's ~~gone~~
    assert names.count("h1") == 1 and names.count("h2") == 1 and names.count("h3") == 1
    assert names.count("blockquote") == len(weird_catalog.roadmap("weird").leaves) + 1
    shown = strip_isolates(page.all_text()).replace("\u00a0", " ")
    for title in TITLES.values():
        for line in title.split("\n"):
            assert line in shown, line
    for line in NASTY_NOTE.split("\n"):
        assert line.rstrip() in shown, line
    rtl = TITLES["item-rtl"]
    assert f"\u2068{rtl}\u2069" in text  # isolated, so it cannot reorder the figures after it


def test_html_escapes_every_piece_of_user_text(weird_store: Store, weird_catalog: Catalog) -> None:
    text = render("html", weird_catalog, weird_store, "weird")
    page = Page(text)
    assert page.problems == []
    names = page.names()
    assert "script" not in names
    assert names.count("style") == 1 and "".join(page.styles).strip() == CSS
    shown = page.all_text()
    assert NASTY_NOTE in shown  # newlines, tabs, RTL and emoji exactly as written
    for title in TITLES.values():
        assert title in shown
    notes = [attrs for tag, attrs in page.tags if tag == "blockquote"]
    assert notes and all(attrs.get("dir") == "auto" for attrs in notes)
    assert "white-space: pre-wrap" in CSS


def test_html_loads_nothing_from_the_network(
    progressed: Store, weird_store: Store, weird_catalog: Catalog, bundled_catalog: Catalog
) -> None:
    text = render("html", bundled_catalog, progressed)
    assert not re.search(r"\bsrc\s*=", text, re.I)
    assert not re.search(r"@import|url\(", text, re.I)
    for html_text in (text, render("html", weird_catalog, weird_store)):
        page = Page(html_text)
        for tag, attrs in page.tags:
            assert tag not in ("script", "link", "img", "iframe", "object", "embed", "base")
            assert "src" not in attrs and "srcset" not in attrs
            assert attrs.get("href") is None or attrs["href"].startswith("#"), attrs
            assert "url(" not in (attrs.get("style") or "")
        css = "".join(page.styles)
        assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "default-src 'none'" in text  # a CSP that would block anything that slipped in
    assert "@media print" in CSS


def test_json_keeps_user_text_exactly(weird_store: Store, weird_catalog: Catalog) -> None:
    document = json.loads(render("json", weird_catalog, weird_store))
    by_id = {item["id"]: item for item in document["items"]}
    for item_id, title in TITLES.items():
        assert by_id[item_id]["title"] == title
    stored = {entry["key"]: entry for entry in document["progress"]}
    assert stored[by_id["item-script"]["key"]]["note"] == NASTY_NOTE
    assert stored["weird/sec-one"]["note"] == NASTY_NOTE
    assert stored["weird/sec-one"]["updated"] is None  # a parent's status is derived, not stored


def test_csv_neutralises_formula_cells(store: Store, clock, weird_catalog: Catalog) -> None:
    leaves = weird_catalog.roadmap("weird").leaves
    for leaf, note in zip(leaves, FORMULA_NOTES, strict=False):
        clock.advance(minutes=1)
        actions.set_note(store, leaf, note)
    actions.set_note(store, leaves[-1], NASTY_NOTE)
    text = render("csv", weird_catalog, store)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        for value in row.values():
            assert not value.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), value
    notes = {row["item"]: row["note"] for row in rows}
    for leaf, note in zip(leaves, FORMULA_NOTES, strict=False):
        assert notes[leaf.id] == "'" + note
    titles = {row["item"]: row["title"] for row in rows}
    assert titles["item-formula"] == "'" + TITLES["item-formula"]
    assert titles["item-plus"] == "'+1 more"
    assert titles["item-rtl"] == TITLES["item-rtl"]  # ordinary text untouched
    assert notes[leaves[-1].id] == NASTY_NOTE  # does not start like a formula: kept as is


def test_control_characters_are_shown_not_obeyed(store: Store, bundled_catalog: Catalog) -> None:
    leaf = bundled_catalog.roadmap(MASTER).leaves[0]
    actions.set_note(store, leaf, "red \x1b[31malert\x07 and a nul \x00")
    for fmt in ("md", "html", "csv"):
        text = render(fmt, bundled_catalog, store, MASTER)
        assert "\x1b" not in text and "\x07" not in text and "\x00" not in text
        assert "␛" in text and "31malert␇" in text and "␀" in text
    assert "\\u001b[31m" in render("json", bundled_catalog, store, MASTER)  # kept, escaped


# -- writing files -------------------------------------------------------------------------


def test_output_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.md"
    with pytest.raises(ReportError, match="folder .*no-such-folder does not exist"):
        write_report("text", target)
    assert not target.parent.exists()


def test_write_replaces_atomically_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old report")
    assert write_report("new report ✓\n", target) == target
    assert target.read_text(encoding="utf-8") == "new report ✓\n"

    def broken_replace(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tracker.files.os.replace", broken_replace)
    with pytest.raises(ReportError, match="cannot write .*No space left on device"):
        write_report("newer report", target)
    assert target.read_text(encoding="utf-8") == "new report ✓\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]
    with pytest.raises(ReportError, match="is a folder"):
        write_report("text", tmp_path)


def test_file_names_and_formats() -> None:
    now = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)
    assert default_filename("html", "python", now) == "progress-python-2026-01-05.html"
    assert default_filename("md", None, now) == "progress-all-2026-01-05.md"
    assert format_for_path("x/report.CSV") == "csv" and format_for_path("notes.txt") is None
    assert REPORT_FORMATS == tuple(FORMATS)
    with pytest.raises(ReportError, match="unknown report format 'pdf'"):
        default_filename("pdf", None, now)


# -- import ----------------------------------------------------------------------------------


def before_history(text: str) -> list[str]:
    """The lines of an export after its time and before its history (which an import extends)."""
    lines = text.splitlines()
    return lines[4 : lines.index('  "history": [')]


def test_round_trip_through_a_fresh_database(
    progressed: Store, bundled_catalog: Catalog, tmp_path: Path, clock
) -> None:
    first = render("json", bundled_catalog, progressed)
    path = export_file(tmp_path, first)
    later = type(clock)(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    with Store.open(tmp_path / "fresh.db", later) as fresh:
        result = import_file(fresh, bundled_catalog, path)
        assert result.change is not None
        assert result.orphans == ("python/removed-item", "skill:forgotten")
        later.advance(days=1)
        second = render("json", bundled_catalog, fresh)
        assert render("csv", bundled_catalog, fresh) == render("csv", bundled_catalog, progressed)
        again = import_file(fresh, bundled_catalog, path)
        assert again.change is None and "nothing changed" in again.describe()
    one, two = json.loads(first), json.loads(second)
    assert one.pop("exported") != two.pop("exported")
    history_one, history_two = one.pop("history"), two.pop("history")
    assert one == two
    # the restored history is the original's (undone changes left out), then the import itself
    # (in order of time: it was made later)
    assert history_two[-1]["action"] == "import" and history_two[-1]["label"] == "import export.json"
    assert history_two[:-1] == [change for change in history_one if not change["undone"]]
    assert before_history(first) == before_history(second)  # byte for byte after the time


def test_import_keeps_the_newer_change_of_each_item(
    progressed: Store, bundled_catalog: Catalog, tmp_path: Path, clock
) -> None:
    leaves = bundled_catalog.roadmap(MASTER).leaves
    path = export_file(tmp_path, render("json", bundled_catalog, progressed))
    early = type(clock)(datetime(2025, 12, 1, tzinfo=UTC))
    with Store.open(tmp_path / "other.db", early) as other:
        actions.mark(other, leaves[0], "skipped")  # older than the export: replaced
        early.now = datetime(2026, 2, 1, tzinfo=UTC)
        actions.set_note(other, leaves[0], "written after the export")  # newer: kept
        actions.mark(other, leaves[1], "doing")  # newer: kept
        result = import_file(other, bundled_catalog, path)
        records = other.records()
        assert records[leaves[0].key].status == "done"
        assert records[leaves[0].key].note == "written after the export"
        assert records[leaves[1].key].status == "doing"
        assert "orphaned progress: python/removed-item, skill:forgotten" in result.describe()
        assert other.undo() is not None  # one transaction, undone in one step
        assert other.records()[leaves[0].key].status == "skipped"


def test_unknown_keys_are_kept_as_orphans_and_reported(
    store: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    document = {
        "format": "tracker-progress",
        "version": 1,
        "exported": "2026-01-05T09:00:00.000Z",
        "items": [
            {"key": "ghost/item", "status": "done", "updated": "2026-01-04T10:00:00+00:00"},
            {"key": "skill:http-semantics", "status": "doing", "updated": "2026-01-04T11:00:00.000Z"},
        ],
    }
    result = import_file(store, bundled_catalog, export_file(tmp_path, json.dumps(document)))
    assert result.orphans == ("ghost/item",)
    assert "1 key(s) no roadmap uses kept as orphaned progress: ghost/item" in result.describe()
    assert store.records()["ghost/item"].updated == "2026-01-04T10:00:00.000Z"  # canonical time
    markdown = render("md", bundled_catalog, store)
    assert "## Orphaned progress" in markdown and "ghost/item — done 2026-01-04" in markdown


VALID = {"format": "tracker-progress", "version": 1, "exported": "x", "items": []}
BAD_FILES = {
    "truncated": None,  # filled in from a real export
    "empty": b"",
    "blank": b"  \n\t\n",
    "array": b'[{"key": "skill:http", "status": "done"}]',
    "string": b'"tracker-progress"',
    "newer version": json.dumps({**VALID, "version": 4}).encode(),
    "version as text": json.dumps({**VALID, "version": "1"}).encode(),
    "other format": json.dumps({**VALID, "format": "todo-app"}).encode(),
    "no format": json.dumps({"version": 1, "items": []}).encode(),
    "items not a list": json.dumps({**VALID, "items": {"a": 1}}).encode(),
    "progress not a list": json.dumps({**VALID, "version": 2, "items": [], "progress": None}).encode(),
    "note over the cap": json.dumps(
        {**VALID, "items": [{"key": "skill:http", "note": "x" * (MAX_NOTE_BYTES + 1), "note_updated": None}]}
    ).encode(),
    "bad status": json.dumps(
        {**VALID, "items": [{"key": "skill:http", "status": "finished", "updated": None}]}
    ).encode(),
    "bad time": json.dumps(
        {**VALID, "items": [{"key": "skill:http", "status": "done", "updated": "yesterday"}]}
    ).encode(),
    "naive time": json.dumps(
        {**VALID, "items": [{"key": "skill:http", "status": "done", "updated": "2026-01-01T10:00"}]}
    ).encode(),
    "not utf-8": b'{"format": "tracker-progress", "note": "\xff"}',
}
REASONS = {
    "truncated": "truncated",
    "empty": "empty",
    "blank": "empty",
    "array": "JSON array",
    "string": "JSON string",
    "newer version": "version 4 export; this tracker reads version 3",
    "version as text": "unknown tracker-progress version '1'",
    "other format": "format 'todo-app'",
    "no format": 'no "format"',
    "items not a list": '"items"',
    "progress not a list": '"progress" is missing',
    "note over the cap": 'item 1 (skill:http): "note": the note is 1.0 MiB; a note can hold at most 1 MiB',
    "bad status": "'finished' is not one of",
    "bad time": "not an ISO 8601 time",
    "naive time": "time zone",
    "not utf-8": "not UTF-8",
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_import_files_are_refused_and_nothing_changes(
    case: str, progressed: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    data = BAD_FILES[case]
    if data is None:
        whole = render("json", bundled_catalog, progressed).encode()
        data = whole[: len(whole) // 2]
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    before = fingerprint(progressed)
    with pytest.raises(ReportError) as refused:
        import_file(progressed, bundled_catalog, path)
    message = str(refused.value)
    assert "\n" not in message and str(path) in message
    assert REASONS[case] in message and message.endswith("Nothing was changed")
    assert fingerprint(progressed) == before


def test_duplicate_keys_take_the_newer_half_of_each() -> None:
    items = [
        {
            "key": "skill:git",
            "status": "done",
            "updated": "2026-01-02T00:00:00Z",
            "note": "old",
            "note_updated": "2026-01-01T00:00:00Z",
        },
        {
            "key": "skill:git",
            "status": "doing",
            "updated": "2026-01-01T00:00:00Z",
            "note": "new",
            "note_updated": "2026-01-03T00:00:00Z",
        },
    ]
    export = parse_export(json.dumps({**VALID, "items": items}).encode(), "x.json")
    record = export.records["skill:git"]
    assert (record.status, record.note) == ("done", "new")


def test_big_notes_on_shared_skills_export_once_and_import_back(
    store: Store, bundled_catalog: Catalog, clock, tmp_path: Path
) -> None:
    """A note on a shared skill is stored once, so it is exported once (it was written
    once per roadmap that has the skill: six 1 MiB notes made an export import refused)."""
    shared = sorted(
        (key for key in bundled_catalog.known_keys() if key.startswith("skill:")),
        key=lambda key: (-len(bundled_catalog.roadmaps_with_key(key)), key),
    )[:6]
    assert len(bundled_catalog.roadmaps_with_key(shared[-1])) >= 4  # each in several roadmaps
    unit = 'ünïcödé ✓ \\ "quoted" line\r\n\t'
    for index, key in enumerate(shared):
        clock.advance(minutes=1)
        text = f"{index}: " + unit * ((MAX_NOTE_BYTES - 8) // len(unit.encode()))
        assert len(text.encode()) <= MAX_NOTE_BYTES
        store.set_note(key, text)
        store.set_status([key], ("done", "doing", "skipped")[index % 3])
    store.set_status([bundled_catalog.roadmap(MASTER).leaves[0].key], "todo")  # a reset: a todo row
    path = export_file(tmp_path, render("json", bundled_catalog, store))
    assert path.stat().st_size < 7 * MAX_NOTE_BYTES + 2**20
    with Store.open(tmp_path / "fresh.db", clock) as fresh:
        result = import_file(fresh, bundled_catalog, path)
        assert result.keys == len(store.records())
        same = fresh.records() == store.records()  # no pytest diff of megabytes
        assert same
        again = before_history(render("json", bundled_catalog, fresh))
    assert again == before_history(path.read_text(encoding="utf-8"))


def test_an_export_that_import_could_not_read_is_not_written(
    cli_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "backup.json"
    target.write_text("an older export")
    monkeypatch.setattr("tracker.reports.json_format.MAX_EXPORT_BYTES", 1000)
    line = one_line_error(run("--db", cli_db, "export", "--format", "json", "-o", target))
    assert "'tracker import' reads at most 0 MiB" in line and "nothing was written" in line
    assert target.read_text() == "an older export"
    ok(run("--db", cli_db, "export", "--format", "md", "-o", tmp_path / "report.md"))  # other formats


def test_version_1_exports_are_still_read(
    progressed: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    """Version 1 kept what is stored on each item (a shared key on every roadmap that has it)."""
    document = json.loads(render("json", bundled_catalog, progressed))
    stored = {entry.pop("key"): entry for entry in document.pop("progress")}
    document["version"] = 1
    for item in document["items"]:
        record = stored.get(item["key"], {"note": "", "updated": None, "note_updated": None})
        item.update(record, status=item["status"] if record.get("updated") is None else record["status"])
    path = export_file(tmp_path, json.dumps(document))
    with Store.open(tmp_path / "fresh.db") as fresh:
        import_file(fresh, bundled_catalog, path)
        assert fresh.records() == progressed.records()


def test_a_version_2_progress_entry_is_checked_like_an_item(store: Store, bundled_catalog, tmp_path) -> None:
    entry = {"key": "skill:http", "status": "done", "updated": "2026-01-01T00:00:00Z"}
    document = {**VALID, "version": 2, "items": [], "progress": [entry, {**entry, "status": "finished"}]}
    with pytest.raises(ReportError, match="progress entry 2 .skill:http.: \"status\" 'finished'"):
        import_file(store, bundled_catalog, export_file(tmp_path, json.dumps(document)))
    document["progress"] = [entry]
    import_file(store, bundled_catalog, export_file(tmp_path, json.dumps(document)))
    assert store.records() == {"skill:http": Record("done", "2026-01-01T00:00:00.000Z")}


# -- command line --------------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path: Path, warm_cache_file: Path) -> Path:
    """A database with a little progress, and a warm parse cache in the isolated home."""
    target = parse_cache_dir()
    assert target is not None
    shutil.copytree(warm_cache_file, target, dirs_exist_ok=True)
    db = tmp_path / "cli.db"
    for args in (["mark", MASTER, "http-versions", "done"], ["note", MASTER, "http-versions", SCRIPT]):
        ok(run("--db", db, *args))
    return db


def run(*args: str | Path, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def without_time(text: str) -> list[str]:
    """The lines of a report apart from the one saying when it was exported."""
    return [line for line in text.splitlines() if "xported" not in line]


def one_line_error(result: Result, *gist: str) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tracker: "), lines
    assert "Traceback" not in result.output
    for part in gist:
        assert part in lines[0], lines[0]
    return lines[0]


def test_cli_export_to_stdout_and_to_files(cli_db: Path, tmp_path: Path) -> None:
    markdown = ok(run("--db", cli_db, "export"))
    assert markdown.startswith("# Progress report: All roadmaps")
    assert "&lt;script&gt;" in markdown and "<script" not in markdown
    for fmt in FORMATS:
        target = tmp_path / f"out-{fmt}.txt"
        said = ok(run("--db", cli_db, "export", "--format", fmt, "--roadmap", MASTER, "-o", target))
        assert said == f"{FORMATS[fmt].label} report written to {target}\n"
        written = target.read_bytes().decode("utf-8")
        printed = ok(run("--db", cli_db, "export", "--format", fmt, "--roadmap", MASTER))
        assert without_time(written) == without_time(printed) != []
    inferred = tmp_path / "report.html"
    ok(run("--db", cli_db, "export", "-o", inferred))
    assert inferred.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    document = json.loads(ok(run("--db", cli_db, "export", "--format", "json", "--roadmap", "python")))
    assert {item["roadmap"] for item in document["items"]} == {"python"}


def test_cli_export_errors_are_one_line(cli_db: Path, tmp_path: Path) -> None:
    one_line_error(run("--db", cli_db, "export", "--roadmap", "pyton"), "no roadmap 'pyton'", "python")
    missing = tmp_path / "nowhere" / "report.md"
    one_line_error(run("--db", cli_db, "export", "-o", missing), "does not exist")
    assert not missing.parent.exists()


def test_cli_import_round_trip_and_refusals(cli_db: Path, tmp_path: Path) -> None:
    exported = tmp_path / "progress.json"
    ok(run("--db", cli_db, "export", "--format", "json", "-o", exported))
    fresh = tmp_path / "fresh.db"
    said = ok(run("--db", fresh, "import", exported))
    assert said.startswith(f"imported {exported}: 1 of ") and "items updated" in said
    assert ok(run("--db", fresh, "note", MASTER, "http-versions")) == SCRIPT + "\n"
    again = ok(run("--db", fresh, "import", "-", input=exported.read_bytes()))
    assert "standard input: nothing changed" in again
    before = hashlib.sha256(fresh.read_bytes()).hexdigest()
    bad = export_file(tmp_path, "[]", "array.json")
    one_line_error(run("--db", fresh, "import", bad), "JSON array", "Nothing was changed")
    one_line_error(run("--db", fresh, "import", tmp_path / "missing.json"), "cannot read")
    assert hashlib.sha256(fresh.read_bytes()).hexdigest() == before
    never = tmp_path / "never.db"
    one_line_error(run("--db", never, "import", bad), "JSON array")
    assert not never.exists()  # the file is checked before the database is opened


def test_reports_never_import_textual_or_pydantic() -> None:
    code = (
        "import sys\n"
        "import tracker.reports, tracker.reports.restore\n"
        "for name in ('markdown_format', 'html_format', 'json_format', 'csv_format'):\n"
        "    __import__('tracker.reports.' + name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pydantic'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
