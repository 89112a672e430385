"""Textual's Footer, redrawn only when the keys it shows change.

The stock Footer rebuilds all its key widgets whenever the focused widget's bindings change —
on every focus change, including opening a project (focus moves to the table), which made
that Footer rebuild the most expensive part of opening. Here it compares what it would show
with what it shows, and only rebuilds on a difference.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> tuple:
    """What the footer shows for this screen's bindings now."""
    return tuple(
        (b.key, b.action, b.description, b.key_display, enabled, tooltip)
        for _node, b, enabled, tooltip in screen.active_bindings.values()
        if b.show or b.key == screen.app.COMMAND_PALETTE_BINDING
    )


class QuietFooter(Footer):
    _shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and self._bindings_ready:
            keys = shown_keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
