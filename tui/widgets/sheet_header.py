"""The header of a sheet: 单位信息 … 年度目标, with 资金来源 summed against 项目总额.

Focusable: ↑/↓ (or ←/→) choose a field, Enter asks to edit it (the screen opens the editor).
"""

from __future__ import annotations

from jixiao.store.rules import funding_summary
from jixiao.store.session import Check, FieldPath
from jixiao.store.sheet import FUNDING_FIELDS, HEADER_FIELDS, LABEL_OF, Sheet, format_money
from jixiao.tui.frames import NoRelayoutOnResize
from rich.cells import cell_len, set_cell_size
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

# Every editable header field, in the order the cursor walks them.
HEADER_PATHS: tuple[FieldPath, ...] = (
    *((name,) for name, _ in HEADER_FIELDS),
    *(("funding", name) for name, _ in FUNDING_FIELDS),
    ("exec_weight",),
    ("goal",),
)
PAIRS = tuple(p for p in HEADER_PATHS if p != ("goal",))  # shown two to a line, then 年度目标
GOAL_LINES = 4  # a longer 年度目标 ends in … (the whole text is in the detail line and editor)
COMPACT_LINES = 2  # the folded header: one line of fields, the funding line


def path_label(path: FieldPath) -> str:
    return LABEL_OF[str(path[-1])]


class HeaderPanel(NoRelayoutOnResize, Widget, can_focus=True):
    BINDINGS = [
        Binding("up,left", "move(-1)", "上一个", show=False),
        Binding("down,right", "move(1)", "下一个", show=False),
        Binding("enter", "edit", "编辑", show=False),
    ]

    class EditRequested(Message):
        def __init__(self, path: FieldPath) -> None:
            super().__init__()
            self.path = path

    class Moved(Message):
        def __init__(self, path: FieldPath) -> None:
            super().__init__()
            self.path = path

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sheet: Sheet | None = None
        self.check: Check | None = None
        self.cursor = 0
        self.compact = False  # folded to COMPACT_LINES (a short terminal, or F3)
        self._height_cache: tuple[object, int] = (None, 0)
        self.overrides: dict[FieldPath, str] = {}  # text being typed, shown before it is committed

    @property
    def path(self) -> FieldPath:
        return HEADER_PATHS[self.cursor]

    def show(
        self, sheet: Sheet, check: Check, overrides: dict[FieldPath, str] | None = None
    ) -> None:
        self.sheet, self.check = sheet, check
        self.overrides = overrides or {}
        self.refresh(layout=True)

    def set_compact(self, yes: bool) -> None:
        if yes != self.compact:
            self.compact = yes
            self.refresh(layout=True)

    def select(self, path: FieldPath) -> None:
        if path in HEADER_PATHS:
            self.cursor = HEADER_PATHS.index(path)
            self.refresh()

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(HEADER_PATHS)
        self.refresh()
        self.post_message(self.Moved(self.path))

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.path))

    def value(self, path: FieldPath) -> str:
        if path in self.overrides:
            return self.overrides[path]
        assert self.sheet is not None
        owner = self.sheet.funding if path[0] == "funding" else self.sheet
        return getattr(owner, str(path[-1]))

    def _cell(self, path: FieldPath) -> Text:
        text = self.value(path)
        shown = text.replace("\n", " ⏎ ") if text else "—"
        style = "dim" if not text else ""
        key = ".".join(str(p) for p in path)
        if self.check is not None and key in self.check.fields:
            style = "bold red underline"
        if path in self.overrides:
            style += " italic"
        if self.has_focus and path == self.path:
            style += " reverse"
        return Text(shown, style=style.strip())

    def _label(self, path: FieldPath) -> Text:
        style = "bold" if self.has_focus and path == self.path else "dim"
        return Text(path_label(path), style=style)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The grid's rows, the funding line and the goal's lines, measured without drawing
        the whole header (Textual would render it all once more just to count its lines)."""
        if self.compact:
            return COMPACT_LINES
        if self.sheet is None:
            # Before the first project (the pane lies under the hint): the least a sheet
            # takes (a one-line 年度目标), so opening such a sheet keeps the pane's layout.
            return (len(PAIRS) + 1) // 2 + 2
        if not width:
            return 0
        key = (width, self.value(("goal",)), ("goal",) in self.overrides)
        if self._height_cache[0] != key:
            options = self.app.console.options.update_width(width)
            grid = self._goal_grid(width)
            goal = len(self.app.console.render_lines(grid, options, pad=False))
            self._height_cache = (key, (len(PAIRS) + 1) // 2 + 1 + goal)
        return self._height_cache[1]

    def _goal_grid(self, width: int) -> Table:
        goal = Table.grid(padding=(0, 1), expand=True)
        goal.add_column(no_wrap=True)
        goal.add_column(ratio=1, overflow="fold")
        label = self._label(("goal",))
        cell = self._cell(("goal",))
        room = GOAL_LINES * (width - cell_len(label.plain) - 2)  # a wide char may wrap early
        if cell_len(cell.plain) > room > 0:
            cell = Text(set_cell_size(cell.plain, room - 1) + "…", style=cell.style)
        goal.add_row(label, cell)
        return goal

    def _compact(self) -> RenderableType:
        """Two lines: the field under the cursor (when focused) or the sheet's name and
        total, then the funding line."""
        if self.has_focus:
            first = Text.assemble(self._label(self.path), " ", self._cell(self.path))
            first.append("   ↑↓ 字段 · Enter 编辑 · F3 展开", style="dim")
        else:
            first = Text()
            for k, path in enumerate((("project",), ("total",), ("exec_weight",))):
                if k:
                    first.append("  ·  ", style="dim")
                first.append_text(self._label(path))
                first.append(" ")
                first.append_text(self._cell(path))
        first.no_wrap, first.overflow = True, "ellipsis"
        funding = self._funding_line()
        funding.no_wrap, funding.overflow = True, "ellipsis"
        return Group(first, funding)

    def render(self) -> RenderableType:
        if self.sheet is None:
            return Text("")
        if self.compact:
            return self._compact()
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        for a, b in zip(PAIRS[0::2], PAIRS[1::2], strict=False):
            grid.add_row(self._label(a), self._cell(a), self._label(b), self._cell(b))
        if len(PAIRS) % 2:
            grid.add_row(self._label(PAIRS[-1]), self._cell(PAIRS[-1]), "", "")
        return Group(grid, self._funding_line(), self._goal_grid(self.content_size.width))

    def _funding_line(self) -> Text:
        f = funding_summary(
            self.value(("total",)), {n: self.value(("funding", n)) for n, _ in FUNDING_FIELDS}
        )
        line = Text("资金来源合计 ", style="dim")
        if f.unreadable:
            return line.append("有非数字金额", style="bold red")
        line.append(format_money(f.sum))
        if f.total is None:
            return line.append("（项目总额不是数字）", style="bold red")
        if f.ok:
            return line.append(f" = 项目总额 {format_money(f.total)} ✓", style="green")
        return line.append(f" ≠ 项目总额 {format_money(f.total)}，{f.how}", style="bold red")

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
