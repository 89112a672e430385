"""Ask for one line of text (a new project's name, a rename)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "取消", show=False)]

    def __init__(self, title: str, message: str, value: str = "") -> None:
        super().__init__()
        self.title_text, self.message, self.value = title, message, value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Label(self.message, id="dialog-message")
            yield Input(self.value, id="prompt-input")
            yield Label("Enter 确认 · Esc 取消", classes="dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
