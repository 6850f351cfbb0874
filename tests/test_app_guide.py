"""Pilot tests of the guide in the app: the welcome, the Today view and the dated plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from tests.ui_helpers import build_app, cursor_id, settle
from tracker.path import choose_path, read_path, save_path
from tracker.store import Store
from tracker.ui.screens.today import NextUpList, TodayScreen
from tracker.ui.screens.welcome import WelcomeScreen

SIZE = (120, 40)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "progress.db"


def with_path(db_path: Path, catalog, clock, language="python", framework="fastapi") -> None:
    with Store.open(db_path, clock) as store:
        chosen = choose_path(catalog, language, framework, date(2026, 1, 1), None, date(2026, 1, 5))
        save_path(store, chosen)


async def test_first_start_welcomes_and_a_chosen_path_opens_today(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, WelcomeScreen)
        app.screen.query_one("#language", Select).value = "python"
        await pilot.pause()
        app.screen.query_one("#framework", Select).value = "fastapi"
        app.screen.query_one("#start", Input).value = "2026-01-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, TodayScreen)
        summary = str(app.screen.query_one("#today-summary").render())
        assert "Python + FastAPI" in summary and "Month 1 of 10" in summary
    with Store.open(db_path, clock) as store:
        path = read_path(store)
        assert path is not None and (path.language, path.framework) == ("python", "fastapi")


async def test_skipping_the_welcome_is_remembered(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, WelcomeScreen)
    again = build_app(bundled_catalog, db_path, clock, welcome=True)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert not isinstance(again.screen, WelcomeScreen)


async def test_bad_start_date_is_one_line_and_nothing_is_saved(bundled_catalog, db_path, clock):
    app = build_app(bundled_catalog, db_path, clock, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        app.screen.query_one("#start", Input).value = "31/01/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert "not a date" in str(app.screen.query_one("#welcome-problem").render())
    with Store.open(db_path, clock) as store:
        assert read_path(store) is None


async def test_today_comes_first_and_acts_on_next_up(bundled_catalog, db_path, clock):
    with_path(db_path, bundled_catalog, clock)
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, TodayScreen)
        next_up = app.screen.query_one(NextUpList)
        assert app.focused is next_up and next_up.items
        first = next_up.items[0]
        await pilot.press("space")  # done, right there
        await settle(pilot)
        assert app.progress.status(first) == "done"
        await pilot.pause(0.3)
        assert first not in next_up.items  # the list moved on
        second = next_up.items[0]
        await pilot.press("enter")  # shows it in its tree
        await settle(pilot)
        await pilot.pause(0.3)
        assert not isinstance(app.screen, TodayScreen)
        assert cursor_id(app) == second.id
        await pilot.press("t")  # one key away from anywhere
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_plan_tab_is_dated_and_off_path_items_say_so(bundled_catalog, db_path, clock):
    with_path(db_path, bundled_catalog, clock)
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")  # to the roadmaps
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.pause(0.3)
        tree = app.browser.active_tree()
        first_month = str(tree.render_label(tree.get_node_at_line(0), tree.rich_style, tree.rich_style))
        assert "1: 1 Jan - 31 Jan · current · Language" in first_month  # number, dates, state, title
        django = bundled_catalog.node("backend-server", "py-django")
        assert app.guiding.scope.is_off_path(django)
        await app.jump_to(django)
        await settle(pilot)
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        tree = app.browser.active_tree()
        label = str(tree.render_label(tree.cursor_node, tree.rich_style, tree.rich_style))
        assert "not on your path" in label
        assert "Not on your path" in app.query_one("#detail-body").render().plain


async def test_help_undo_and_export_work_over_today(bundled_catalog, db_path, clock):
    from tracker.ui.screens.export import ExportScreen
    from tracker.ui.screens.help import HelpScreen

    with_path(db_path, bundled_catalog, clock)
    app = build_app(bundled_catalog, db_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        next_up = app.screen.query_one(NextUpList)
        first = next_up.items[0]
        await pilot.press("space")
        await settle(pilot)
        await pilot.pause(0.3)
        assert app.progress.status(first) == "done" and first not in next_up.items
        await pilot.press("u")  # a slip on Today is undone on Today
        await settle(pilot)
        await pilot.pause(0.3)
        assert app.progress.status(first) == "todo"
        assert isinstance(app.screen, TodayScreen) and next_up.items[0] is first
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("R")  # the panes' keys stay with the panes
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
