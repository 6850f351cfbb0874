"""The merge rules (tracker.merging) and what the store keeps for them: removal times, a note's
earlier versions, settings an undo puts back."""

from __future__ import annotations

import json
from datetime import date

from tracker.path import PATH_SETTING, LearnerPath, read_path, save_path
from tracker.store import PastChange, Record, Step, Store

from .conftest import FakeClock

T1, T2 = "2026-01-05T09:00:00.000Z", "2026-01-05T10:00:00.000Z"


def test_on_the_same_millisecond_the_greater_value_wins_on_both_sides(store: Store, clock: FakeClock) -> None:
    store.merge({"a/x": Record("doing", T1, "mine", T1)})
    store.merge({"a/x": Record("done", T1, "yours", T1)})
    assert store.records()["a/x"] == Record("done", T1, "yours", T1)
    store.merge({"a/x": Record("doing", T1, "mine", T1)})  # the other side keeps the same
    assert store.records()["a/x"] == Record("done", T1, "yours", T1)


def test_a_later_time_for_the_same_value_is_taken(store: Store) -> None:
    store.merge({"a/x": Record("done", T1, "same", T1)})
    assert store.merge({"a/x": Record("done", T2, "same", T2)}) is None  # nothing changed but the times
    assert store.records()["a/x"] == Record("done", T2, "same", T2)


def test_a_removed_note_is_a_record_with_its_time(store: Store, clock: FakeClock) -> None:
    store.set_note("a/x", "text")
    clock.advance(hours=1)
    store.set_note("a/x", "")
    assert store.records()["a/x"] == Record("todo", None, "", T2)
    assert store.merge({"a/x": Record(note="text", note_updated=T1)}) is None  # older: stays removed
    assert store.note("a/x") == ""
    assert store.stored_keys() == set() and store.stored_among(["a/x"]) == set()


def test_undo_keeps_the_time_of_what_it_took_back(store: Store, clock: FakeClock) -> None:
    store.set_status(["a/x"], "done")
    store.set_note("a/x", "text")
    clock.advance(hours=1)
    store.undo()
    store.undo()
    assert store.records()["a/x"] == Record("todo", T2, "", T2)
    store.merge({"a/x": Record("done", T1, "text", T1)})  # what the other device still holds
    assert store.records()["a/x"] == Record("todo", T2, "", T2)


def test_note_versions_newest_first_each_once(store: Store, clock: FakeClock) -> None:
    assert store.note_versions("a/x") == []
    for text in ("one", "two", "one", "three"):
        clock.advance(minutes=1)
        store.set_note("a/x", text)
    versions = store.note_versions("a/x")
    assert [v.text for v in versions] == ["one", "two"]
    assert versions[0].at == "2026-01-05T09:04:00.000Z"  # replaced by "three" then


def test_undoing_an_import_puts_the_path_back_newer_than_the_one_it_replaced(
    store: Store, clock: FakeClock
) -> None:
    mine = save_path(store, LearnerPath("python", None, date(2026, 1, 1)))
    clock.advance(hours=1)
    theirs = LearnerPath("go", "gin", date(2026, 2, 1), updated="2026-01-05T09:30:00.000Z")
    change = store.merge({}, settings={PATH_SETTING: theirs.to_json()})
    assert change is not None and change.settings == (PATH_SETTING,)
    assert read_path(store) == theirs
    clock.advance(hours=1)
    undone = store.undo()
    assert undone is not None and undone.settings == (PATH_SETTING,)
    back = read_path(store)
    assert back is not None and back.language == mine.language
    assert back.updated == "2026-01-05T11:00:00.000Z"  # the undo's time: a sync keeps it
    assert json.loads(store.setting(PATH_SETTING) or "")["updated"] == back.updated


def test_undo_leaves_a_path_chosen_after_the_import(store: Store, clock: FakeClock) -> None:
    theirs = LearnerPath("go", None, date(2026, 2, 1), updated=T1)
    store.merge({"a/x": Record("done", T1)}, settings={PATH_SETTING: theirs.to_json()})
    clock.advance(hours=1)
    chosen = save_path(store, LearnerPath("rust", None, date(2026, 3, 1)))
    undone = store.undo()
    assert undone is not None and undone.settings == ()
    assert read_path(store) == chosen


def test_an_undone_import_is_not_exported_and_not_counted_as_here(store: Store) -> None:
    past = (PastChange(T1, "status", "x done", (Step("a/x", "status", None, "done"),)),)
    store.merge({}, history=past)
    assert [c.label for c in store.past_changes()] == ["x done"]
    store.undo()
    assert store.past_changes() == []  # what it brought is retired (and the import had no steps)
    again = store.merge({}, history=past)  # importing again brings it back
    assert again is not None and again.copied == 1


def test_a_change_undone_elsewhere_is_undone_here(store: Store) -> None:
    tick = PastChange(T1, "status", "x done", (Step("a/x", "status", None, "done"),))
    store.merge({"a/x": Record("done", T1)}, history=[tick])
    assert store.done_per_quarter_hour() == [("2026-01-05T09:00", 1)]  # the tick made elsewhere
    store.merge({}, history=[PastChange(T1, "status", "x done", tick.steps, undone=True)])
    assert [c.undone for c in store.past_changes() if c.label == "x done"] == [True]
    assert store.done_per_quarter_hour() == []


def test_an_undone_change_from_elsewhere_is_copied_as_undone(store: Store) -> None:
    tick = PastChange(T1, "status", "x done", (Step("a/x", "status", None, "done"),), undone=True)
    change = store.merge({}, history=[tick])
    assert change is not None and change.copied == 0  # nothing that counts
    assert [(c.label, c.undone) for c in store.past_changes()] == [("x done", True)]
    assert store.merge({}, history=[tick]) is None


def test_changes_of_one_millisecond_are_exported_in_one_order_everywhere(tmp_path, clock: FakeClock) -> None:
    changes = [
        PastChange(T1, "status", label, (Step(f"a/{label}", "status", None, "done"),)) for label in "zyx"
    ]
    with Store.open(tmp_path / "one.db", clock) as one, Store.open(tmp_path / "two.db", clock) as two:
        one.merge({}, history=changes)
        two.merge({}, history=reversed(changes))
        assert one.past_changes() == two.past_changes()
        assert [c.label for c in one.past_changes()] == ["x", "y", "z"]
