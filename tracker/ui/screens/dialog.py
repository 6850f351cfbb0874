"""The base of the app's modal screens."""

from __future__ import annotations

from typing import ClassVar

from textual.screen import ModalScreen, ScreenResultType


class Dialog(ModalScreen[ScreenResultType]):
    """A modal screen over the app; its first control takes focus (the app itself starts on the tree)."""

    AUTO_FOCUS: ClassVar[str | None] = "*"
