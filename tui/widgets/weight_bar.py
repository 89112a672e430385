"""How the 100 points split between 产出/成本/效益/满意度 and 预算执行率, and what is missing."""

from __future__ import annotations

from jixiao.store.rules import base_name
from jixiao.store.session import Check
from jixiao.store.sheet import format_number
from jixiao.tui.frames import NoRelayoutOnResize
from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

COLORS = {
    "产出": "#4e9a06",
    "成本": "#c4a000",
    "效益": "#3465a4",
    "满意度": "#75507b",
    "预算执行率": "#06989a",
}
OTHER = "#888888"


class WeightBar(NoRelayoutOnResize, Widget):
    """Two lines: a bar of coloured segments, then the numbers and the status."""

    DEFAULT_CSS = "WeightBar { height: 2; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.check: Check | None = None

    def show(self, check: Check) -> None:
        self.check = check
        self.refresh()

    def parts(self) -> list[tuple[str, float]]:
        """(short name, points) in the bar's order; 一级指标 outside the profile come last."""
        assert self.check is not None
        w = self.check.weights
        by: dict[str, float] = {}
        for name, value in w.by_level1.items():
            key = base_name(name) or "（空）"
            by[key] = by.get(key, 0.0) + value
        known = [k for k in COLORS if k in by]
        extra = [k for k in by if k not in COLORS]
        out = [(k, by[k]) for k in known + extra]
        out.append(("预算执行率", w.exec_weight))
        return out

    def render(self) -> Text:
        if self.check is None:
            return Text("")
        w = self.check.weights
        width = max(self.size.width, 10)
        scale = width / max(w.total, w.expected, 1e-9)
        bar = Text()
        used = 0
        parts = [(name, value) for name, value in self.parts() if value > 0]
        for k, (name, value) in enumerate(parts):
            n = round(value * scale)
            if k == len(parts) - 1 and w.ok:
                n = width - used  # rounding leftovers go to the last segment
            n = min(n, width - used)
            if n <= 0:
                continue
            inner = ""
            for label in (f"{name} {format_number(value)}", format_number(value)):
                if cell_len(label) <= n:
                    inner = label
                    break
            pad = n - cell_len(inner)
            bar.append(
                " " * (pad // 2) + inner + " " * (pad - pad // 2),
                style=f"on {COLORS.get(name, OTHER)} white",
            )
            used += n
        if used < width:
            bar.append("░" * (width - used), style="red" if not w.ok else "dim")
        # The status first: it is the point of the bar, and must not be cut off when the
        # pane is narrow (the parts after it are, ending in …).
        # Named: the total adds up 本年权重 (the column marked in the table), not 权重(%).
        line = Text("本年权重" + self.check.status, style="bold green" if w.ok else "bold red")
        line.append("  │  ", style="dim")
        for k, (name, value) in enumerate(self.parts()):
            if k:
                line.append(" · ", style="dim")
            line.append(name, style=COLORS.get(name, OTHER))
            line.append(f" {format_number(value)}")
        line.truncate(width, overflow="ellipsis")
        line.no_wrap = True
        return Text("\n").join([bar, line])
