"""The guide in the app: the Today view, choosing a path, and the path's marks in the trees.

The app owns one :class:`Guiding` and routes its actions to it, so that the
app module stays about panes and progress. The figures are the core's
(:func:`tracker.today.build_guide`), worked out on the store thread.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tracker.catalog import Node
from tracker.store import Store, StoreError
from tracker.stored import PATH_SETTING

if TYPE_CHECKING:
    from datetime import date, tzinfo

    from tracker.path import LearnerPath, PathScope
    from tracker.today import Guide
    from tracker.ui.app import TrackerApp
    from tracker.ui.screens.welcome import PathAnswer

# The guide's modules (tracker.path, tracker.today and what they use) are imported
# where they are first needed: a start without a path never needs them, and a start
# with one needs them only after Today's first frame.

WELCOMED_SETTING = "welcomed"


class Guiding:
    """Today (``t``), the welcome and ``Choose your path``; the trees dim what is off the path."""

    def __init__(self, app: TrackerApp, store: Store):
        """Read the path as the app is built (no screen yet)."""
        self.app = app
        self.catalog = app.catalog
        self.gateway = app.gateway
        self._stored_path = store.setting(PATH_SETTING)
        self.path: LearnerPath | None = None
        self.scope: PathScope | None = None
        self.month_notes: dict[str, str] = {}
        self._welcomed = bool(store.setting(WELCOMED_SETTING))

    @cached_property
    def timezone(self) -> tzinfo:
        from tracker.path import local_zone

        return local_zone()

    @property
    def opens_on_today(self) -> bool:
        return bool(self._stored_path)

    def read_path(self) -> None:
        """Parse the stored path and work out what is on it (with a path, after Today's first frame)."""
        self.path, self.scope = None, None
        if self._stored_path:
            from tracker.path import parse_path, scope_for

            self.path = parse_path(self._stored_path)
            self.scope = scope_for(self.catalog, self.path)

    async def reload_path(self) -> None:
        """The path changed in the store (a sync, an undone one): dim and date by the new one."""
        try:
            self._stored_path = await self.gateway.call(Store.setting, PATH_SETTING)
        except StoreError as error:
            self.app.notify(str(error), title="Cannot read the path", severity="error")
            return
        self.read_path()
        self._redraw_trees()
        self.refresh_guide()

    def _redraw_trees(self) -> None:
        for tree in self.app.browser.trees():
            tree.refresh_entries(set())
            tree.refresh()

    def is_off_path(self, node: Node) -> bool:
        """Whether ``node`` is an alternative the learner did not choose (dimmed, not counted)."""
        return self.scope is not None and self.scope.is_off_path(node)

    def open_first_screen(self) -> None:
        """With a path, Today comes first; on the very first start, the welcome."""
        if self.opens_on_today:
            from tracker.ui.screens.today import TodayScreen

            self.app.push_screen(TodayScreen(self.app.progress))
            self.app.call_after_refresh(self.refresh_guide)  # its figures, once the frame is up
        elif not self._welcomed and self.catalog.path_choices() is not None:
            self.app.call_after_refresh(self.choose_path)

    def in_view(self) -> bool:
        """Whether Today or the Plan tab (whose months are dated) is open."""
        return len(self.app.screen_stack) > 1 or any(tree.kind == "plan" for tree in self.app.browser.trees())

    def refresh_guide(self) -> None:
        """Work the guide out again (after a change of progress or path) and show it."""

        async def run() -> None:
            from tracker.today import build_guide

            statuses = dict(self.app.progress.statuses)  # a copy: the guide is built on the store thread
            now, timezone = self.app.clock(), self.timezone

            def build(store: Store) -> Guide:
                return build_guide(self.catalog, store, statuses, now, timezone)

            try:
                guide = await self.gateway.call(build)
            except StoreError as error:
                self.app.notify(str(error), title="Cannot read the history", severity="warning")
                return
            self._show_guide(guide)

        self.app.run_worker(run(), group="guide", exclusive=True)

    def _show_guide(self, guide: Guide) -> None:
        from tracker.guide_text import plan_month_notes
        from tracker.ui.screens.today import TodayScreen

        self.month_notes.clear()
        self.month_notes.update(plan_month_notes(guide))
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
        from tracker.path import replan_path, save_path
        from tracker.path_options import PathChoiceError

        path, statuses = self.path, dict(self.app.progress.statuses)
        today = self._today()

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

        options = self.catalog.path_choices()
        if options is None:
            self.app.notify("No roadmap here offers a path to choose", severity="warning")
            return
        self.app.push_screen(WelcomeScreen(options, self.path, self._today()), self._path_answered)

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
        from tracker.guide_text import short_date
        from tracker.path import choose_path, save_path, scope_for
        from tracker.path_options import PathChoiceError

        try:
            chosen = choose_path(
                self.catalog,
                answer.language,
                answer.framework,
                answer.start,
                answer.weeks_per_month,
                self._today(),
            )
            self.path = await self.gateway.call(save_path, chosen)
        except (PathChoiceError, StoreError) as error:
            self.app.notify(str(error), title="Path not saved", severity="error", timeout=8)
            return
        self._welcomed = True
        self.scope = scope_for(self.catalog, self.path)
        self._redraw_trees()
        self.app.notify(f"Your path is saved; the plan starts {short_date(answer.start)}", title="Path")
        self.today()

    def _today(self) -> date:
        from tracker.activity import local_today

        return local_today(self.app.clock(), self.timezone)
