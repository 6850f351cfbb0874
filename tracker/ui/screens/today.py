"""The Today view: where the learner stands on their path and what to learn next.

The figures come from :func:`tracker.today.build_guide` (the core's answer, the
same the CLI and the reports give); this screen only lays them out. ``space``,
``d`` and ``s`` act on the next-up item under the cursor, ``enter`` shows it
in its roadmap's tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tracker.catalog import Node
from tracker.progress import ProgressIndex, counts_text, percent_text
from tracker.summary import bar
from tracker.ui.messages import JumpRequested, StatusRequested
from tracker.ui.widgets.footer import KeysFooter
from tracker.ui.widgets.heatmap import HeatmapView
from tracker.ui.widgets.roadmap_tree import MARKS, STATUS_CLASSES, component_style, status_style

if TYPE_CHECKING:
    from tracker.today import Guide


class NextUpList(OptionList):
    """What to learn next; the status keys act on the highlighted item."""

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | STATUS_CLASSES | {"next-up--muted"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "set_status(None)", "Done", tooltip="Toggle done"),
        Binding("d", "set_status('doing')", "Doing", tooltip="Mark in progress"),
        Binding("s", "set_status('skipped')", "Skip", tooltip="Mark skipped"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.items: list[Node] = []

    def show(self, guide: Guide, progress: ProgressIndex) -> None:
        """List ``guide``'s next-up items with their marks, keeping the cursor's place."""
        highlighted = self.highlighted
        self.items = [pick.item for pick in guide.next_up]
        options = []
        for pick in guide.next_up:
            status = progress.status(pick.item)
            prompt = Text.assemble((f"{MARKS[status]} ", status_style(self, status)), pick.item.title)
            where = f"  {pick.item.roadmap_id} · month {pick.month} · {pick.reason}"
            prompt.append(where, style=component_style(self, "next-up--muted"))
            options.append(Option(prompt))
        self.set_options(options)
        if self.items:
            self.highlighted = min(highlighted or 0, len(self.items) - 1)
        self.refresh_bindings()  # space, d and s work once there is an item

    def _current(self) -> Node | None:
        index = self.highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_status":
            return self._current() is not None
        return True

    def action_set_status(self, status: str | None) -> None:
        node = self._current()
        if node is not None:
            self.post_message(StatusRequested(node, status))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        node = self._current()
        if node is not None:
            self.post_message(JumpRequested(node, node.roadmap_id))


class TodayScreen(Screen[None]):
    """Path percent, this month, on track, next up, this week, streaks, pace and finish, readiness
    and a heatmap of the last 26 weeks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t,escape", "app.browse", "Roadmaps", tooltip="Back to the roadmaps"),
        Binding("q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]
    AUTO_FOCUS = "NextUpList"

    def __init__(self, progress: ProgressIndex, **kwargs):
        super().__init__(**kwargs)
        self.progress = progress
        self.guide: Guide | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with VerticalScroll(id="today"):
            yield Static(id="today-summary")
            with Vertical(id="today-next"):
                yield NextUpList(id="next-up")
            yield Static(id="today-week")
            yield HeatmapView(id="today-heatmap")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(
            "#today-next"
        ).border_title = "Next up · space done · d doing · s skip · enter shows it"
        self.query_one("#today").border_title = "Today"

    def show(self, guide: Guide) -> None:
        """Lay out ``guide`` (called again after every change of progress)."""
        self.guide = guide
        self.query_one("#today-summary", Static).update(self._summary(guide))
        self.query_one(NextUpList).show(guide, self.progress)
        self.query_one("#today-week", Static).update(self._week(guide))
        self.query_one(HeatmapView).heatmap = guide.heatmap

    @staticmethod
    def _summary(guide: Guide) -> Content:
        from tracker.guide_text import date_range  # the guide's modules load after the first frame

        lines = []
        if guide.title:
            lines.append(
                Content.assemble(
                    (guide.title, "bold $text-primary"),
                    "  ",
                    (bar(guide.counts, 20), "$text-success"),
                    f" {percent_text(guide.counts)} · {counts_text(guide.counts)}",
                )
            )
        else:
            lines.append(Content.from_markup("[b]No path chosen yet[/b]: ctrl+p → [b]Choose your path[/b]"))
        month = guide.current
        if month is not None and month.dates is not None:
            dates = date_range(month.dates, guide.today)
            state = f" · {month.state}" if month.state else ""
            lines.append(
                Content(f"Month {month.number} of {len(guide.months)}: {month.title} · {dates}{state}")
            )
        if guide.on_track is not None:
            style = (
                "$text-success" if guide.on_track.on_track or guide.on_track.ahead > 0 else "$text-warning"
            )
            lines.append(Content.assemble("On the plan: ", (guide.on_track.describe(), f"bold {style}")))
        if guide.problem:
            lines.append(Content.styled(guide.problem, "$text-warning"))
        return Content("\n").join(lines)

    @staticmethod
    def _week(guide: Guide) -> Content:
        from tracker.guide_text import short_date

        target = f" of {guide.weekly_target} (this month's pace)" if guide.weekly_target else ""
        streaks = guide.streaks
        finish = f"finish about {short_date(guide.finish, guide.today)}" if guide.finish else "no pace yet"
        lines = [
            Content(f"This week: {guide.this_week} done{target}"),
            Content(
                f"Streak: {streaks.current} day(s) · longest {streaks.longest}"
                f" · {streaks.active_days} active days"
            ),
            Content(f"Pace: {guide.pace:.1f} items a week over four weeks · {finish}"),
        ]
        if guide.careers:
            best = " · ".join(f"{r.career.title} {percent_text(r.counts, 0)}" for r in guide.careers)
            lines.append(Content(f"Readiness: {best}"))
        return Content("\n").join(lines)
