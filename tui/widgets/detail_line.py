"""The whole text of the cell under the cursor (table cells are cut to their column)."""

from __future__ import annotations

from jixiao.tui.frames import NoRelayoutOnResize
from rich.text import Text
from textual.widgets import Static


class DetailLine(NoRelayoutOnResize, Static):
    DEFAULT_CSS = "DetailLine { height: auto; max-height: 4; }"
    _shown: Text | None = None

    def show(self, where: str, text: str, note: str = "") -> None:
        line = Text.assemble((where + "：", "bold"), text or ("（空）", "dim"))
        if note:  # a second line of its own after a line break
            line.append(note if note.startswith("\n") else f"   {note}", style="yellow")
        if line == self._shown:
            return  # the same line again (the table's highlight after a jump): no re-layout
        self._shown = line
        self.update(line)
