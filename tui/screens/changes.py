"""The open project's diff against git HEAD (saved changes; unsaved ones are noted)."""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


class ChangesScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,g", "dismiss", "关闭", show=False)]

    def __init__(self, rel: str, diff: str, unsaved: bool) -> None:
        super().__init__()
        self.rel, self.diff, self.unsaved = rel, diff, unsaved

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="changes"):
            yield Label(f"改动：{self.rel}  对比 git HEAD  （Esc 关闭）", id="dialog-title")
            if self.unsaved:
                yield Label("还有未保存的修改，不在下面（先 ^s 保存）", classes="warn")
            if self.diff.strip():
                yield Static(Syntax(self.diff, "diff", theme="ansi_dark", word_wrap=True))
            else:
                yield Static(Text("与 git HEAD 相同，没有改动", style="green"))

    def action_dismiss(self) -> None:
        self.dismiss(None)
