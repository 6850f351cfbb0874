"""The path in reports, and the history an export carries and an import merges."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.catalog import Catalog, load_catalog
from tracker.path import LearnerPath, read_path, save_path
from tracker.reports import render
from tracker.reports.errors import ReportError
from tracker.reports.json_format import HISTORY_VALUE_BYTES
from tracker.reports.restore import import_file, parse_export
from tracker.reports.snapshot import build
from tracker.store import Store
from tracker.today import build_guide, done_per_local_day

from .conftest import FakeClock

MASTER = "backend-server"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def learner(store: Store, clock: FakeClock, bundled_catalog: Catalog) -> Store:
    """A path, ticks on five days (5 to 9 January), one more undone, a note changed twice."""
    save_path(store, LearnerPath("python", "fastapi", date(2026, 1, 1)))
    leaves = list(bundled_catalog.node(MASTER, "http-web-basics").leaves())
    for index, leaf in enumerate(leaves):
        clock.now = datetime(2026, 1, 5 + index, 20, 0, tzinfo=UTC)
        store.set_status([leaf.key], "done")
    clock.now = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
    store.set_status([bundled_catalog.node(MASTER, "cli-shell-basics").key], "done")
    store.undo()
    store.set_note(leaves[0].key, "first words")
    store.set_note(leaves[0].key, "second words")
    clock.now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    return store


def guide_of(catalog: Catalog, store: Store, now: datetime):
    return build_guide(catalog, store, store.statuses(), now, AMSTERDAM)


def export(tmp_path: Path, catalog: Catalog, store: Store, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(render("json", catalog, store, tz=AMSTERDAM), encoding="utf-8")
    return path


# -- Markdown and HTML -----------------------------------------------------------------------


def test_markdown_shows_the_path_and_the_dated_plan(learner: Store, bundled_catalog: Catalog) -> None:
    text = render("md", bundled_catalog, learner, tz=AMSTERDAM)
    assert "## Path: Python + FastAPI · " in text
    assert "started 1 Jan 2026 · month 1 of 10, 1 Jan - 31 Jan · **" in text
    assert "| Month | Dates | Status | Done |" in text
    assert "| 1 · Language fundamentals and HTTP basics | 1 Jan 2026 - 31 Jan 2026 | current |" in text
    assert "pace " in text and "finish " in text


def test_no_path_no_path_section(store: Store, bundled_catalog: Catalog) -> None:
    assert "## Path" not in render("md", bundled_catalog, store, tz=AMSTERDAM)
    assert 'class="card path"' not in render("html", bundled_catalog, store, tz=AMSTERDAM)


def test_one_covered_roadmap_has_no_path_section(learner: Store, bundled_catalog: Catalog) -> None:
    assert "## Path" not in render("md", bundled_catalog, learner, "python", tz=AMSTERDAM)
    assert "## Path" in render("md", bundled_catalog, learner, MASTER, tz=AMSTERDAM)


def test_html_shows_the_path_and_the_heatmap_inline(learner: Store, bundled_catalog: Catalog) -> None:
    text = render("html", bundled_catalog, learner, tz=AMSTERDAM)
    assert 'class="card path"' in text and "Path: <bdi>Python + FastAPI</bdi>" in text
    assert '<table class="heat"' in text
    assert text.count('class="h1"') == 5  # five days with one item done (the undone tick is not one)
    assert 'title="5 Jan 2026: 1 item"' in text
    assert "<script" not in text.lower()


def test_html_escapes_path_text(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "m.yaml").write_text(
        "id: m\ntitle: M\nsections:\n  - id: s\n    title: S\n    children:\n"
        "      - id: a\n        title: A\n      - id: b\n        title: B\n"
        'plan:\n  - id: m1\n    month: 1\n    title: "<img src=x onerror=alert(1)>"\n    items: [s]\n'
        'path:\n  languages:\n    - id: x\n      title: "<script>alert(1)</script>"\n      roadmap: m\n',
        encoding="utf-8",
    )
    catalog = load_catalog([folder])
    assert catalog.problems == []
    save_path(store, LearnerPath("x", None, date(2026, 1, 1)))
    text = render("html", catalog, store, tz=AMSTERDAM)
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text and "&lt;img src=x" in text
    markdown = render("md", catalog, store, tz=AMSTERDAM)
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


# -- JSON: path and history ------------------------------------------------------------------


def test_json_carries_the_path_and_every_change(learner: Store, bundled_catalog: Catalog) -> None:
    document = json.loads(render("json", bundled_catalog, learner))
    assert document["version"] == 3
    assert document["path"]["language"] == "python" and document["path"]["start"] == "2026-01-01"
    history = document["history"]
    assert [change["action"] for change in history].count("status") == 6  # one of them undone
    assert any(change["undone"] for change in history)
    notes = [e for change in history for e in change["entries"] if e["field"] == "note"]
    assert [(e["old"], e["new"]) for e in notes] == [(None, "first words"), ("first words", "second words")]


def test_round_trip_keeps_streaks_heatmap_and_done_dates(
    learner: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    path = export(tmp_path, bundled_catalog, learner)
    now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    later = FakeClock(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    with Store.open(tmp_path / "fresh.db", later) as fresh:
        result = import_file(fresh, bundled_catalog, path)
        assert result.change is not None
        assert result.change.copied == 8  # 5 ticks, the undo, 2 notes (not the undone tick)
        assert "8 past change(s) added to the history" in result.describe()
        assert "the path taken from the file" in result.describe()
        before, after = guide_of(bundled_catalog, learner, now), guide_of(bundled_catalog, fresh, now)
        assert after.streaks == before.streaks and after.streaks.longest == 5
        assert after.heatmap == before.heatmap
        assert after.pace == before.pace
        assert read_path(fresh) == read_path(learner)
        done_on = {e.key: e.done_on for e in build(bundled_catalog, fresh).entries() if e.done_on}
        assert done_on == {e.key: e.done_on for e in build(bundled_catalog, learner).entries() if e.done_on}


def test_importing_twice_adds_nothing(learner: Store, bundled_catalog: Catalog, tmp_path: Path) -> None:
    path = export(tmp_path, bundled_catalog, learner)
    with Store.open(tmp_path / "fresh.db", FakeClock()) as fresh:
        import_file(fresh, bundled_catalog, path)
        count = len(fresh.changes())
        again = import_file(fresh, bundled_catalog, path)
        assert again.change is None and len(fresh.changes()) == count
    before = len(learner.changes())
    assert import_file(learner, bundled_catalog, path).change is None  # one's own export
    assert len(learner.changes()) == before


def test_undoing_an_import_takes_its_history_too(
    learner: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    path = export(tmp_path, bundled_catalog, learner)
    with Store.open(tmp_path / "fresh.db", FakeClock()) as fresh:
        import_file(fresh, bundled_catalog, path)
        assert sum(done_per_local_day(fresh, AMSTERDAM).values()) == 5
        undone = fresh.undo()
        assert undone is not None and (undone.action, undone.label) == ("undo", "import export.json")
        assert done_per_local_day(fresh, AMSTERDAM) == {}
        assert set(fresh.statuses().values()) == {"todo"}
        assert fresh.undo() is None  # past changes are never undone one by one
        import_file(fresh, bundled_catalog, path)  # and importing again brings them back
        assert sum(done_per_local_day(fresh, AMSTERDAM).values()) == 5


def test_a_newer_path_here_is_kept(learner: Store, bundled_catalog: Catalog, tmp_path: Path, clock) -> None:
    path = export(tmp_path, bundled_catalog, learner)
    clock.advance(days=1)
    save_path(learner, LearnerPath("go", "gin", date(2026, 2, 1)))
    result = import_file(learner, bundled_catalog, path)
    assert read_path(learner) is not None and read_path(learner).language == "go"
    assert "path taken" not in result.describe()


def test_version_2_and_1_files_still_import(learner: Store, bundled_catalog: Catalog, tmp_path: Path) -> None:
    document = json.loads(render("json", bundled_catalog, learner))
    del document["path"], document["history"]
    document["version"] = 2
    two = parse_export(json.dumps(document).encode(), "v2.json")
    assert two.history == () and two.path is None and two.records
    document["version"] = 1
    document["items"] = document.pop("progress")
    one = parse_export(json.dumps(document).encode(), "v1.json")
    assert one.records == two.records


def test_a_long_note_is_elided_from_the_history_not_from_progress(
    store: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    key = bundled_catalog.node(MASTER, "http-versions").key
    long = "x" * (HISTORY_VALUE_BYTES + 1)
    store.set_note(key, long)
    document = json.loads(render("json", bundled_catalog, store))
    entry = document["history"][0]["entries"][0]
    assert entry["new"] is None and entry["elided"] is True
    assert document["progress"][0]["note"] == long
    with Store.open(tmp_path / "fresh.db", FakeClock()) as fresh:
        path = tmp_path / "e.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        import_file(fresh, bundled_catalog, path)
        assert fresh.note(key) == long


def test_one_roadmap_carries_only_its_history(learner: Store, bundled_catalog: Catalog) -> None:
    learner.set_status(["python/py-install-run"], "done")
    document = json.loads(render("json", bundled_catalog, learner, "python"))
    keys = {e["key"] for change in document["history"] for e in change["entries"]}
    assert keys == {"python/py-install-run"}


@pytest.mark.parametrize(
    ("change", "gist"),
    [
        ({"history": {}}, '"history" is not a list'),
        ({"history": [1]}, "history entry 1 is not a JSON object"),
        ({"history": [{"action": "status", "entries": []}]}, 'history entry 1 has no "at"'),
        ({"history": [{"at": "yesterday", "action": "status", "entries": []}]}, "\"at\" 'yesterday'"),
        ({"history": [{"at": "2026-01-01T00:00:00Z", "action": "", "entries": []}]}, '"action" is not text'),
        ({"history": [{"at": "2026-01-01T00:00:00Z", "action": "status"}]}, '"entries" is missing'),
        (
            {
                "history": [
                    {"at": "2026-01-01T00:00:00Z", "action": "s", "entries": [{"key": "a/b", "field": "x"}]}
                ]
            },
            "\"field\" 'x' is not one of status, note",
        ),
        (
            {
                "history": [
                    {"at": "2026-01-01T00:00:00Z", "action": "s", "entries": [{"key": "", "field": "note"}]}
                ]
            },
            '"key" is empty',
        ),
        (
            {
                "history": [
                    {
                        "at": "2026-01-01T00:00:00Z",
                        "action": "s",
                        "entries": [{"key": "a/b", "field": "note", "new": 3}],
                    }
                ]
            },
            "must be text or null",
        ),
        ({"path": "python"}, '"path" is not a JSON object'),
        ({"path": {"language": "python"}}, '"path" is not a path'),
        (
            {"path": {"language": "python", "start": "2026-01-01", "weeks_per_month": 0}},
            '"path" is not a path',
        ),
    ],
)
def test_bad_history_or_path_is_refused(change: dict, gist: str) -> None:
    document = {"format": "tracker-progress", "version": 3, "progress": [], **change}
    with pytest.raises(ReportError) as caught:
        parse_export(json.dumps(document).encode(), "bad.json")
    assert gist in str(caught.value) and str(caught.value).endswith("Nothing was changed")


def test_export_leaves_out_what_import_would_refuse(store: Store, bundled_catalog: Catalog) -> None:
    store.set_status(["a/b"], "done")
    store.conn.execute("UPDATE changes SET at = 'not a time'")
    store.conn.execute(
        "INSERT INTO changes (at, action, label) VALUES ('2026-01-05T09:00:00.000Z', 'x', 'y')"
    )
    store.conn.execute(
        "INSERT INTO history (change_id, key, field, old, new) "
        "VALUES (last_insert_rowid(), 'a/c', 'colour', 1, 2)"
    )
    store.conn.commit()
    text = render("json", bundled_catalog, store)
    assert json.loads(text)["history"] == []
    parse_export(text.encode(), "export.json")  # and what is written reads back


def test_a_big_history_stays_within_the_import_limit(store: Store, bundled_catalog: Catalog, clock) -> None:
    key = bundled_catalog.node(MASTER, "http-versions").key
    for index in range(40):  # 40 edits of a 1 MiB note would be 80 MiB with the texts
        clock.advance(minutes=1)
        store.set_note(key, f"{index} " + "y" * (1024 * 1024 - 10))
    text = render("json", bundled_catalog, store)
    assert len(text.encode()) < 3 * 1024 * 1024
    assert len(json.loads(text)["history"]) == 40


def test_the_import_command_says_what_it_added(
    learner: Store, bundled_catalog: Catalog, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from tracker.cli import cli

    path = export(tmp_path, bundled_catalog, learner)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "cli.db"), "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "8 past change(s) added to the history" in result.stdout


def test_done_today_shows_the_day_in_the_learners_zone(store: Store, bundled_catalog: Catalog, clock) -> None:
    clock.now = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # 00:30 on 6 Jan in Amsterdam
    store.set_status([bundled_catalog.node(MASTER, "http-versions").key], "done")
    save_path(store, LearnerPath("python", None, date(2026, 1, 1)))
    text = render("html", bundled_catalog, store, now=clock.now + timedelta(hours=1), tz=AMSTERDAM)
    assert 'title="6 Jan 2026: 1 item"' in text
