"""F1: every key, made from the same table as the bindings and the command palette."""

from __future__ import annotations

from jixiao.tui.keys import APP_COMMANDS, EDITOR_KEYS, MAIN_COMMANDS
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static


def _display(keys: str, display: str | None) -> str:
    if display:
        return display
    return " / ".join(k.replace("slash", "/").replace("ctrl+", "^") for k in keys.split(","))


def key_table() -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")  # long lines wrap (CJK has no spaces to wrap at)
    for c in MAIN_COMMANDS + APP_COMMANDS:
        table.add_row(_display(c.keys, c.display), Text(f"{c.label}：{c.help}"))
    table.add_row("", "")
    table.add_row(Text("编辑单元格", style="bold"), "")
    for key, text in EDITOR_KEYS:
        table.add_row(key, text)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "关闭", show=False)]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Label("按键  （Esc 关闭）", id="dialog-title")
            yield Static(key_table(), id="help-keys")

    def action_dismiss(self) -> None:
        self.dismiss(None)
