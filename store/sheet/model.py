"""The data model of a 绩效目标批复表: plain dataclasses, English names, no I/O.

Every value is the cell's text exactly as the official export holds it ("150,000", "≥",
"", "十"). Turning text into numbers is the job of whoever needs a number (the rules, the
YAML writer); keeping the text is what makes the round trip exact.

Layout facts (how the sheet was written: colon style, columns, quoting, ...) ride along
in `SheetLayout` / `RowTrivia` next to the values, the way tomlkit keeps trivia.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .fields import INDICATOR_NAMES
from .year_model import Monitoring, SelfEvaluation

Cell = tuple[int, int]  # (line, column) inside a sheet's non-indicator lines


@dataclass
class FileLayout:
    """Facts about the whole exported file."""

    encoding: str = "utf-8"  # utf-8, gb18030, utf-16-le, utf-16-be
    bom: bool = False
    newline: str = "\n"  # "\n", "\r\n" or "\r"
    leading_blank_lines: int = 2
    trailing_blank_lines: int = 0
    final_newline: bool = False


@dataclass
class SheetLayout:
    """Facts about how one sheet was written, beyond its values.

    Lines are numbered over the sheet's non-indicator lines only: 0 is the title line, then
    the blank lines after it, the header rows, the table header row, and the blank lines that
    follow the sheet. That numbering does not move when indicators are added or removed.
    """

    colon: str = ":"  # ":" or "："
    columns: int = 16  # cells per header/table row
    funding_column: int = 9  # column of 财政专户管理资金 … 银行贷款 labels
    grouping: bool = True  # amounts written as 150,000
    title_gap: int = 1  # blank lines between the title and the first header row
    header_rows: int = 7
    gap: int = 1  # blank lines after this sheet when another sheet follows
    positions: dict[str, Cell] = field(
        default_factory=dict
    )  # label cells not at the standard place
    labels: dict[str, str] = field(default_factory=dict)  # label texts not derived from `colon`
    widths: dict[int, int] = field(default_factory=dict)  # line -> cell count, where not default
    cells: dict[Cell, str] = field(default_factory=dict)  # cells the form does not explain
    quoted: set[Cell] = field(default_factory=set)  # cells whose quoting differs from the rule
    file: FileLayout = field(default_factory=FileLayout)
    recorded: bool = True  # False: the project file had no layout; export uses the usual one


@dataclass
class RowTrivia:
    """Layout of one indicator row where it differs from the sheet's defaults."""

    width: int | None = None  # cell count, if not the sheet's `columns`
    cells: dict[int, str] = field(default_factory=dict)  # text in columns after 备注
    quoted: set[int] = field(default_factory=set)  # columns whose quoting differs from the rule

    def is_default(self) -> bool:
        return self.width is None and not self.cells and not self.quoted


# What a layout may ask the export to build. A real sheet has 15 or 16 columns and about a
# dozen frame lines; a project file saying `columns: 99999999` would ask for gigabytes. The
# tab reader refuses a sheet beyond these, so every imported layout can be read back.
MAX_COLUMNS = 256
MAX_LINES = 256


def layout_excess(layout: SheetLayout, rows: list[RowTrivia] | None = None) -> str | None:
    """The first number in a layout (or its rows' trivia) beyond the bounds, as a phrase."""
    cols = [("columns", layout.columns), ("funding_column", layout.funding_column)]
    cols += [(f"positions.{k}", c) for k, (_, c) in layout.positions.items()]
    cols += [("widths", w) for w in layout.widths.values()]
    cols += [("cells", c) for _, c in layout.cells] + [("quoted", c) for _, c in layout.quoted]
    for t in rows or []:
        cols += [("width", t.width or 0)] + [("cells", c) for c in (*t.cells, *t.quoted)]
    f = layout.file
    lines = [("title_gap", layout.title_gap), ("header_rows", layout.header_rows)]
    lines += [("gap", layout.gap), ("leading_blank_lines", f.leading_blank_lines)]
    lines += [("trailing_blank_lines", f.trailing_blank_lines)]
    lines += [(f"positions.{k}", r) for k, (r, _) in layout.positions.items()]
    lines += [("widths", r) for r in layout.widths]
    lines += [("cells", r) for r, _ in layout.cells] + [("quoted", r) for r, _ in layout.quoted]
    for limit, what, found in ((MAX_COLUMNS, "列", cols), (MAX_LINES, "行", lines)):
        for key, n in found:
            if not 0 <= n <= limit:
                return f"{key} 是 {n}，超出 0–{limit} {what}"
    return None


@dataclass
class Funding:
    """资金来源."""

    fiscal: str = ""  # 财政资金
    special: str = ""  # 财政专户管理资金
    unit_funds: str = ""  # 单位资金
    social: str = ""  # 社会投入资金
    loan: str = ""  # 银行贷款


@dataclass
class Indicator:
    """One row of the indicator table (绩效指标)."""

    level1: str = ""  # 一级指标
    level2: str = ""  # 二级指标
    level3: str = ""  # 三级指标
    nature: str = ""  # 指标性质
    target: str = ""  # 指标值
    annual_target: str = ""  # 本年绩效指标值
    measure: str = ""  # 度量单位
    weight: str = ""  # 权重(%)
    annual_weight: str = ""  # 本年权重
    note: str = ""  # 备注
    trivia: RowTrivia = field(default_factory=RowTrivia, compare=False)

    def values(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in INDICATOR_NAMES)


@dataclass
class Sheet:
    """One 绩效目标批复表: one project."""

    unit: str = ""  # 单位信息
    project: str = ""  # 预算项目
    function: str = ""  # 职能职责与活动
    department: str = ""  # 主管部门
    manager: str = ""  # 项目经办人
    manager_phone: str = ""  # 项目经办人电话
    total: str = ""  # 项目总额
    exec_weight: str = ""  # 预算执行率权重
    goal: str = ""  # 年度目标
    funding: Funding = field(default_factory=Funding)
    indicators: list[Indicator] = field(default_factory=list)
    layout: SheetLayout = field(default_factory=SheetLayout, compare=False)
    monitoring: Monitoring | None = None  # 绩效监控 (store/sheet/year_model.py), None: no block
    evaluation: SelfEvaluation | None = None  # 绩效自评, None: no block


# The one definition of a number in a cell, for every reader (check, export, editor, import):
# ASCII digits only (Python's \d and float() also take ٣٠ or ３０, which the export writes as
# text), and at most NUMBER_DIGITS of them: a longer run of digits is text, never a float
# that overflows to inf or an int past Python's 4,300-digit conversion limit.
NUMBER_DIGITS = 30
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def as_number(text: str) -> float | None:
    """The number a cell holds, or None: '150,000' -> 150000.0, ' 10 ' -> 10.0, '十' -> None,
    '٣٠' -> None, 400 digits -> None (see NUMBER_DIGITS)."""
    t = text.strip()
    if len(t) > 2 * NUMBER_DIGITS:  # with commas, a sign and a point: surely too long
        return None
    if _GROUPED.fullmatch(t):
        t = t.replace(",", "")
    if _NUMBER.fullmatch(t) and sum(c.isdigit() for c in t) <= NUMBER_DIGITS:
        return float(t)
    return None


def format_amount(value: int | float, grouping: bool) -> str:
    """Write an amount the way a sheet writes it: 150000 -> '150,000' when grouping."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if grouping:
        return f"{value:,}"
    return str(value)


NEWLINE_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}  # FileLayout.newline, by name


def format_number(x: float) -> str:
    """A weight, quantity or percentage for people to read: 10.0 -> '10', 2.5 -> '2.5',
    100/3 -> '33.333333' (six places at most, never an exponent: 1234567.5 stays as it is)."""
    if math.isfinite(x) and x == int(x):
        return str(int(x))
    return f"{x:.6f}".rstrip("0").rstrip(".")


def format_money(x: float) -> str:
    """An amount of money for people to read: 100600.0 -> '100,600', 1234.5 -> '1,234.5'.
    (format_amount writes a cell's text; this only shows a computed sum.)"""
    if math.isfinite(x) and x == int(x):
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")
