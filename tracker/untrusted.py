"""Text from roadmap files, notes and imports, made safe to show.

Such text may hold terminal control sequences (an OSC that renames the
terminal, ``ESC[2J`` that clears it). Wherever it is shown, in the terminal,
the app or a report, its control characters are drawn as pictures (``␛``),
never sent. One rule, used by the CLI, the app and the reports.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 and C1 controls but tab and line ends, DEL, and lone surrogates (not text at all)."""
_LINE_ENDS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␛ ...
    return "\u2421" if code == 0x7F else "\ufffd"


def control_character(text: str) -> str | None:
    """The first character of ``text`` that :func:`visible` would have to redraw, if any."""
    match = _CONTROLS.search(text)
    return match.group() if match else None


def visible(text: str) -> str:
    """``text`` with line ends as ``\\n`` and other control characters shown, not obeyed.

    Tabs and newlines are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(_picture, text)


def visible_cell(text: str) -> str:
    """Like :func:`visible` but keeping carriage returns (CSV cells may hold ``\\r\\n``)."""
    return _CONTROLS.sub(_picture, text)


def one_line(text: str) -> str:
    """``text`` for a one-line message: line ends shown as ``↵``, controls as pictures."""
    return visible(_LINE_ENDS.sub("\u21b5", text)).replace("\t", " ")
