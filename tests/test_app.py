"""Pilot tests: the app driven by real key presses on a temporary database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.ui_helpers import build_app, cursor_id, settle
from tracker.store import Store
from tracker.ui.screens.confirm import ConfirmScreen
from tracker.ui.screens.help import HelpScreen
from tracker.ui.widgets.note import NoteEditor
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
    assert statuses["skill:http-semantics"] == "skipped"
    assert statuses["skill:https-basics"] == "done"
    with Store.open(db_path, clock) as store:
        assert store.note("skill:https-basics") == "read RFC 9110\nünïcode ✓"

    again = build_app(bundled_catalog, db_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert cursor_id(again) == "http-https-tls"  # where the last session left off
        assert str(again.query_one("#note-preview").render()) == "read RFC 9110\nünïcode ✓"
        await pilot.press("n")
        assert again.query_one(NoteEditor).text == "read RFC 9110\nünïcode ✓"
        await pilot.press("escape")
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
        await pilot.press("2", "1", "slash", *"docker")  # the hidden Projects tree has matches too
        await settle(pilot)
        assert app.detail.entry is app.browser.active_tree().cursor_entry  # the tree in view
        await pilot.press(*["backspace"] * 6, *"json web")
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
        assert "not saved" in app.query_one(NoteEditor).border_subtitle


async def test_theme_is_remembered(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        body = app.query_one("#detail-body")
        title_style = body.content.spans[0].style
        app.theme = "gruvbox"
        await settle(pilot)
        assert body.content.spans[0].style != title_style  # the detail follows the theme
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
        listing = app.query_one(RoadmapList)
        problems = [option for option in listing.options if option.disabled]
        assert "1 roadmap problem" in str(problems[0].prompt)
        assert str(problems[1].prompt).startswith("broken.yaml:3:1\nYAML syntax error")
        assert "starts on line 2" in str(problems[1].prompt)
        listing.focus()
        await pilot.press("end")  # the last roadmap: the cursor skips the problems
        assert listing.highlighted_option.id in catalog.roadmaps
        await app.open_roadmap("brackets")
        await settle(pilot)
        tree = app.browser.active_tree()
        assert tree.get_node_at_line(0).label.plain == "[red]literal[/red] brackets"
        assert app.browser.border_title == escape("[bold]Not markup[/] roadmap")


async def test_tabs_open_with_numbers_brackets_and_clicks(bundled_catalog, db_path, clock):
    from tracker.ui.widgets.browser import TabBar

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, kind in (("2", "projects"), ("right_square_bracket", "key-skills"), ("5", "careers")):
            await pilot.press(key)
            await settle(pilot)
            assert app.browser.kind == kind
            assert app.focused is app.browser.active_tree()
            assert app.query_one(TabBar).active == kind
        await pilot.press("right_square_bracket")  # wraps around to the first tab
        await settle(pilot)
        assert app.browser.kind == "sections"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.browser.kind == "careers"
        await pilot.click(TabBar, offset=(2, 0))  # "1 Tiers", after the bar's padding
        await settle(pilot)
        assert app.browser.kind == "sections"
        assert cursor_id(app) == "tier-1-fundamentals"  # the tab kept its cursor
        await pilot.press("slash", "2")  # typed into the filter box, not a tab key
        await settle(pilot)
        assert app.browser.kind == "sections" and app.browser.filter_text == "2"
        await pilot.press("escape")
        await app.open_roadmap("python")
        await settle(pilot)
        assert not app.query_one(TabBar).display
        await pilot.press("2")  # a covered roadmap has one tab: nothing happens
        await settle(pilot)
        assert app.browser.kind == "sections"


async def test_detail_links_are_followed_from_the_keyboard(bundled_catalog, db_path, clock, monkeypatch):
    app = build_app(bundled_catalog, db_path, clock)
    opened: list[str] = []
    app.open_in_browser = lambda url: opened.append(url) or True
    project = bundled_catalog.node("backend-server", "proj-blog-api")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.jump_to(project)
        await settle(pilot)
        assert cursor_id(app) == "proj-blog-api"
        await pilot.press("o")  # the first resource
        await settle(pilot)
        assert opened == [project.resources[0].url]
        await pilot.press("tab")  # the detail pane's link list, its first link highlighted
        await pilot.pause()
        links = app.detail.query_one("#links")
        assert app.focused is links
        assert links.highlighted_option is not None and not links.highlighted_option.disabled
        await pilot.press("enter")  # the highlighted resource
        await settle(pilot)
        assert opened[-1] == project.resources[0].url
        await pilot.press(*["down"] * len(project.resources), "enter")  # the first skill it exercises
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.browser.kind == "sections"
        assert cursor_id(app) == project.exercises[0]
        await app.jump_to(project)
        await settle(pilot)
        await pilot.pause(0.2)
        await pilot.press("tab", "end", "enter")  # the last link: its month in the plan
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.browser.kind == "plan"
        month = app.browser.active_tree().cursor_entry
        assert project in month.nodes


async def test_clicking_the_note_opens_the_editor(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "l", "l")
        assert not app.query(NoteEditor)  # built on first use
        await pilot.click("#note-preview")
        await settle(pilot)
        assert isinstance(app.focused, NoteEditor)
        await pilot.press(*"typed")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.8)  # the editor saves after a quiet moment
        await settle(pilot)
        assert "saved" in app.query_one(NoteEditor).border_subtitle
        with Store.open(db_path, clock) as store:
            assert store.note("skill:internet-basics") == "typed"


async def test_starts_when_no_roadmap_loads(tmp_path, db_path, clock):
    from tracker.catalog import load_catalog

    folder = tmp_path / "only-broken"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    app = build_app(load_catalog([folder]), db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("No roadmap could be loaded" in n.message for n in app._notifications)
        listing = app.query_one(RoadmapList)
        assert "broken.yaml:3:1" in str(listing.options[-1].prompt)
        assert app.detail.entry is None
        await pilot.press("j", "space", "n", "2", "slash", "escape")  # nothing to act on; nothing breaks
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code == 0


async def test_footer_follows_focus_and_is_rebuilt_only_when_its_keys_change(bundled_catalog, db_path, clock):
    from textual.widgets._footer import FooterKey

    from tracker.ui.widgets.footer import KeysFooter

    def shown() -> list[str]:
        return [key.description for key in app.query(FooterKey)]

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert {"Done", "Doing", "Skip", "Note", "Undo", "Export"} <= set(shown())
        first = app.query_one(KeysFooter).children[0]
        await pilot.press("down", "down")  # another item, with the same keys
        await settle(pilot)
        assert app.query_one(KeysFooter).children[0] is first
        await pilot.press("2")  # a project level: nothing to tick there
        await settle(pilot)
        assert "Done" not in shown() and "Note" not in shown()
        await pilot.press("l", "down")  # its first project
        await settle(pilot)
        assert {"Done", "Note"} <= set(shown())
        await pilot.press("slash")
        await settle(pilot)
        assert "Clear filter" in shown() and "Done" not in shown()
        await pilot.press("escape")
        await settle(pilot)
        assert "Done" in shown() and "Clear filter" not in shown()


async def test_tab_bar_shows_every_name_where_it_fits(bundled_catalog, db_path, clock):
    from tracker.ui.widgets.browser import TabBar

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        bar = app.query_one(TabBar)
        assert bar.render().plain == "1 Tiers  2 Projects  3 Key skills  4 Plan  5 Careers"
        await pilot.resize_terminal(80, 24)  # the roadmap list folds away: the names still fit
        await settle(pilot)
        assert bar.render().plain == "1 Tiers  2 Projects  3 Key skills  4 Plan\n5 Careers"
        await pilot.resize_terminal(48, 24)
        await settle(pilot)
        assert bar.render().plain == "1 Tiers  2  3  4  5"  # narrow: only the open tab's name
        await pilot.press("4")
        await settle(pilot)
        assert bar.render().plain == "1  2  3  4 Plan  5"
        assert bar.size.height == 1
        await pilot.press("5")
        await settle(pilot)
        assert bar.render().plain == "1  2  3  4  5 Careers"
        await pilot.resize_terminal(34, 24)
        await settle(pilot)
        assert bar.render().plain == "1  2  3  4\n5 Careers"
        assert bar.size.height == 2  # the bar grew to show it
