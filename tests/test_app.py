"""Pilot tests: the app driven by real key presses on a temporary database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.ui_helpers import build_app, cursor_id, settle
from tracker.store import Store
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.help import HelpScreen
from tracker.ui.widgets.detail import NoteEditor
from tracker.ui.widgets.roadmap_list import RoadmapList

SIZE = (120, 40)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


def stored(db_path: Path, clock) -> dict[str, str]:
    with Store.open(db_path, clock) as store:
        return store.statuses()


async def test_navigate_tick_note_quit_and_restart(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert cursor_id(app) == "tier-1-fundamentals"
        await pilot.press("j", "l", "l")  # HTTP branch, expand it, first child
        assert cursor_id(app) == "http-how-internet-works"
        await pilot.press("space")
        await settle(pilot)
        assert (
            app.progress.status(bundled_catalog.node("backend-server", "http-how-internet-works")) == "done"
        )
        await pilot.press("space")  # untick
        await settle(pilot)
        assert stored(db_path, clock).get("skill:internet-basics") == "todo"
        await pilot.press("space", "down", "d", "down", "s", "down", "space")
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.focused, NoteEditor)
        await pilot.press(*"read RFC 9110", "enter", *"ünïcode ")
        app.query_one(NoteEditor).insert("✓")  # pasted: Pilot cannot type it as a key
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code == 0

    statuses = stored(db_path, clock)
    assert statuses["skill:internet-basics"] == "done"
    assert statuses["skill:dns"] == "doing"
    assert statuses["skill:http"] == "skipped"
    assert statuses["skill:https-tls"] == "done"
    with Store.open(db_path, clock) as store:
        assert store.note("skill:https-tls") == "read RFC 9110\nünïcode ✓"

    again = build_app(bundled_catalog, db_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "l", "l", "down", "down", "down")
        assert cursor_id(again) == "http-https-tls"
        assert again.query_one(NoteEditor).text == "read RFC 9110\nünïcode ✓"
        branch = bundled_catalog.node("backend-server", "http-web-basics")
        assert again.progress.counts(branch).done == 2
        assert again.progress.status(branch) == "doing"
        await pilot.press("q")


async def test_parent_sets_children_and_undo_twice(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    branch = bundled_catalog.node("backend-server", "http-web-basics")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "space")  # the whole HTTP branch
        await settle(pilot)
        assert app.progress.counts(branch).done == len(branch.children)
        await pilot.press("down", "d")  # the next branch: doing
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        server = bundled_catalog.node("backend-server", "server-architecture")
        assert app.progress.status(server) == "todo"
        assert app.progress.counts(branch).done == len(branch.children)
        await pilot.press("u")
        await settle(pilot)
        assert app.progress.counts(branch).done == 0
        assert set(stored(db_path, clock).values()) <= {"todo"}


async def test_filter_highlights_and_escape_clears(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"json web")
        await settle(pilot)
        tree = app.browser.active_tree()
        visible = [tree.get_node_at_line(i).data for i in range(tree.last_line + 1)]
        titles = [getattr(entry, "title", "") for entry in visible]
        assert any("JSON Web Tokens" in title for title in titles)
        assert not any(title.startswith("Tier 1") for title in titles)
        assert cursor_id(app) is not None and "jwt" in cursor_id(app)
        await pilot.press("escape")
        await settle(pilot)
        assert tree.filter_text == ""
        assert tree.has_focus
        top = [tree.get_node_at_line(i).data.title for i in range(tree.last_line + 1)]
        assert any(title.startswith("Tier 1") for title in top)


async def test_palette_jumps_to_item_in_another_roadmap(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"goroutines")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.browser.roadmap.id == "golang"
        assert "goroutine" in (cursor_id(app) or "")
        assert app.query_one(RoadmapList).highlighted_option.id == "golang"


async def test_shared_skill_ticks_everywhere(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    git_nodes = bundled_catalog.nodes_with_key("skill:git")
    assert len({n.roadmap_id for n in git_nodes}) >= 2
    first = git_nodes[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.jump_to(first)
        await settle(pilot)
        await pilot.pause(0.2)
        assert cursor_id(app) == first.id
        await pilot.press("space")
        await settle(pilot)
        other = next(n for n in git_nodes if n.roadmap_id != first.roadmap_id)
        await app.jump_to(other)
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.browser.roadmap.id == other.roadmap_id
        assert cursor_id(app) == other.id
        assert app.progress.status(other) == "done"
        assert (
            "✔"
            in app.browser.active_tree()
            .cursor_node.tree.render_label(
                app.browser.active_tree().cursor_node,
                app.browser.active_tree().rich_style,
                app.browser.active_tree().rich_style,
            )
            .plain
        )


async def test_reset_roadmap_asks_first(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "space")
        await settle(pilot)
        done = app.progress.roadmap("backend-server").done
        assert done > 0
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # cancel: nothing changes
        await settle(pilot)
        assert app.progress.roadmap("backend-server").done == done
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.progress.roadmap("backend-server").done == 0
        assert set(stored(db_path, clock).values()) == {"todo"}
        await pilot.press("u")  # the reset itself can be undone
        await settle(pilot)
        assert app.progress.roadmap("backend-server").done == done


async def test_help_lists_every_binding(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(binding) for _, group in app.screen.groups for binding in group)
        for action in ("set_status", "undo", "filter", "edit_note", "export", "reset_roadmap"):
            assert action in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_locked_database_shows_error_and_true_state(bundled_catalog, db_path, clock, monkeypatch):
    monkeypatch.setattr("tracker.store.BUSY_TIMEOUT_SECONDS", 0.2)
    app = build_app(bundled_catalog, db_path, clock)
    app.gateway.store.db.conn.execute("PRAGMA busy_timeout = 200")
    blocker = sqlite3.connect(db_path, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        blocker.execute("BEGIN EXCLUSIVE")
        await pilot.press("j", "space")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("locked" in message for message in messages)
        branch = bundled_catalog.node("backend-server", "http-web-basics")
        assert app.progress.counts(branch).done == 0  # the screen shows what is stored
        blocker.execute("ROLLBACK")
        await pilot.press("space")  # the app keeps working once the lock is gone
        await settle(pilot)
        assert app.progress.counts(branch).done == len(branch.children)
    blocker.close()


async def test_disk_full_note_is_reported_and_kept_in_editor(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "l", "l")
        connection = app.gateway.store.db.conn
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        await pilot.press("n", *"typed")
        app.query_one(NoteEditor).insert("x" * 20000)  # pasted
        await pilot.press("escape")
        await settle(pilot)
        assert any("full" in n.message for n in app._notifications)
        assert app.query_one(NoteEditor).text == "typed" + "x" * 20000  # the typing is kept
        assert "not saved" in str(app.query_one("#note-state").render())


async def test_theme_is_remembered(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "gruvbox"
        await settle(pilot)
        await pilot.press("q")
    again = build_app(bundled_catalog, db_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == "gruvbox"


async def test_export_dialog_writes_through_reports(bundled_catalog, db_path, clock, tmp_path):
    from textual.widgets import Input, Select

    from tracker.ui.screens.export import ExportScreen

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "space")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#path", Input).value.endswith(".md")
        dialog.query_one("#format", Select).value = "html"
        await pilot.pause()
        assert dialog.query_one("#path", Input).value.endswith(".html")  # follows the format
        missing = tmp_path / "no-such-folder" / "report.html"
        dialog.query_one("#path", Input).value = str(missing)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # the error is shown in the dialog, nothing is lost
        assert "does not exist" in str(dialog.query_one("#export-result").render())
        target = tmp_path / "report.html"
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        html = target.read_text(encoding="utf-8")
        assert "HTTP protocol and web basics" in html and "<script" not in html
        assert any(str(target) in n.message for n in app._notifications)


async def test_resize_keeps_everything_usable(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for size in ((80, 24), (200, 60), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert app.screen.size == size
            tree = app.browser.active_tree()
            assert tree.size.width > 10 and tree.size.height > 5
        await pilot.press("j", "space")
        await settle(pilot)
        branch = bundled_catalog.node("backend-server", "http-web-basics")
        assert app.progress.status(branch) == "done"


async def test_bad_roadmap_file_is_listed_and_markup_is_shown_as_text(tmp_path, db_path, clock):
    from textual.markup import escape

    from tracker.catalog import load_catalog
    from tracker.locations import bundled_roadmaps_dir

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    (folder / "brackets.yaml").write_text(
        "id: brackets\ntitle: '[bold]Not markup[/] roadmap'\nsections:\n"
        "  - {id: a, title: '[red]literal[/red] brackets'}\n",
        encoding="utf-8",
    )
    catalog = load_catalog([bundled_roadmaps_dir(), folder])
    app = build_app(catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        problems = str(app.query_one("#problems").render())
        assert "1 roadmap problem" in problems
        assert "broken.yaml:3:1 YAML syntax error" in problems and "starts on line 2" in problems
        await app.open_roadmap("brackets")
        await settle(pilot)
        tree = app.browser.active_tree()
        assert tree.get_node_at_line(0).label.plain == "[red]literal[/red] brackets"
        assert app.browser.border_title == escape("[bold]Not markup[/] roadmap")
