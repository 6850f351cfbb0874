"""Small text helpers shared by the formats: bidi, figures (and the control-character rule)."""

from __future__ import annotations

import re

from tracker.progress import Counts, percent_text
from tracker.untrusted import visible, visible_cell

__all__ = ["long_date", "needs_isolation", "percent", "tally", "visible", "visible_cell"]

_RTL_OR_BIDI = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def needs_isolation(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters or bidi controls.

    Such text is isolated (Unicode FSI/PDI, ``<bdi>`` or ``dir="auto"``) so that
    it keeps its own direction without reordering the figures around it, and so
    that an override character inside it cannot spill out.
    """
    return _RTL_OR_BIDI.search(text) is not None


def percent(counts: Counts) -> str:
    """``42.5%`` by the one rule of :func:`tracker.progress.percent_text`."""
    return percent_text(counts)


def tally(counts: Counts) -> str:
    """``12/30`` done of what counts (skipped items do not)."""
    return f"{counts.done}/{counts.total - counts.skipped}"


def long_date(day: str) -> str:
    """``2026-01-05`` as ``5 Jan 2026``."""
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    year, month, dom = day[:10].split("-")
    return f"{int(dom)} {months[int(month) - 1]} {year}"
