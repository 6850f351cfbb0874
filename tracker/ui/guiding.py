"""The guide in the app: the Today view, choosing a path, and the path's marks in the trees.

The app owns one :class:`Guiding` and routes its actions to it, so that the
app module stays about panes and progress. The figures are the core's
(:func:`tracker.today.build_guide`), worked out on the store thread.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.activity import MONTH_ABBREVIATIONS, local_today
from tracker.path import (
    choose_path,
    local_zone,
    path_options,
    read_path,
    replan_path,
    save_path,
    scope_for,
)
from tracker.path_options import PathChoiceError
from tracker.progress import ProgressIndex
from tracker.store import Store, StoreError
from tracker.today import Guide, build_guide

if TYPE_CHECKING:
    from tracker.ui.app import TrackerApp
    from tracker.ui.screens.welcome import PathAnswer

WELCOMED_SETTING = "welcomed"


def month_note(guide: Guide) -> dict[str, str]:
    """What the Plan tab shows before each month's title: number, dates and state (with a path)."""
    notes = {}
    for month in guide.months:
        if month.dates is not None:
            start, end = month.dates.start, month.dates.end
            state = f" · {month.state}" if month.state else ""
            notes[month.id] = f"{month.number}: {short_day(start)} – {short_day(end)}{state}"
    return notes


class Guiding:
    """Today (``t``), the welcome and ``Choose your path``; the trees dim what is off the path."""

    def __init__(self, app: TrackerApp, store: Store):
        """Read the path as the app is built (no screen yet)."""
        self.app = app
        self.catalog = app.catalog
        self.gateway = app.gateway
        self.path = read_path(store)
        self.scope = scope_for(self.catalog, self.path)
        self.month_notes: dict[str, str] = {}
        self._welcomed = bool(store.setting(WELCOMED_SETTING))
        self.timezone = local_zone()

    def open_first_screen(self) -> None:
        """With a path, Today comes first; on the very first start, the welcome."""
        from tracker.ui.screens.today import TodayScreen

        if self.path is not None:
            self.app.push_screen(TodayScreen(self.app.progress))
            self.app.call_after_refresh(self.refresh_guide)  # its figures, once the frame is up
        elif not self._welcomed and path_options(self.catalog) is not None:
            self.app.call_after_refresh(self.choose_path)

    def refresh_guide(self) -> None:
        """Work the guide out again (after a change of progress or path) and show it."""

        async def run() -> None:
            snapshot = ProgressIndex(self.catalog, dict(self.app.progress.statuses))
            now = self.app.clock()
            try:
                guide = await self.gateway.call(_build, self.catalog, snapshot, now, self.timezone)
            except StoreError as error:
                self.app.notify(str(error), title="Cannot read the history", severity="warning")
                return
            self._show_guide(guide)

        self.app.run_worker(run(), group="guide", exclusive=True)

    def _show_guide(self, guide: Guide) -> None:
        from tracker.ui.screens.today import TodayScreen

        self.month_notes.clear()
        self.month_notes.update(month_note(guide))
        for tree in self.app.browser.trees():
            if tree.kind == "plan":
                tree.refresh_entries(set())
        for screen in self.app.screen_stack:
            if isinstance(screen, TodayScreen):
                screen.show(guide)

    def today(self) -> None:
        from tracker.ui.screens.today import TodayScreen

        if isinstance(self.app.screen, TodayScreen):
            self.app.pop_screen()
            return
        self.app.push_screen(TodayScreen(self.app.progress))
        self.refresh_guide()

    def browse(self) -> None:
        """Leave Today for the roadmaps."""
        from tracker.ui.screens.today import TodayScreen

        if isinstance(self.app.screen, TodayScreen):
            self.app.pop_screen()

    def replan(self) -> None:
        """Re-date the months not finished from today (after a break); done work is kept."""
        if self.path is None:
            self.app.notify("Choose a path first (ctrl+p, Choose your path)", severity="warning")
            return
        path, statuses = self.path, dict(self.app.progress.statuses)
        today = local_today(self.app.clock(), self.timezone)

        async def run() -> None:
            try:
                replanned = replan_path(self.catalog, path, statuses, today)
                self.path = await self.gateway.call(save_path, replanned)
            except (PathChoiceError, StoreError) as error:
                self.app.notify(str(error), title="Not replanned", severity="error", timeout=8)
                return
            self.app.notify(
                "The months left are dated again from today; done work is kept", title="Replanned"
            )
            self.refresh_guide()

        self.app.run_worker(run(), group="store")

    def choose_path(self) -> None:
        from tracker.ui.screens.welcome import WelcomeScreen

        options = path_options(self.catalog)
        if options is None:
            self.app.notify("No roadmap here offers a path to choose", severity="warning")
            return
        today = local_today(self.app.clock(), self.timezone)
        self.app.push_screen(WelcomeScreen(options, self.path, today), self._path_answered)

    def _path_answered(self, answer: PathAnswer | None) -> None:
        if answer is None:
            if not self._welcomed:
                self._welcomed = True
                self.app.run_worker(
                    self.gateway.call(Store.set_setting, WELCOMED_SETTING, "1"), group="store"
                )
            return
        self.app.run_worker(self._save_path(answer), group="store")

    async def _save_path(self, answer: PathAnswer) -> None:
        today = local_today(self.app.clock(), self.timezone)
        try:
            chosen = choose_path(
                self.catalog, answer.language, answer.framework, answer.start, answer.weeks_per_month, today
            )
            self.path = await self.gateway.call(save_path, chosen)
        except (PathChoiceError, StoreError) as error:
            self.app.notify(str(error), title="Path not saved", severity="error", timeout=8)
            return
        self._welcomed = True
        self.scope = scope_for(self.catalog, self.path)
        for tree in self.app.browser.trees():
            tree.refresh_entries(set())
            tree.refresh()
        self.app.notify(f"Your path is saved; the plan starts {day_text(answer.start)}", title="Path")
        self.today()


def _build(store: Store, catalog, progress: ProgressIndex, now, timezone) -> Guide:
    return build_guide(catalog, store, progress, now, timezone)


def short_day(day: date) -> str:
    """``3 Nov``, for the Plan tab where room is short."""
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]}"


def day_text(day: date) -> str:
    """``3 Nov 2027``, the same in every locale."""
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"
