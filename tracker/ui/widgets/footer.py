"""The footer of key bindings."""

from __future__ import annotations

from textual.dom import NoScreen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's footer, rebuilt only when the keys it shows change.

    The stock footer builds all its key widgets again whenever the bindings may
    have changed (three times while the app starts, then on every move of focus),
    though the keys shown are mostly the same.
    """

    _shown: tuple | None = None

    def _keys(self) -> tuple:
        """What the footer would show: each shown binding, and whether it is enabled."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )

    async def recompose(self) -> None:
        if not self.is_attached or self.parent is None:
            return  # a dialog's footer, after the dialog closed
        try:
            keys = self._keys()
        except NoScreen:
            return
        if keys != self._shown:
            self._shown = keys
            await super().recompose()
