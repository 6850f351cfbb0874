"""Plain-text progress summaries for ``tracker status`` (no colour, no Textual)."""

from __future__ import annotations

from tracker.catalog import Catalog, RoadmapIndex
from tracker.progress import Counts, ProgressIndex, percent_text, shown_percent

BAR_WIDTH = 20


def bar(counts: Counts, width: int = BAR_WIDTH) -> str:
    """A text progress bar such as ``██████░░░░``: full only when everything counted is done."""
    value = shown_percent(counts, 2) or 0.0
    filled = round(width * value / 100)
    if value < 100:
        filled = min(filled, width - 1)
    if value > 0:
        filled = max(filled, 1)
    return "█" * filled + "░" * (width - filled)


def _line(title: str, counts: Counts, width: int) -> str:
    return (
        f"{title:<{width}}  {bar(counts)} {percent_text(counts):>7}  "
        f"{counts.done}/{counts.total - counts.skipped}"
    )


def overview(catalog: Catalog, progress: ProgressIndex) -> list[str]:
    """One line per roadmap plus the overall figure."""
    width = max((len(r.title) for r in catalog.roadmaps.values()), default=10)
    lines = [_line("Overall", progress.overall(), width), ""]
    lines += [_line(r.title, progress.roadmap(r.id), width) for r in catalog.roadmaps.values()]
    return lines


def roadmap_summary(roadmap: RoadmapIndex, progress: ProgressIndex) -> list[str]:
    """A roadmap's total, one bar per section and project level, and what is in progress."""
    rows = [(section.title, progress.counts(section)) for section in roadmap.sections]
    rows += [(level.title, progress.of_nodes(level.nodes)) for level in roadmap.project_levels]
    width = max(len(title) for title, _ in rows + [(roadmap.title, None)])
    lines = [_line(roadmap.title, progress.roadmap(roadmap.id), width), ""]
    lines += [_line(title, counts, width) for title, counts in rows]
    doing = [leaf for leaf in roadmap.leaves if progress.status(leaf) == "doing"]
    if doing:
        lines += ["", "In progress:"]
        lines += [f"  {leaf.id}  {leaf.title}" for leaf in doing[:15]]
        if len(doing) > 15:
            lines.append(f"  ... and {len(doing) - 15} more")
    return lines
