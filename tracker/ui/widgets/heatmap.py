"""A heatmap of active days: a cell per day, weekday rows, month labels, shaded by items done."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tracker.activity import HEAT_THRESHOLDS, Heatmap

WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4
CELL = "■ "


class HeatmapView(Widget):
    """Draws a :class:`tracker.activity.Heatmap`; shades come from the theme (component classes)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "heatmap--label",
        *(f"heatmap--level-{level}" for level in range(len(HEAT_THRESHOLDS) + 1)),
    }

    heatmap: reactive[Heatmap | None] = reactive(None, layout=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render(self) -> Text:
        heatmap = self.heatmap
        if heatmap is None:
            return Text("")
        label = self._style("heatmap--label")
        months = [" "] * (LABEL_WIDTH + heatmap.weeks * len(CELL))
        for month in heatmap.labels:
            start = LABEL_WIDTH + month.column * len(CELL)
            fits = start + len(month.text) <= len(months)
            if fits and all(c == " " for c in months[max(0, start - 1) : start + len(month.text)]):
                months[start : start + len(month.text)] = month.text
        lines = [Text("".join(months).rstrip(), style=label)]
        for weekday, row in enumerate(heatmap.rows):
            line = Text(f"{WEEKDAYS[weekday]:<{LABEL_WIDTH}}", style=label)
            for cell in row:
                if cell is None:
                    line.append(" " * len(CELL))
                else:
                    line.append(CELL, style=self._style(f"heatmap--level-{cell.level}"))
            lines.append(line)
        lines.append(self._legend())
        return Text("\n").join(lines)

    def _legend(self) -> Text:
        legend = Text(" " * LABEL_WIDTH + "less ", style=self._style("heatmap--label"))
        for level in range(len(HEAT_THRESHOLDS) + 1):
            legend.append(CELL, style=self._style(f"heatmap--level-{level}"))
        legend.append("more", style=self._style("heatmap--label"))
        return legend

    def get_content_width(self, container: Size, viewport: Size) -> int:
        weeks = self.heatmap.weeks if self.heatmap is not None else 0
        return LABEL_WIDTH + weeks * len(CELL)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 9 if self.heatmap is not None else 0
