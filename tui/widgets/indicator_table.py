"""The indicator table: all ten columns of 绩效指标, offending cells marked.

Column 0 holds the row number, marked ✗ when the row has errors and ! when it has only
warnings (i: only notes); columns 1-10 are the fields in the form's order. Widths are measured
in terminal cells, so CJK text lines up. Short columns are as wide as their content; the long
text columns (三级指标, 指标值, 本年绩效指标值, 备注, 二级指标) give way so that all ten fit
the table's width, ending in … (the whole text is in the detail line and the editor); headers
wider than their column wrap onto two lines, as on the printed form.
"""

from __future__ import annotations

from jixiao.store.session import Check
from jixiao.store.sheet import INDICATOR_FIELDS, TABLE_HEADER, Sheet
from jixiao.tui.frames import SteadyScrollbars
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

NAMES: tuple[str, ...] = tuple(name for name, _ in INDICATOR_FIELDS)
# Every column starts at its header's width (two lines), 三级指标 at FLOOR_LEVEL3. The room
# left goes to 三级指标 (up to LEVEL3_FIRST), then to the short columns (whole), then to the
# text people read, 三级指标 first, then 指标值, up to a first cap each, then up to MAX_WIDTH.
SHORT = ("level1", "level2", "nature", "measure", "weight", "annual_weight")
SHORT_CAP = {"level1": 6, "level2": 8, "measure": 8}
READ = ("level3", "target", "annual_target", "note")
FIRST_CAP = {"level3": 24, "target": 14, "annual_target": 12, "note": 10}
FLOOR_LEVEL3 = 8
LEVEL3_FIRST = 16
MAX_WIDTH = 40  # any column, however much room there is
ABBREVIATED = frozenset({"level1", "level2"})  # 产出指标 -> 产出 (the detail line has it whole)
TWO_LINES = dict(
    zip(
        NAMES,
        (
            "一级\n指标",
            "二级\n指标",
            "三级\n指标",
            "指标\n性质",
            "指标值",
            "本年绩效\n指标值",
            "度量\n单位",
            "权重\n(%)",
            "本年\n权重",
            "备注",
        ),
        strict=True,
    )
)
RIGHT = frozenset({"weight", "annual_weight"})
# When even the narrowest columns do not fit (a 100-column terminal with the project list
# shown), whole columns step aside, in this order; 一级指标, 三级指标 and 本年权重 (the weight
# that counts) always stay. F2 (hiding the list) brings them back.
HIDE_ORDER = ("note", "weight", "level2", "target", "measure", "nature", "annual_target")
COUNTS = "annual_weight"  # the weight column the total adds up (marked in the header)
PADDING = 2  # DataTable's cell_padding on both sides of every column
MARKS = {"error": ("✗", "bold red"), "warning": ("!", "bold yellow"), "info": ("i", "cyan")}


def cell_label(row: int, name: str) -> str:
    """A cell as the user names it: `第3行 本年权重` (row counted from 0 here, from 1 there)."""
    return f"第{row + 1}行 {TABLE_HEADER[NAMES.index(name)]}"


def _label_width(label: str) -> int:
    return max(cell_len(line) for line in label.split("\n"))


def shown(name: str, text: str) -> str:
    """A cell's text as the table shows it: one line, 一级/二级指标 without their 指标."""
    text = text.replace("\r", "").replace("\n", "⏎")
    if name in ABBREVIATED and len(text) > 2:
        return text.removesuffix("指标")
    return text


def column_widths(sheet: Sheet, room: int) -> dict[str, int]:
    """The columns shown and each one's width, in the form's order, so that they fit `room`
    cells (padding included, the row-number column not): all ten as far as the headers
    allow (see SHORT and READ), else without the columns of HIDE_ORDER that do not fit."""
    widest = {
        name: max((cell_len(shown(name, getattr(i, name))) for i in sheet.indicators), default=0)
        for name in NAMES
    }
    floor = {name: _label_width(TWO_LINES[name]) for name in NAMES}
    floor["level3"] = max(floor["level3"], FLOOR_LEVEL3)
    names = list(NAMES)
    for name in HIDE_ORDER:
        if sum(floor[n] + PADDING for n in names) <= room:
            break
        names.remove(name)
    widths = {n: floor[n] for n in names}
    spare = room - sum(w + PADDING for w in widths.values())

    def give(name: str, cap: int) -> None:
        nonlocal spare
        if name not in widths:
            return
        more = max(0, min(spare, min(widest[name], cap) - widths[name]))
        widths[name] += more
        spare -= more

    give("level3", LEVEL3_FIRST)
    for name in SHORT:
        give(name, SHORT_CAP.get(name, MAX_WIDTH))
    for name in READ:
        give(name, FIRST_CAP[name])
    for name in READ:
        give(name, MAX_WIDTH)
    return widths


def header_text(name: str, label: str) -> Text:
    """A column's header; 本年权重, the weight the total adds up, stands out, and 权重(%),
    which the total does not count, is dim."""
    style = "bold underline" if name == COUNTS else "dim" if name == "weight" else ""
    return Text(label, style=style)


def cell_text(name: str, text: str, marked: bool) -> Text:
    return Text(
        shown(name, text),
        style="bold red underline" if marked else "",
        justify="right" if name in RIGHT else "left",
        no_wrap=True,
        overflow="ellipsis",
    )


class IndicatorTable(SteadyScrollbars, DataTable):
    class Fitted(Message):
        """The columns shown changed (the table's width did): some may be hidden now."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.sheet: Sheet | None = None
        self.check: Check | None = None
        self._room = 0  # the width the columns were last fitted to
        self._columns: tuple = ()  # the columns and widths the table was built with
        self.names: tuple[str, ...] = NAMES  # the fields shown, in order (see HIDE_ORDER)
        self.anchor: int | None = None  # where a row selection (shift+↑/↓) started

    # -- positions ------------------------------------------------------------------------

    @property
    def field_name(self) -> str | None:
        """The field under the cursor (None on the row-number column)."""
        col = self.cursor_coordinate.column
        return self.names[col - 1] if 1 <= col <= len(self.names) else None

    @property
    def hidden(self) -> tuple[str, ...]:
        """The fields whose columns do not fit (see HIDE_ORDER)."""
        return tuple(n for n in NAMES if n not in self.names)

    def nearest(self, name: str, step: int = 1) -> str:
        """`name` if shown, else the next shown field in the form's order (`step` 1 to the
        right, -1 to the left; the other way at the end)."""
        k = NAMES.index(name)
        for order in (range(k, len(NAMES)), range(k, -1, -1))[::step]:
            for j in order:
                if NAMES[j] in self.names:
                    return NAMES[j]
        return self.names[0]

    def step(self, name: str, right: int) -> str:
        """The shown field `right` columns from `name` (Tab and shift+Tab), at the edge itself."""
        k = self.names.index(self.nearest(name, 1 if right >= 0 else -1))
        return self.names[max(0, min(k + right, len(self.names) - 1))]

    def go(self, row: int, name: str | None = None) -> None:
        col = self.names.index(self.nearest(name)) + 1 if name else None
        if col is None:
            col = max(min(self.cursor_coordinate.column, len(self.names)), 1)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), column=col, animate=False)

    # -- drawing --------------------------------------------------------------------------

    # -- selected rows (shift+↑/↓; ctrl+c copies them) --------------------------------

    @property
    def selection(self) -> range | None:
        """The rows selected, from the anchor to the cursor's row (None: no selection)."""
        if self.anchor is None or not self.row_count:
            return None
        lo, hi = sorted((min(self.anchor, self.row_count - 1), self.cursor_coordinate.row))
        return range(lo, hi + 1)

    def extend_selection(self, delta: int) -> None:
        """Select from the row where this started to the row `delta` rows away."""
        if not self.row_count:
            return
        row = self.cursor_coordinate.row
        if self.anchor is None:
            self.anchor = row
        before = self.selection
        self.move_cursor(row=max(0, min(row + delta, self.row_count - 1)), animate=False)
        self._mark(before)

    def clear_selection(self) -> None:
        if self.anchor is not None:
            before = self.selection
            self.anchor = None
            self._mark(before)

    def _mark(self, before: range | None) -> None:
        if self.check is None:
            return
        for i in set(before or ()) | set(self.selection or ()):
            if i < self.row_count:
                self.update_cell_at(Coordinate(i, 0), self._number(i, self.check))

    def load(self, sheet: Sheet, check: Check) -> None:
        """Redraw every row (after rows were added, removed or moved)."""
        self.sheet, self.check = sheet, check
        self.anchor = None
        where = self.cursor_coordinate
        number = len(str(len(sheet.indicators))) + 1
        self._room = self._available(len(sheet.indicators))
        widths = column_widths(sheet, self._room - number - PADDING)
        columns = (number, *widths.items())
        if columns == self._columns:
            # Same columns (the usual case from one project to the next): refill the rows
            # only, so the header is neither rebuilt nor re-measured.
            self.clear()
        else:
            self.clear(columns=True)
            self._columns = columns
            if tuple(widths) != self.names:
                self.names = tuple(widths)
                self.post_message(self.Fitted())
            headers = {n: TABLE_HEADER[NAMES.index(n)] for n in self.names}
            wrapped = any(widths[n] < cell_len(h) for n, h in headers.items())
            self.header_height = 2 if wrapped else 1
            self.add_column(Text("#", justify="right"), key="#", width=number)
            for name, header in headers.items():
                label = TWO_LINES[name] if widths[name] < cell_len(header) else header
                self.add_column(header_text(name, label), key=name, width=widths[name])
        for i, ind in enumerate(sheet.indicators):
            self.add_row(
                self._number(i, check),
                *(cell_text(n, getattr(ind, n), (i, n) in check.cells) for n in self.names),
                key=str(id(ind)),
            )
        if self.row_count:
            self.move_cursor(
                row=min(where.row, self.row_count - 1), column=max(where.column, 1), animate=False
            )

    def _available(self, rows: int) -> int:
        """Cells across for the columns: the table's width less room for a vertical scrollbar
        if the rows will need one (before the first layout, a guess from the screen's width)."""
        width = self.size.width or max(self.app.size.width - 38, 40)
        if self.size.height and rows + 2 <= self.size.height:
            return width
        return width - self.styles.scrollbar_size_vertical

    def on_resize(self, event: events.Resize) -> None:
        if self.sheet is None or self.check is None:
            return
        if self._available(len(self.sheet.indicators)) != self._room:
            self.load(self.sheet, self.check)

    def _number(self, i: int, check: Check) -> Text:
        severity = check.row_severity.get(i) if i in check.rows else None
        selected = self.selection is not None and i in self.selection
        if severity is None:
            text = Text(str(i + 1), style="dim", justify="right")
        else:
            mark, style = MARKS.get(severity, MARKS["warning"])
            text = Text(f"{mark}{i + 1}", style=style, justify="right")
        if selected:
            text.stylize("reverse")
        return text

    def show_check(self, check: Check) -> None:
        """Mark the rows and cells of a new check, touching only what changed."""
        old = self.check
        self.check = check
        if old is None or self.sheet is None:
            return
        marked = old.row_severity.keys() | check.row_severity.keys()
        for i in (old.rows ^ check.rows) | {
            k for k in marked if old.row_severity.get(k) != check.row_severity.get(k)
        }:
            if i < self.row_count:
                self.update_cell_at(Coordinate(i, 0), self._number(i, check))
        for i, name in old.cells ^ check.cells:
            if i < self.row_count and name in self.names:
                self.set_text(i, name, getattr(self.sheet.indicators[i], name))

    def set_text(self, row: int, name: str, text: str) -> None:
        """Show `text` in a cell (the committed value, or what is being typed)."""
        if name not in self.names:
            return  # its column is hidden
        marked = self.check is not None and (row, name) in self.check.cells
        column = self.names.index(name) + 1
        self.update_cell_at(Coordinate(row, column), cell_text(name, text, marked))
