"""Keys and pastes that start an edit, handed to the screen before the widget sees them."""

from __future__ import annotations

from collections.abc import Callable

from textual import events

Typing = Callable[[events.Key | events.Paste], bool]


class TypeToEdit:
    """Mixin: the screen sets `typing`; it gets keys and pastes first and says whether it took
    them (Enter and typing start an edit there and then, with no message round trip in which
    keys could be lost)."""

    typing: Typing | None = None

    def on_key(self, event: events.Key) -> None:
        self._offer(event)

    def on_paste(self, event: events.Paste) -> None:
        self._offer(event)

    def _offer(self, event: events.Key | events.Paste) -> None:
        if self.typing is not None and self.typing(event):
            event.stop()
            event.prevent_default()
