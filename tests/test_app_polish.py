"""Pilot tests: what the app shows is true, reachable and readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style

from tests.ui_helpers import build_app, cursor_id, settle
from tracker.ui.widgets.detail import LinkList

SIZE = (120, 40)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


def detail_text(app) -> str:
    return app.query_one("#detail-body").render().plain


async def test_cross_link_opens_the_other_roadmap_at_that_item(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    tls = bundled_catalog.node("backend-server", "http-https-tls")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.jump_to(tls)
        await settle(pilot)
        links = app.query_one(LinkList)
        prompts = [str(option.prompt) for option in links.options]
        index = next(i for i, p in enumerate(prompts) if "HTTPS and TLS" in p and "API Design" in p)
        await pilot.press("tab")
        assert app.focused is links
        links.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.browser.roadmap.id == "api-design"
        assert cursor_id(app) == "api-tls"
        assert "Why every API must be served over TLS only" in detail_text(app)


async def test_project_level_rows_have_a_detail(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # the Projects tab: its first line is "Beginner projects"
        await settle(pilot)
        text = detail_text(app)
        assert text.startswith("Beginner projects")
        assert "0.0%" in text and "0 of" in text
        assert "Start here" in text  # what the level means
        prompts = [str(option.prompt) for option in app.query_one(LinkList).options]
        assert any("Simple blog API" in p for p in prompts)


async def test_a_link_no_browser_takes_is_copied_and_said_so(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    app.open_in_browser = lambda url: False  # over SSH: no browser
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        url = app.detail.first_url
        assert app.clipboard == url
        notice = list(app._notifications)[-1]
        assert notice.title == "Link copied" and url in notice.message
        assert not any("Opened" in n.title for n in app._notifications)


async def test_percent_on_a_partly_skipped_branch_says_what_it_counts(bundled_catalog, db_path, clock):
    from tracker.store import Store

    branch = bundled_catalog.node("backend-server", "http-web-basics")
    first, second, third = (leaf.key for leaf in list(branch.leaves())[:3])
    with Store.open(db_path, clock) as store:
        store.set_status([first, second], "done")
        store.set_status([third], "skipped")
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.jump_to(branch)
        await settle(pilot)
        text = detail_text(app)
        counted = len(branch.children) - 1
        assert f"2 of {counted} done, 1 skipped (not counted)" in text
        assert f"{100 * 2 / counted:.1f}%" in text


async def test_undo_says_what_changed_by_title_and_shows_it(bundled_catalog, db_path, clock):
    from tracker.ui.widgets.note import NoteEditor

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "l", "l", "space")  # 'How the internet and the web work' done
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.pause(0.2)
        message = list(app._notifications)[-1].message
        title = bundled_catalog.node("backend-server", "http-how-internet-works").title
        assert message == f"Undid: '{title}': done → todo"
        assert cursor_id(app) == "http-how-internet-works"  # moved to what changed
        await pilot.press("n", *"draft")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.8)
        await settle(pilot)
        editor = app.query_one(NoteEditor)
        assert "saved" in str(editor.border_subtitle)
        await pilot.press("u")
        await settle(pilot)
        assert editor.text == ""
        assert str(editor.border_subtitle) == ""  # no longer claims a save
        assert list(app._notifications)[-1].message == f"Undid: the note on '{title}' removed"


def colours_of(widget, text: str) -> set:
    """Foreground colours of the cells of ``widget`` that show ``text``."""
    from textual.geometry import Region

    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return {seg.style.color for strip in strips for seg in strip if text in seg.text and seg.style}


async def test_colours_follow_a_change_of_theme(tmp_path, db_path, clock):
    from tracker.catalog import load_catalog
    from tracker.locations import bundled_roadmaps_dir
    from tracker.store import Store
    from tracker.ui.widgets.roadmap_list import RoadmapList

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    catalog = load_catalog([bundled_roadmaps_dir(), folder])
    with Store.open(db_path, clock) as store:
        store.set_status(["skill:internet-basics"], "done")
    app = build_app(catalog, db_path, clock)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("j", "l")
        await settle(pilot)
        listing, tree = app.query_one(RoadmapList), app.browser.active_tree()
        before = colours_of(listing, "broken.yaml"), colours_of(tree, "✔"), colours_of(listing, "█")
        app.theme = "gruvbox"
        await settle(pilot)
        after = colours_of(listing, "broken.yaml"), colours_of(tree, "✔"), colours_of(listing, "█")
        for old, new in zip(before, after, strict=True):
            assert old and new and old != new


@pytest.mark.parametrize("query", ["open roadmap python", "python"])
async def test_palette_finds_every_command_it_lists_by_name(bundled_catalog, db_path, clock, query):
    from textual.command import CommandList

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        listed = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert any("Open roadmap: Python" in text for text in listed)  # with an empty query
        await pilot.press(*query)
        await pilot.pause(0.6)
        found = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        assert "Open roadmap: Python" in found[0]
        await pilot.press("enter")
        await settle(pilot)
        assert app.browser.roadmap.id == "python"


def footer_keys(app) -> set[str]:
    from textual.widgets._footer import FooterKey

    return {key.description for key in app.screen.query(FooterKey)}


async def test_narrow_screen_folds_the_roadmap_list_away(bundled_catalog, db_path, clock):
    from tracker.ui.widgets.roadmap_list import RoadmapList

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.query_one(RoadmapList)
        assert not listing.display and "Roadmaps" in footer_keys(app)
        tree = app.browser.active_tree()
        assert tree.size.width > 40  # the tree has the room
        await pilot.press("b")
        await settle(pilot)
        assert listing.display and app.focused is listing
        await pilot.press("down", "enter")  # Backend Developer, then to its tree
        await settle(pilot)
        assert app.browser.roadmap.id == "backend-developer"
        assert not listing.display  # folded away again
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert listing.display and "Roadmaps" not in footer_keys(app)


async def test_footer_offers_only_what_does_something_here(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert {"Done", "Note", "Filter", "Export"} <= footer_keys(app)
        await pilot.press("4")  # the plan: a month is not ticked, and takes no note
        await settle(pilot)
        assert not {"Done", "Doing", "Skip", "Note"} & footer_keys(app)
        await pilot.press("space")
        await settle(pilot)
        assert not any("Pick an item" in n.message for n in app._notifications)  # the key did nothing
        await pilot.press("1", "j", "l", "l", "n")  # a note being typed: no main-screen keys
        await settle(pilot)
        assert not {"Filter", "Quit", "Export", "Undo"} & footer_keys(app)
        await pilot.press("escape", "e")  # the export dialog: only its own keys
        await settle(pilot)
        assert {"Cancel", "Export"} <= footer_keys(app)
        assert not {"Filter", "Note", "Undo", "Done"} & footer_keys(app)
        await pilot.press("escape")
        await app.open_roadmap("python")
        await settle(pilot)
        bindings = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not any(action.startswith("show_tab") for action in bindings)  # no tabs to number


async def test_export_dialog_fits_24_rows_and_asks_before_replacing(
    bundled_catalog, db_path, clock, tmp_path
):
    from textual.widgets import Input

    from tracker.ui.screens.confirm import ConfirmScreen
    from tracker.ui.screens.export import ExportScreen

    target = tmp_path / "[x]y.md"  # a name that is not markup
    target.write_text("keep me", encoding="utf-8")
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        body = dialog.query_one("#export-body")
        assert body.region.bottom <= 23 and body.region.y >= 1  # above the footer, nothing cut
        dialog.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "[x]y.md" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog and target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert target.read_text(encoding="utf-8").startswith("#")
        assert any("[x]y.md" in n.message for n in app._notifications)


async def test_clicking_a_status_mark_ticks_the_item(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    node = bundled_catalog.node("backend-server", "http-how-internet-works")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "l")
        await settle(pilot)
        tree = app.browser.active_tree()
        line = next(i for i in range(tree.last_line + 1) if tree.get_node_at_line(i).data is node)
        label = tree.render_label(tree.get_node_at_line(line), Style(), Style())
        mark_x = label.plain.index("○") + 6  # after the guides of its depth
        await pilot.click(tree, offset=(mark_x, line))
        await settle(pilot)
        assert app.progress.status(node) == "done"
        await pilot.click(tree, offset=(mark_x + 4, line))  # the title: the cursor moves, no tick
        await settle(pilot)
        assert app.progress.status(node) == "done"


async def test_branch_changes_say_how_many_items_in_how_many_roadmaps(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    branch = bundled_catalog.node("backend-server", "http-web-basics")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")  # the HTTP branch: five shared skills
        await settle(pilot)
        message = list(app._notifications)[-1].message
        roadmaps = {r for leaf in branch.leaves() for r in bundled_catalog.roadmaps_with_key(leaf.key)}
        assert message == f"5 items set to doing in {len(roadmaps)} roadmaps (shared skills); u undoes it"
        await pilot.press("R", "y")  # reset the roadmap: it says what it did
        await settle(pilot)
        assert list(app._notifications)[-1].message.startswith("5 items set to todo")


async def test_filter_by_words_notes_and_status_and_back_to_where_you_were(bundled_catalog, db_path, clock):
    from tracker.store import Store

    with Store.open(db_path, clock) as store:
        store.set_status(["skill:dns"], "doing")
        store.set_note("skill:https-basics", "remember the zebra certificate")
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "l", "l", "down")  # Server architecture open, its second item
        await settle(pilot)
        tree = app.browser.active_tree()
        place = cursor_id(app)
        open_before = {n.data.id for n in tree._shown_nodes() if n.is_expanded}
        await pilot.press("slash", *"zebra")  # in a note only
        await settle(pilot)
        assert cursor_id(app) == "http-https-tls"
        await pilot.press("ctrl+u", *"doing:")  # by status
        await settle(pilot)
        assert cursor_id(app) == "http-dns-domains"
        await pilot.press("ctrl+u", *"qqqxyz")
        await settle(pilot)
        notice = app.query_one("#no-matches")
        assert notice.display and "No item matches" in str(notice.render())
        await pilot.press("escape")
        await settle(pilot)
        await pilot.pause(0.2)
        assert not notice.display
        assert cursor_id(app) == place
        assert {n.data.id for n in tree._shown_nodes() if n.is_expanded} == open_before


async def test_help_explains_the_marks_and_scrolls_with_j_and_k(bundled_catalog, db_path, clock):
    from tracker.ui.screens.help import HelpScreen

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4", "question_mark")  # on a plan month: the status keys do nothing
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        from textual.geometry import Region

        table = app.screen.query_one("#help-body Static")
        lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        text = "\n".join(line.text.rstrip() for line in lines)
        for mark in "○◐✔⊘⇄":
            assert mark in text
        assert "doing:" in text and "^p" in text  # key names as Textual shows them
        assert "Toggle done  (not here)" in text
        body = app.screen.query_one("#help-body")
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert body.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert body.scroll_y == 2


async def test_the_next_start_opens_where_the_last_one_left_off(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.open_roadmap("python")
        await settle(pilot)
        await pilot.press("down", "l", "down", "l", "down")
        await settle(pilot)
        tree = app.browser.active_tree()
        place = cursor_id(app)
        expanded = {n.data.id for n in tree._shown_nodes() if n.is_expanded}
        await pilot.press("q")
    again = build_app(bundled_catalog, db_path, clock)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert again.browser.roadmap.id == "python"
        assert cursor_id(again) == place
        tree = again.browser.active_tree()
        assert {n.data.id for n in tree._shown_nodes() if n.is_expanded} == expanded
        assert place in detail_text(again) or again.detail.entry.id == place
    third = build_app(bundled_catalog, db_path, clock)
    async with third.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await third.open_roadmap("backend-server")
        await pilot.press("4", "l", "down")  # the plan tab, month 1's first item
        await settle(pilot)
        month_item = cursor_id(third)
        await pilot.press("q")
    fourth = build_app(bundled_catalog, db_path, clock)
    async with fourth.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert fourth.browser.kind == "plan" and cursor_id(fourth) == month_item


async def test_a_highlighted_roadmap_says_whom_it_is_for(bundled_catalog, db_path, clock):
    from tracker.ui.widgets.roadmap_list import RoadmapList

    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.query_one(RoadmapList).focus()
        await pilot.press("down")  # Backend Developer
        await settle(pilot)
        developer = bundled_catalog.roadmaps["backend-developer"]
        assert detail_text(app).startswith(developer.title)
        assert developer.description and developer.description.split()[0] in detail_text(app)
