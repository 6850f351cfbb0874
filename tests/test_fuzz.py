"""Fuzzing the importer, the stored values and the command line with hypothesis.

Whatever comes in (an export file, rows another program put in the database,
the arguments of a command), the answer is a result or one clear line: never
an exception, never "internal error". What the importer accepts, the store
takes, and an export of it imports back the same.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.catalog import Catalog, load_catalog
from tracker.cli import cli
from tracker.reports import FORMATS, ReportError, render
from tracker.reports.restore import import_export, parse_export
from tracker.store import Store
from tracker.stored import STATUSES

from .conftest import FakeClock

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

awkward_text = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "\ud800", "a\udfffb", "\x00", "\x1b[2J", "skill:git", "alpha/shell"]),
)
argv_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20),
    st.sampled_from(["", " ", "\udcff", "caf\udce9", "\x1b[2J", "-", "--", "alpha", "backend-server"]),
)
"""What a real command line can hold: no NUL; undecodable bytes come as U+DC80 to U+DCFF."""
offsets = st.builds(lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-1439, 1439))
times = st.one_of(
    st.none(),
    st.integers(),
    awkward_text,
    st.datetimes(timezones=offsets).map(datetime.isoformat),
    st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat().replace("+00:00", "Z")),
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "99999-01-01T00:00:00Z"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | awkward_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(awkward_text, children, max_size=4),
    max_leaves=12,
)
entries = st.fixed_dictionaries(
    {},
    optional={
        "key": st.one_of(awkward_text, json_values),
        "status": st.one_of(st.sampled_from(STATUSES), json_values),
        "updated": times,
        "note": st.one_of(awkward_text, json_values),
        "note_updated": times,
    },
)
documents = st.fixed_dictionaries(
    {
        "format": st.one_of(st.just("tracker-progress"), json_values),
        "version": st.one_of(st.sampled_from([1, 2]), json_values),
    },
    optional={
        "items": st.one_of(st.lists(entries, max_size=6), json_values),
        "progress": st.one_of(st.lists(entries, max_size=6), json_values),
    },
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one small roadmap that has a shared skill (rendering all is slow)."""
    folder = tmp_path_factory.mktemp("small")
    (folder / "skills.yaml").write_text("skills:\n  - key: git\n    title: Git\n")
    (folder / "alpha.yaml").write_text(
        "id: alpha\ntitle: Alpha\nsections:\n  - id: basics\n    title: Basics\n    children:\n"
        "      - {id: git, title: Git, skill: git}\n      - {id: shell, title: Shell}\n"
    )
    return folder


@pytest.fixture(scope="module")
def catalog(small: Path) -> Catalog:
    loaded = load_catalog([small])
    assert not loaded.problems
    return loaded


def import_bytes(data: bytes, catalog: Catalog) -> Store | None:
    """Import ``data`` into a fresh store: the store, or ``None`` when it is refused."""
    try:
        export = parse_export(data, "fuzz.json")
    except ReportError as error:
        assert "\n" not in str(error) and str(error).endswith("Nothing was changed")
        return None
    store = Store.open(":memory:", FakeClock())
    import_export(store, catalog, export)
    return store


def round_trips(store: Store, catalog: Catalog) -> None:
    """Every format renders; the JSON export imports back the same records.

    Only a note stored without a readable time comes back with one: the import's. A removed
    note on a key no roadmap has (nothing to show or restore) is not exported.
    """
    for fmt in FORMATS:
        render(fmt, catalog, store)
    again = import_bytes(render("json", catalog, store).encode(), catalog)
    assert again is not None
    restored = again.records()
    expected = store.records()
    shown = {node.key for roadmap in catalog.roadmaps.values() for node in roadmap.nodes.values()}
    for key, record in list(expected.items()):
        if record.note and record.note_updated is None:
            restored[key] = restored[key]._replace(note_updated=None)
        if record.updated is None and not record.note and key not in shown:
            del expected[key]
    assert restored == expected


@SLOW
@given(document=st.one_of(documents, json_values))
def test_the_importer_accepts_or_refuses_any_document(document: object, catalog: Catalog) -> None:
    store = import_bytes(json.dumps(document).encode(), catalog)
    if store is not None:
        round_trips(store, catalog)


@SLOW
@given(data=st.binary(max_size=200))
def test_the_importer_accepts_or_refuses_any_bytes(data: bytes, catalog: Catalog) -> None:
    import_bytes(data, catalog)


sqlite_values = st.one_of(
    st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.binary(max_size=4), st.text(max_size=20)
)
"""What SQLite can hold (lone surrogates cannot even be written)."""
rows = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["alpha/shell", "skill:git", "alpha/basics", "x/y"]), sqlite_values),
        st.one_of(st.sampled_from(STATUSES), sqlite_values),
        st.one_of(st.just("2026-01-05T09:00:00.000Z"), sqlite_values),
    ),
    max_size=5,
)


@SLOW
@given(progress=rows, notes=rows)
def test_values_another_program_stored_are_read_safely(
    progress: list[tuple], notes: list[tuple], catalog: Catalog
) -> None:
    """Any type SQLite lets in (it checks none) and any text, in statuses, notes and times."""
    store = Store.open(":memory:", FakeClock())
    for key, status, updated in progress:
        store.conn.execute("INSERT OR REPLACE INTO progress VALUES (?, ?, ?)", [key, status, updated])
    for key, text, updated in notes:
        store.conn.execute("INSERT OR REPLACE INTO notes VALUES (?, ?, ?)", [key, text, updated])
    records = store.records()
    assert all(record.status in STATUSES for record in records.values())
    round_trips(store, catalog)
    store.unreadable()
    store.status_history()


command_args = st.one_of(
    st.tuples(st.just("mark"), argv_text, argv_text, argv_text),
    st.tuples(st.just("mark"), st.just("alpha"), st.just("shell"), argv_text),
    st.tuples(st.just("note"), st.just("alpha"), argv_text, argv_text),
    st.tuples(st.just("note"), st.just("alpha"), st.just("shell"), argv_text),
    st.tuples(st.just("status"), argv_text),
    st.tuples(st.just("export"), st.just("--roadmap"), argv_text),
    st.tuples(st.just("export"), st.just("--format"), argv_text),
    st.tuples(st.just("validate"), argv_text),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=command_args)
def test_any_command_line_gives_a_result_or_one_line(
    args: tuple[str, ...], tmp_path: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tracker.locations.bundled_roadmaps_dir", lambda: small)  # quicker to load
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "fuzz.db"), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 2)
    assert "internal error" not in result.output and "Traceback" not in result.output
    if result.exit_code == 1:
        errors = [line for line in result.stderr.splitlines() if "created a new database" not in line]
        assert len(errors) == 1, result.stderr


@pytest.mark.parametrize(
    ("when", "gist"),
    [
        ("0001-01-01T00:00:00+01:00", "outside the years 1 to 9999"),
        ("9999-12-31T23:59:59-01:00", "outside the years 1 to 9999"),
        ("99999-01-01T00:00:00Z", "not an ISO 8601 time"),
    ],
)
def test_times_outside_the_calendar_are_refused(when: str, gist: str) -> None:
    document = {"format": "tracker-progress", "version": 2, "progress": [{"key": "a/b", "updated": when}]}
    with pytest.raises(ReportError, match=gist):
        parse_export(json.dumps(document).encode(), "x.json")


def test_a_status_another_program_stored_is_read_as_todo_and_listed_by_doctor(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    CliRunner().invoke(cli, ["--db", str(db), "mark", "backend-server", "blog-api-schema", "done"])
    with Store.open(db) as store:
        store.conn.execute("UPDATE progress SET status = 'finished'")
        store.conn.execute("INSERT INTO notes VALUES ('x/y', 'n', 'yesterday')")
    for fmt in FORMATS:
        result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", fmt])
        assert result.exit_code == 0, result.output
    doctor = CliRunner().invoke(cli, ["--db", str(db), "doctor"])
    assert doctor.exit_code == 1
    assert "backend-server/blog-api-schema: status 'finished' (read as todo)" in doctor.stdout
    assert "x/y: note time 'yesterday' (read as unknown)" in doctor.stdout
