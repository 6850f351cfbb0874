"""Small text helpers shared by the formats: control characters, bidi, figures."""

from __future__ import annotations

import re

from tracker.progress import Counts

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RTL_OR_BIDI = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␛ ...
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` with line ends as ``\\n`` and other control characters shown, not obeyed.

    An escape character in a note must not drive the terminal that prints a
    report, nor vanish silently from a page; its picture (``␛``) shows it.
    Tabs and newlines are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(_picture, text)


def visible_cell(text: str) -> str:
    """Like :func:`visible` but keeping carriage returns (CSV cells may hold ``\\r\\n``)."""
    return _CONTROLS.sub(_picture, text)


def needs_isolation(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters or bidi controls.

    Such text is isolated (Unicode FSI/PDI, ``<bdi>`` or ``dir="auto"``) so that
    it keeps its own direction without reordering the figures around it, and so
    that an override character inside it cannot spill out.
    """
    return _RTL_OR_BIDI.search(text) is not None


def percent(counts: Counts) -> str:
    """``42.5%``; never ``100.0%`` before everything counted is done."""
    value = counts.percent
    if value > 99.9 and counts.done < counts.total - counts.skipped:
        value = 99.9
    return f"{value:.1f}%"


def tally(counts: Counts) -> str:
    """``12/30`` done of what counts (skipped items do not)."""
    return f"{counts.done}/{counts.total - counts.skipped}"


def long_date(day: str) -> str:
    """``2026-01-05`` as ``5 Jan 2026``."""
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    year, month, dom = day[:10].split("-")
    return f"{int(dom)} {months[int(month) - 1]} {year}"
