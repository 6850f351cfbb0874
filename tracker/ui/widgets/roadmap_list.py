"""The list of roadmaps, each with a progress bar, then the files that failed to load."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
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
    as lines the cursor skips. Colours are theme variables in ``Content``, so
    they follow a change of theme.
    """

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

    def __init__(self, catalog: Catalog, progress: ProgressIndex, current: str | None, **kwargs):
        self.catalog = catalog
        self.progress = progress
        options = [Option(self._prompt(r.id), id=r.id) for r in catalog.roadmaps.values()]
        super().__init__(*options, **kwargs)
        if current in catalog.roadmaps:  # highlighted from the start: no change to announce
            self.set_reactive(OptionList.highlighted, list(catalog.roadmaps).index(current))

    def on_mount(self) -> None:
        problems = self.catalog.problems
        if problems:
            heading = Content.styled(f"{len(problems)} roadmap problem(s)", "bold $text-error")
            self.add_options([None, Option(heading, disabled=True)])
            self.add_options(Option(self._problem_prompt(problem), disabled=True) for problem in problems)

    @staticmethod
    def _problem_prompt(problem: Problem) -> Content:
        """File, line and column, then the message: plain text in the theme's error colour."""
        where = f"{problem.path.name}:{problem.line}:{problem.column}"
        return Content.assemble((where, "bold $text-error"), "\n", (problem.message, "$text-error"))

    def _prompt(self, roadmap_id: str) -> Content:
        """Title, bar and percent; colours are theme variables, so they follow a change of theme."""
        roadmap = self.catalog.roadmaps[roadmap_id]
        counts = self.progress.roadmap(roadmap_id)
        return Content.assemble(
            (roadmap.title, "bold" if roadmap.is_master else ""),
            "\n",
            (bar(counts, BAR_WIDTH), "$text-success"),
            (f" {percent_text(counts, 0):>4}", "$text-muted"),
        )

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
        if event.option_index != self.highlighted:
            return  # stale: the highlight moved on before this arrived (the list starts on the first)
        if event.option.id is not None:
            self.post_message(self.Chosen(event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.screen.focus_next()
