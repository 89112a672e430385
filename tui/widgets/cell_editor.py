"""The editor for one field: an Input (with the profile's choices where there are some) or a
TextArea for the multi-line 年度目标. It only reports; the pane applies the text (its keys
and pastes reach it through SheetPane.route)."""

from __future__ import annotations

from collections.abc import Callable

from jixiao.store.session import NUMBER_FIELDS, FieldPath, is_number_entry
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.validation import Function
from textual.widgets import Input, Label, TextArea
from textual.widgets.input import Selection


class CellEditor(Vertical):
    BINDINGS = [
        Binding("escape", "cancel", "取消", show=False),
        Binding("up", "choice(-1)", "上一个可选值", show=False),
        Binding("down", "choice(1)", "下一个可选值", show=False),
    ]

    class Changed(Message):
        def __init__(self, path: FieldPath, text: str) -> None:
            super().__init__()
            self.path, self.text = path, text

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.path: FieldPath | None = None
        self.choices: list[str] = []
        self.multiline = False
        # Set by the pane: closes the editor, keeping the text or not, and moves the cursor.
        self.finish: Callable[..., None] | None = None

    def compose(self) -> ComposeResult:
        yield Label(id="editor-label")
        yield Input(id="editor-input")
        yield TextArea(id="editor-area", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.display = False

    @property
    def is_open(self) -> bool:
        return self.path is not None

    @property
    def text(self) -> str:
        if self.multiline:
            return self.query_one(TextArea).text
        return self.query_one(Input).value

    def open(
        self,
        path: FieldPath,
        label: str,
        text: str,
        choices: list[str],
        multiline: bool = False,
        typed: str | None = None,
    ) -> None:
        """Show the editor on `text`, focused at once (keys typed next land here).

        Opened with Enter the text is selected, so typing replaces it; opened by typing
        (`typed`, as in a spreadsheet) the new text starts with what was typed.
        """
        self.path, self.choices, self.multiline = path, choices, multiline
        if typed is not None:
            text = typed
        box, area = self.query_one(Input), self.query_one(TextArea)
        hint = "Enter 确认并下移 · Tab 右移 · Esc 取消"
        if path[0] != "indicators":
            hint = "Enter 确认 · Esc 取消"
        if multiline:
            hint = "^s 确认并保存 · Enter 换行 · Esc 取消"
        elif choices:
            hint += " · ↑↓ 可选值 · → 接受补全"
        title = Text.assemble(("编辑 ", "dim"), (label, "bold"), ("   " + hint, "dim"))
        if choices:
            title.append("\n可选：" + "  ".join(choices), style="cyan")
        self.query_one(Label).update(title)
        box.display, area.display = not multiline, multiline
        self.display = True
        if multiline:
            with area.prevent(TextArea.Changed):
                area.load_text(text)
            area.move_cursor(area.document.end)
            self.screen.set_focus(area)
        else:
            with box.prevent(Input.Changed):
                box.suggester = SuggestFromList(choices, case_sensitive=False) if choices else None
                name = str(path[-1])
                box.validators = (
                    [Function(lambda t: is_number_entry(name, t), "不是数字")]
                    if name in NUMBER_FIELDS
                    else []
                )
                box.select_on_focus = False  # the selection is set here, not when focus lands
                box.value = text
                box.cursor_position = len(text)
                if typed is None:
                    box.selection = Selection(0, len(text))
            # Focus now, not after a round trip through the event queue, so that a key typed
            # right after Enter goes to the editor.
            self.screen.set_focus(box)
        if typed:
            self.post_message(self.Changed(path, text))

    def feed(self, text: str) -> None:
        """Type `text` into the open editor, as if it had been typed there (keys that were on
        their way to the table when the editor opened)."""
        if self.multiline:
            area = self.query_one(TextArea)
            area.replace(text, *area.selection)
            return
        box = self.query_one(Input)
        if box.selection.is_empty:
            box.insert_text_at_cursor(text)
        else:
            box.replace(text, *box.selection)

    def close(self) -> None:
        self.path = None
        self.display = False

    def action_cancel(self) -> None:
        if self.path is not None and self.finish is not None:
            self.finish(False)

    def commit(self) -> None:
        """Keep the text and move down a row (Enter)."""
        if self.path is not None and self.finish is not None:
            self.finish(True, down=1)

    def action_choice(self, delta: int) -> None:
        if not self.choices or self.multiline:
            return
        box = self.query_one(Input)
        try:
            k = self.choices.index(box.value.strip())
            k = (k + delta) % len(self.choices)
        except ValueError:
            k = 0 if delta > 0 else len(self.choices) - 1
        box.value = self.choices[k]
        box.cursor_position = len(box.value)

    @on(Input.Changed, "#editor-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.path is not None:
            self.post_message(self.Changed(self.path, event.value))

    @on(TextArea.Changed, "#editor-area")
    def _typed_area(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.path is not None:
            self.post_message(self.Changed(self.path, event.text_area.text))

    @on(Input.Submitted, "#editor-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()
