"""Text from roadmap files, notes and imports, made safe to show.

Such text may hold terminal control sequences (an OSC that renames the
terminal, ``ESC[2J`` that clears it). Wherever it is shown, in the terminal,
the app or a report, its control characters are drawn as pictures (``␛``),
never sent. One rule, used by the CLI, the app and the reports.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 controls but tab and line ends, and DEL (a pattern quick to compile: it is
used from the first line the CLI prints)."""
_LINE_ENDS = str.maketrans(dict.fromkeys("\r\n\x85\u2028\u2029", "\u21b5"))


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␛ ...
    return "\u2421" if code == 0x7F else "\ufffd"


def _lone_surrogate(text: str) -> int | None:
    """Where ``text`` holds half a UTF-16 pair (not text at all: no terminal or file takes it)."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def _shown(text: str) -> str:
    """Controls as pictures, lone surrogates as U+FFFD."""
    if _lone_surrogate(text) is not None:
        text = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
    return _CONTROLS.sub(_picture, text)


def control_character(text: str) -> str | None:
    """A character of ``text`` that :func:`visible` would have to redraw, if any."""
    match = _CONTROLS.search(text)
    if match:
        return match.group()
    position = _lone_surrogate(text)
    return None if position is None else text[position]


def visible(text: str) -> str:
    """``text`` with line ends as ``\\n`` and other control characters shown, not obeyed.

    Tabs and newlines are kept.
    """
    return _shown(text.replace("\r\n", "\n").replace("\r", "\n"))


def visible_cell(text: str) -> str:
    """Like :func:`visible` but keeping carriage returns (CSV cells may hold ``\\r\\n``)."""
    return _shown(text)


def one_line(text: str) -> str:
    """``text`` for a one-line message: line ends shown as ``↵``, controls as pictures."""
    return _shown(text.replace("\r\n", "\u21b5").translate(_LINE_ENDS)).replace("\t", " ")
