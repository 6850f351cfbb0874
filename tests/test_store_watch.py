"""The store notices other writers and a file that left its path, and never overwrites a note unseen."""

from __future__ import annotations

from pathlib import Path

from tracker.store import Store


def test_data_version_moves_only_for_other_writers(store: Store, clock) -> None:
    before = store.data_version()
    store.set_status(["a"], "done")
    assert store.data_version() == before  # its own commit
    with Store.open(store.path, clock) as other:
        other.set_status(["b"], "doing")
    after = store.data_version()
    assert after != before
    assert store.statuses() == {"a": "done", "b": "doing"}


def test_note_written_elsewhere_is_kept_beside_the_new_text(store: Store, clock) -> None:
    store.set_note("k", "first")
    with Store.open(store.path, clock) as other:
        other.set_note("k", "from the command line")
    store.set_note("k", "first, edited in the app", base="first")
    note = store.note("k")
    assert note.startswith("first, edited in the app\n\n--- kept from another writer")
    assert note.endswith("\nfrom the command line")


def test_note_unchanged_elsewhere_is_simply_replaced(store: Store) -> None:
    store.set_note("k", "first")
    store.set_note("k", "second", base="first")
    assert store.note("k") == "second"
    store.set_note("k", "second", base="stale")  # the same text: nothing to keep twice
    assert store.note("k") == "second"


def test_deleted_file_is_written_back_and_used(store: Store, clock) -> None:
    store.set_status(["a"], "done")
    store.set_note("a", "kept")
    assert store.recover_file() is None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    store.set_status(["b"], "done")  # written into the unlinked file
    message = store.recover_file()
    assert message is not None and "deleted" in message
    store.set_status(["c"], "skipped")
    with Store.open(store.path, clock) as reopened:
        assert reopened.statuses() == {"a": "done", "b": "done", "c": "skipped"}
        assert reopened.note("a") == "kept"
        assert len(reopened.changes()) == 4
    assert store.recover_file() is None


def test_main_file_deleted_while_its_wal_stays(store: Store, clock) -> None:
    store.set_status(["a"], "done")
    store.path.unlink()  # only the main file: the -wal and -shm files stay
    store.set_status(["b"], "done")
    assert store.recover_file() is not None
    with Store.open(store.path, clock) as reopened:
        assert reopened.statuses() == {"a": "done", "b": "done"}
        assert reopened.integrity() == ["ok"]


def test_replaced_file_keeps_both_sides(store: Store, clock, tmp_path: Path) -> None:
    store.set_status(["mine"], "done")
    clock.advance(minutes=1)
    newcomer = tmp_path / "newcomer.db"
    with Store.open(newcomer, clock) as other:
        other.set_status(["theirs"], "doing")
    newcomer.replace(store.path)
    message = store.recover_file()
    assert message is not None and "replaced" in message
    assert store.statuses() == {"mine": "done", "theirs": "doing"}
    kept = list(tmp_path.glob("progress.db.kept-*.db"))
    assert len(kept) == 1
    with Store.open(kept[0], clock) as copy:
        assert copy.statuses() == {"mine": "done"}


def test_replaced_by_a_file_that_is_no_database(store: Store, clock, tmp_path: Path) -> None:
    store.set_status(["mine"], "done")
    junk = tmp_path / "junk"
    junk.write_text("not a database")
    junk.replace(store.path)
    message = store.recover_file()
    assert message is not None and "cannot be used" in message
    assert store.path.name.startswith("progress.db.kept-")
    store.set_status(["more"], "done")
    assert store.statuses() == {"mine": "done", "more": "done"}
    assert (tmp_path / "progress.db").read_text() == "not a database"


def test_in_memory_store_has_no_file_to_watch(clock) -> None:
    with Store.open(":memory:", clock) as memory:
        assert memory.recover_file() is None
        assert isinstance(memory.data_version(), int)
