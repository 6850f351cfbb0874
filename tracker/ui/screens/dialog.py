"""The base of the app's modal screens."""

from __future__ import annotations

from typing import ClassVar

from textual.screen import ModalScreen, ScreenResultType

from tracker.locations import styles_dir


class Dialog(ModalScreen[ScreenResultType]):
    """A modal screen over the app; its first control takes focus (the app itself starts on the tree)."""

    DEFAULT_CSS: ClassVar[str] = (styles_dir() / "dialogs.tcss").read_text(encoding="utf-8")
    """The dialogs' styles, parsed when the first dialog opens rather than on every start
    (Textual parses a screen's ``CSS_PATH`` by parsing every stylesheet again)."""

    AUTO_FOCUS: ClassVar[str | None] = "*"
