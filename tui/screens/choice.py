"""A question with a few answers (confirm a delete, unsaved changes, a conflict at save)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ChoiceScreen(ModalScreen[str | None]):
    """Dismisses with the id of the chosen answer, or None for Esc (cancel)."""

    BINDINGS = [
        Binding("escape", "cancel", "取消", show=False),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(self, title: str, message: str, answers: list[tuple[str, str]]) -> None:
        """answers: (id, label); the first one has the focus."""
        super().__init__()
        self.title_text, self.message, self.answers = title, message, answers

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Label(self.message, id="dialog-message")
            with Horizontal(id="dialog-buttons"):
                for k, (answer, label) in enumerate(self.answers):
                    yield Button(label, id=answer, variant="primary" if k == 0 else "default")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
