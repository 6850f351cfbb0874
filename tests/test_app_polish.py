"""Pilot tests: what the app shows is true, reachable and readable."""

from __future__ import annotations

from pathlib import Path

import pytest

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
        index = next(i for i, p in enumerate(prompts) if "SSL/TLS connections" in p and "PostgreSQL" in p)
        await pilot.press("tab")
        assert app.focused is links
        links.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.browser.roadmap.id == "postgresql-dba"
        assert cursor_id(app) == "pg-ssl"
        assert "SSL/TLS connections" in detail_text(app)


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
