"""`jixiao show` on a terminal of any width: one sheet as the form's header and its table of
indicators.

The table is drawn as wide as its cells when that fits. On a narrower terminal the long cells
wrap inside widths worked out here (rich, left to itself, shrinks the widest columns first
and the indicator names vanish): every column keeps a floor, the indicator name (三级指标)
the largest, and what is left goes first to the name, then to the other columns by what they
lack. Where even the floors do not fit, each indicator is a block of its own, one field a line.
"""

from __future__ import annotations

from jixiao.store.printable import one_line, printable
from jixiao.store.sheet import FUNDING_KEY, INDICATORS_KEY
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

NAME = "三级指标"
RIGHT = frozenset({"权重", "本年权重"})
SHORT = frozenset({"指标性质", "度量单位", "权重", "本年权重"})
NAME_FLOOR = 20  # cells: ten 汉字 of an indicator's name on one line
LEVEL1_FLOOR = 8  # cells: 产出指标, 效益指标 … whole
TEXT_FLOOR = 6  # cells: three 汉字 of a long cell a line
SHORT_FLOOR = 4  # cells: two 汉字 (a header such as 本年权重 wraps to 本年 / 权重)
TOTAL_LABEL = "本年权重合计 + 预算执行率权重"


def print_sheet(console: Console, d: dict, rel: str) -> None:
    """The sheet `d` (views.sheet_dict) of project file `rel`, fitted to the console's width."""
    title = Text(one_line(d["预算项目"]), style="bold")
    title.append("  ").append(one_line(rel), style="dim")
    console.print(title)
    console.print(_head(d))
    items = d[INDICATORS_KEY]
    labels = list(items[0]) if items else []
    rows = [[printable(v) for v in item.values()] for item in items]
    widths = column_widths(labels, rows, console.width)
    if widths is None:
        for k, row in enumerate(rows, 1):
            name = one_line(dict(zip(labels, row, strict=True)).get(NAME, ""))
            console.print(Text(f"第{k}行  {name}", style="bold"))
            console.print(_block(labels, row))
            console.print(_short_line(labels, row))
            console.print()
    else:
        console.print(_table(labels, rows, widths))
    console.print(f"{TOTAL_LABEL} = {d['本年权重合计']}")


def _head(d: dict) -> Table:
    head = Table(box=None, show_header=False, pad_edge=False)
    head.add_column(style="dim", no_wrap=True)
    head.add_column(overflow="fold")
    for key, value in d.items():
        if key == FUNDING_KEY:
            parts = "  ".join(f"{k} {v}" for k, v in value.items())
            head.add_row(key, Text(one_line(parts)))
        elif key not in (INDICATORS_KEY, "本年权重合计"):
            head.add_row(key, Text(printable(value)))
    return head


def _natural(label: str, cells: list[str]) -> int:
    return max([cell_len(label), *(max(map(cell_len, c.splitlines() or [""])) for c in cells)])


def _floor(label: str, natural: int) -> int:
    if label == NAME:
        return min(natural, NAME_FLOOR)
    if label == "一级指标":
        return min(natural, LEVEL1_FLOOR)
    return min(natural, SHORT_FLOOR if label in SHORT else TEXT_FLOOR)


def overhead(columns: int) -> int:
    """Cells a table of `columns` columns spends on borders and padding (box.SQUARE, 1 a side)."""
    return 3 * columns + 1


def column_widths(labels: list[str], rows: list[list[str]], width: int) -> list[int] | None:
    """Each column's width (content only) for a table `width` cells wide; None: not even the
    floors fit, so the sheet is shown as blocks."""
    if not labels:
        return []
    natural = [_natural(label, [r[k] for r in rows]) for k, label in enumerate(labels)]
    room = width - overhead(len(labels))
    if sum(natural) <= room:
        return natural
    widths = [_floor(label, n) for label, n in zip(labels, natural, strict=True)]
    spare = room - sum(widths)
    if spare < 0:
        return None
    if NAME in labels:  # the name first: it is what a reader looks for
        k = labels.index(NAME)
        more = min(spare, natural[k] - widths[k])
        widths[k] += more
        spare -= more
    lacking = [n - w for n, w in zip(natural, widths, strict=True)]
    total = sum(lacking)
    if total and spare:
        given = [spare * need // total for need in lacking]
        for k, extra in enumerate(given):
            widths[k] += extra
        left = spare - sum(given)
        for k in sorted(range(len(widths)), key=lambda k: -(lacking[k] - given[k])):
            if left <= 0:
                break
            if widths[k] < natural[k]:
                widths[k] += 1
                left -= 1
    return widths


def _table(labels: list[str], rows: list[list[str]], widths: list[int]) -> Table:
    wrapped = any(
        _natural(label, [r[k] for r in rows]) > widths[k] for k, label in enumerate(labels)
    )
    table = Table(
        box=box.SQUARE if wrapped else box.HEAVY_HEAD,
        show_lines=wrapped,  # a wrapped row needs a line under it to be told from the next
        pad_edge=True,
    )
    for label, w in zip(labels, widths, strict=True):
        table.add_column(
            label, justify="right" if label in RIGHT else "left", width=w, overflow="fold"
        )
    for row in rows:
        table.add_row(*(Text(c) for c in row))  # Text: never read as markup
    return table


def _block(labels: list[str], row: list[str]) -> Table:
    """An indicator's long fields as lines of `label value` (its name is the line above,
    its short fields the line below)."""
    block = Table(box=None, show_header=False, pad_edge=True, padding=(0, 1, 0, 2))
    block.add_column(style="dim", no_wrap=True)
    block.add_column(overflow="fold")
    for label, value in zip(labels, row, strict=True):
        if label != NAME and label not in SHORT and value:
            block.add_row(label, Text(value))
    return block


def _short_line(labels: list[str], row: list[str]) -> Text:
    """`指标性质 ≥   度量单位 人   权重 10   本年权重 10` on one line (wrapping at its gaps)."""
    line = Text("  ")
    for label, value in zip(labels, row, strict=True):
        if label in SHORT and (value or label in RIGHT):
            if len(line) > 2:
                line.append("   ")
            line.append(label, style="dim").append(" ").append(one_line(value))
    return line
