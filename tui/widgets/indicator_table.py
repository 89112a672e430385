"""The indicator table: all ten columns of 绩效指标, offending cells marked.

Column 0 holds the row number (✗ when the row has findings); columns 1-10 are the fields in
the form's order. Widths are measured in terminal cells, so CJK text lines up.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from store.editing import Check
from store.fields import INDICATOR_FIELDS, TABLE_HEADER
from store.model import Sheet

NAMES: tuple[str, ...] = tuple(name for name, _ in INDICATOR_FIELDS)
MAX_WIDTH = {"level3": 24, "target": 12, "annual_target": 12, "note": 12}
RIGHT = frozenset({"weight", "annual_weight"})


def cell_text(text: str, marked: bool, right: bool = False) -> Text:
    shown = text.replace("\r", "").replace("\n", "⏎")
    return Text(
        shown,
        style="bold red underline" if marked else "",
        justify="right" if right else "left",
        no_wrap=True,
        overflow="ellipsis",
    )


class IndicatorTable(DataTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.sheet: Sheet | None = None
        self.check: Check | None = None

    # -- positions ------------------------------------------------------------------------

    @property
    def field_name(self) -> str | None:
        """The field under the cursor (None on the row-number column)."""
        col = self.cursor_coordinate.column
        return NAMES[col - 1] if col >= 1 else None

    def go(self, row: int, name: str | None = None) -> None:
        col = NAMES.index(name) + 1 if name else max(self.cursor_coordinate.column, 1)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), column=col, animate=False)

    # -- drawing --------------------------------------------------------------------------

    def load(self, sheet: Sheet, check: Check) -> None:
        """Redraw every row (after rows were added, removed or moved)."""
        self.sheet, self.check = sheet, check
        where = self.cursor_coordinate
        self.clear(columns=True)
        self.add_column(Text("#", justify="right"), key="#", width=4)
        for name, header in zip(NAMES, TABLE_HEADER, strict=True):
            widest = max((cell_len(getattr(i, name)) for i in sheet.indicators), default=0)
            width = max(cell_len(header), min(widest, MAX_WIDTH.get(name, 40)))
            self.add_column(header, key=name, width=width)
        for i, ind in enumerate(sheet.indicators):
            self.add_row(
                self._number(i, check),
                *(cell_text(getattr(ind, n), (i, n) in check.cells, n in RIGHT) for n in NAMES),
                key=str(id(ind)),
            )
        if self.row_count:
            self.move_cursor(
                row=min(where.row, self.row_count - 1), column=max(where.column, 1), animate=False
            )

    def _number(self, i: int, check: Check) -> Text:
        if i in check.rows:
            return Text(f"✗{i + 1}", style="bold red", justify="right")
        return Text(str(i + 1), style="dim", justify="right")

    def show_check(self, check: Check) -> None:
        """Mark the rows and cells of a new check, touching only what changed."""
        old = self.check
        self.check = check
        if old is None or self.sheet is None:
            return
        for i in old.rows ^ check.rows:
            if i < self.row_count:
                self.update_cell_at(Coordinate(i, 0), self._number(i, check))
        for i, name in old.cells ^ check.cells:
            if i < self.row_count:
                self.set_text(i, name, getattr(self.sheet.indicators[i], name))

    def set_text(self, row: int, name: str, text: str) -> None:
        """Show `text` in a cell (the committed value, or what is being typed)."""
        marked = self.check is not None and (row, name) in self.check.cells
        self.update_cell_at(
            Coordinate(row, NAMES.index(name) + 1), cell_text(text, marked, name in RIGHT)
        )
