"""Pilot tests: nothing typed is lost on closing, and the screen follows what is stored."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.ui_helpers import build_app, cursor_id, settle
from tracker.store import Store
from tracker.ui.app import WATCH_SECONDS
from tracker.ui.widgets.note import NoteEditor

SIZE = (120, 40)
ITEM = "http-how-internet-works"
KEY = "skill:internet-basics"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


def stored_note(db_path: Path, clock, key: str = KEY) -> str:
    with Store.open(db_path, clock) as store:
        return store.note(key)


async def open_item(pilot) -> None:
    await settle(pilot)
    await pilot.press("j", "l", "l")
    assert cursor_id(pilot.app) == ITEM


async def watched(pilot) -> None:
    """Wait long enough for the app to look at the database again."""
    await pilot.pause(WATCH_SECONDS * 1.5)
    await settle(pilot)


@pytest.mark.parametrize("keys", [["ctrl+q"], ["escape", "q"]])
async def test_note_typed_just_before_quitting_is_saved(bundled_catalog, db_path, clock, keys):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        await pilot.press("n", *"last words")
        await pilot.press(*keys)  # well within the half second before a note is saved
    assert stored_note(db_path, clock) == "last words"


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
async def test_note_is_saved_when_a_signal_closes_the_app(bundled_catalog, db_path, clock, signal_number):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        await pilot.press("n", *"signalled")
        os.kill(os.getpid(), signal_number)
        await pilot.pause(0.2)
    assert app.return_code == 1
    assert stored_note(db_path, clock) == "signalled"


async def test_tick_just_before_quitting_is_saved(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        await pilot.press("space", "ctrl+q")
    with Store.open(db_path, clock) as store:
        assert store.statuses() == {KEY: "done"}


async def test_outside_write_is_shown_within_a_second(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    node = bundled_catalog.node("backend-server", ITEM)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        with Store.open(db_path, clock) as other:  # `tracker mark` in another terminal
            other.set_status([KEY], "done")
            other.set_note(KEY, "written by the CLI")
        await watched(pilot)
        assert app.progress.status(node) == "done"
        assert "written by the CLI" in str(app.query_one("#note-preview").render())
        assert "done" in app.query_one("#detail-body").render().plain
        await pilot.press("space")  # the toggle acts on what is shown: back to todo
        await settle(pilot)
        assert app.progress.status(node) == "todo"
        assert not any("Already so" in n.message for n in app._notifications)
    with Store.open(db_path, clock) as store:
        assert store.statuses()[KEY] == "todo"


async def test_outside_reset_of_a_whole_roadmap_is_shown(bundled_catalog, db_path, clock):
    with Store.open(db_path, clock) as store:
        store.set_status([KEY], "done")
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.progress.overall().done
        with Store.open(db_path, clock) as other:
            other.set_status([KEY], "todo")
        await watched(pilot)
        assert app.progress.overall().done == before - 1
        assert str(before - 1) in str(app.sub_title)


async def test_note_changed_elsewhere_while_typing_keeps_both(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        await pilot.press("n", *"mine")
        with Store.open(db_path, clock) as other:
            other.set_note(KEY, "theirs")
        await watched(pilot)  # the watch sees it, the editor keeps the unsaved typing
        editor = app.query_one(NoteEditor)
        note = stored_note(db_path, clock)
        assert note.startswith("mine\n\n--- kept from another writer") and note.endswith("theirs")
        assert editor.text == note
        assert any("both texts are kept" in n.message for n in app._notifications)
        await pilot.press(*"more ")
        typed = editor.text
        assert typed == "more " + note
        await pilot.press("ctrl+q")
    assert stored_note(db_path, clock) == typed


async def test_note_changed_elsewhere_is_reloaded_when_nothing_is_typed(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        await pilot.press("n", *"first")
        await settle(pilot)
        await pilot.pause(0.8)  # saved after the pause in typing
        await settle(pilot)
        assert stored_note(db_path, clock) == "first"
        with Store.open(db_path, clock) as other:
            other.set_note(KEY, "replaced by the CLI")
        await watched(pilot)
        editor = app.query_one(NoteEditor)
        assert editor.text == "replaced by the CLI"
        assert "elsewhere" in str(editor.border_subtitle)
        await pilot.press("ctrl+q")
    assert stored_note(db_path, clock) == "replaced by the CLI"


async def test_deleted_database_is_put_back(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        await pilot.press("space")
        await settle(pilot)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        await watched(pilot)
        assert db_path.exists()
        assert any("deleted" in n.message for n in app._notifications)
        await pilot.press("down", "d")
        await settle(pilot)
        await pilot.press("q")
    with Store.open(db_path, clock) as store:
        assert store.statuses() == {KEY: "done", "skill:dns": "doing"}


async def test_markup_and_control_characters_in_messages_are_text(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for text in ("[/]", "[b]bold[/b]", "[link=x]y", "a\x1b]0;owned\x07b\x1b[2J"):
            app.notify(f"file {text}.json", title=f"title {text}")
            await pilot.pause()
        shown = [(n.title, n.message) for n in app._notifications]
        assert ("title [/]", "file [/].json") in shown
        assert ("title [b]bold[/b]", "file [b]bold[/b].json") in shown
        assert all("\x1b" not in title + message for title, message in shown)
        assert app.is_running


async def test_largest_note_allowed_keeps_the_app_answering(bundled_catalog, db_path, clock):
    from time import perf_counter

    from tracker.stored import MAX_NOTE_BYTES

    line = "A line of a very long note about how the internet works, kept by a keen learner.\n"
    big = line * (MAX_NOTE_BYTES // len(line))
    with Store.open(db_path, clock) as store:
        store.set_note(KEY, big)
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        started = perf_counter()
        await pilot.press("j", "l", "l")  # onto the item: the preview shows the start of the note
        await settle(pilot)
        assert perf_counter() - started < 1.0
        assert "more line(s)" in str(app.query_one("#note-preview").render())
        await pilot.press("n")  # the editor holds all of it
        await settle(pilot)
        started = perf_counter()
        await pilot.press("x", "down", "down")
        await pilot.pause()
        assert perf_counter() - started < 1.0
        await pilot.press("ctrl+q")
    assert stored_note(db_path, clock) == "x" + big


async def test_note_with_control_characters_is_shown_not_obeyed(bundled_catalog, db_path, clock):
    with Store.open(db_path, clock) as store:
        store.set_note(KEY, "title\x1b]0;owned\x07 and \x1b[2J")
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_item(pilot)
        assert "␛]0;owned␇ and ␛[2J" in str(app.query_one("#note-preview").render())
        await pilot.press("n")
        await settle(pilot)
        assert "\x1b" not in app.query_one(NoteEditor).text
        await pilot.press("ctrl+q")  # shown, not edited: the stored note is left as it was
    assert stored_note(db_path, clock) == "title\x1b]0;owned\x07 and \x1b[2J"


async def test_a_new_database_is_announced(bundled_catalog, tmp_path, clock):
    app = build_app(bundled_catalog, tmp_path / "typo.db", clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("new, empty database" in n.message and "typo.db" in n.message for n in app._notifications)
    again = build_app(bundled_catalog, tmp_path / "typo.db", clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not any("new, empty database" in n.message for n in again._notifications)
