"""The editor for one field: an Input (with the profile's choices where there are some) or a
TextArea for the multi-line 年度目标. It only reports; the screen applies the text."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.validation import Function
from textual.widgets import Input, Label, TextArea
from textual.widgets.input import Selection

from store.editing import FieldPath
from store.entry import NUMBER_FIELDS, is_number_entry


class CellInput(Input):
    """The one-line box: a paste of several lines or cells goes to the pane (which fills
    cells or joins the lines, and says so) instead of losing all but the first line."""

    def _on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text.strip("\r\n") or "\t" in event.text:
            event.stop()
            event.prevent_default()  # Input's own handler would insert the first line
            editor = self.parent
            if isinstance(editor, CellEditor) and editor.path is not None:
                editor.post_message(CellEditor.Pasted(editor.path, event.text))
            return
        super()._on_paste(event)


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

    class Committed(Message):
        def __init__(self, path: FieldPath, text: str) -> None:
            super().__init__()
            self.path, self.text = path, text

    class Pasted(Message):
        """Several lines or cells pasted into the open editor."""

        def __init__(self, path: FieldPath, text: str) -> None:
            super().__init__()
            self.path, self.text = path, text

    class Cancelled(Message):
        def __init__(self, path: FieldPath) -> None:
            super().__init__()
            self.path = path

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.path: FieldPath | None = None
        self.choices: list[str] = []
        self.multiline = False

    def compose(self) -> ComposeResult:
        yield Label(id="editor-label")
        yield CellInput(id="editor-input")
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
        if self.path is not None:
            path = self.path
            self.close()
            self.post_message(self.Cancelled(path))

    def commit(self) -> None:
        if self.path is not None:
            path, text = self.path, self.text
            self.close()
            self.post_message(self.Committed(path, text))

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
