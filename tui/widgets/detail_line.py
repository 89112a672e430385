"""The whole text of the cell under the cursor (table cells are cut to their column)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class DetailLine(Static):
    DEFAULT_CSS = "DetailLine { height: auto; max-height: 4; }"

    def show(self, where: str, text: str, note: str = "") -> None:
        line = Text.assemble((where + "：", "bold"), text or ("（空）", "dim"))
        if note:
            line.append(f"   {note}", style="yellow")
        self.update(line)
