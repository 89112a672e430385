"""The open project against git HEAD: in the form's words (the semantic diff engine, unsaved
edits included) and, on a second tab, the raw `git diff` of the saved file."""

from __future__ import annotations

from jixiao.store.merge import ProjectDiff, project_lines
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TabbedContent, TabPane

SEMANTIC, RAW = "changes-semantic", "changes-raw"
# The colour of a diff line by what it says (store.diff.project_lines' kinds).
STYLE_OF = {
    "title": "bold",
    "added": "green",
    "removed": "red",
    "changed": "bold yellow",
    "weights-ok": "green",
    "weights-bad": "bold red",
}


def semantic_text(diff: ProjectDiff) -> str:
    """What the first tab shows, as plain text (the tests read it)."""
    if not diff.changed:
        return "与 git HEAD 相同，没有改动"
    return "\n".join(text for _, text in project_lines(diff))


class ChangesScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,g", "dismiss", "关闭", show=False),
        Binding("d", "toggle", "切换 git diff", show=False),
    ]

    def __init__(self, diff: ProjectDiff, raw: str, unsaved: bool) -> None:
        super().__init__()
        self.project_diff, self.diff, self.unsaved = diff, raw, unsaved
        self.rel = diff.rel
        self.text = semantic_text(diff)

    def compose(self) -> ComposeResult:
        with Vertical(id="changes"):
            yield Label(
                f"改动：{self.rel}  对比 git HEAD   d 切换表格/git diff · Esc 关闭",
                id="dialog-title",
            )
            with TabbedContent(initial=SEMANTIC):
                with TabPane("按表格（含未保存的修改）", id=SEMANTIC):
                    with VerticalScroll():
                        if self.project_diff.changed:
                            yield Static(
                                Text("\n").join(
                                    Text(text, style=STYLE_OF.get(kind, ""))
                                    for kind, text in project_lines(self.project_diff)
                                )
                            )
                        else:
                            yield Static(Text(self.text, style="green"))
                with TabPane("git diff（已保存的文件）", id=RAW):
                    with VerticalScroll():
                        if self.unsaved:
                            yield Label(
                                "还有未保存的修改，不在 git diff 里（见「按表格」，或先 ^s 保存）",
                                classes="warn",
                            )
                        if self.diff.strip():
                            yield Static(
                                Syntax(self.diff, "diff", theme="ansi_dark", word_wrap=True)
                            )
                        else:
                            yield Static(Text("保存的文件与 git HEAD 相同", style="green"))

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    def action_toggle(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = RAW if tabs.active == SEMANTIC else SEMANTIC

    def action_dismiss(self) -> None:
        self.dismiss(None)
