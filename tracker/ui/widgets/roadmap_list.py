"""The list of roadmaps, each with a progress bar, then the files that failed to load."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.progress import percent_text
from tracker.summary import bar

if TYPE_CHECKING:
    from tracker.catalog import Catalog
    from tracker.problems import Problem
    from tracker.progress import ProgressIndex

BAR_WIDTH = 10


class RoadmapList(OptionList):
    """Pick a roadmap; shows title, a bar and percent done for each.

    Files that failed to load follow the roadmaps, each with its first error,
    as lines the cursor skips.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"roadmap-list--problem"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l,right", "select", "Open", show=False),
    ]

    class Chosen(Message):
        """The highlighted roadmap changed."""

        def __init__(self, roadmap_id: str):
            super().__init__()
            self.roadmap_id = roadmap_id

    def __init__(self, catalog: Catalog, progress: ProgressIndex, **kwargs):
        self.catalog = catalog
        self.progress = progress
        options = [Option(self._prompt(r.id), id=r.id) for r in catalog.roadmaps.values()]
        super().__init__(*options, **kwargs)

    def on_mount(self) -> None:
        problems = self.catalog.problems
        if problems:
            style = self.get_component_rich_style("roadmap-list--problem")
            heading = Text(f"{len(problems)} roadmap problem(s)", style=style + Style(bold=True))
            self.add_options([None, Option(heading, disabled=True)])
            self.add_options(
                Option(self._problem_prompt(problem, style), disabled=True) for problem in problems
            )

    @staticmethod
    def _problem_prompt(problem: Problem, style: Style) -> Text:
        """File, line and column, then the message (plain text, never markup)."""
        prompt = Text(
            f"{problem.path.name}:{problem.line}:{problem.column}\n", style=style + Style(bold=True)
        )
        prompt.append(problem.message, style=style)
        return prompt

    def _prompt(self, roadmap_id: str) -> Text:
        roadmap = self.catalog.roadmaps[roadmap_id]
        counts = self.progress.roadmap(roadmap_id)
        line = Text(roadmap.title, style="bold" if roadmap.is_master else "")
        line.append("\n")
        line.append(bar(counts, BAR_WIDTH), style="green")
        line.append(f" {percent_text(counts, 0):>4}", style="dim")
        return line

    def refresh_progress(self, roadmap_ids: set[str]) -> None:
        """Redraw the bars of the roadmaps whose shown progress changed."""
        for roadmap_id in roadmap_ids:
            prompt = self._prompt(roadmap_id)
            if prompt != self.get_option(roadmap_id).prompt:
                self.replace_option_prompt(roadmap_id, prompt)

    def select_roadmap(self, roadmap_id: str) -> None:
        """Highlight ``roadmap_id`` without the user moving the cursor."""
        self.highlighted = self.get_option_index(roadmap_id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.screen.focus_next()
