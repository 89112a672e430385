"""The official tab-delimited export: parse into Sheets and emit back, byte for byte.

How it stays exact: the parser reads the values, notes the layout facts it can name (colon
style, column count, label columns, grouping of amounts, ...), then emits the sheet from those
and compares with what it read. Whatever still differs — a stray cell, a short row, a quoted
cell that did not need quotes — is recorded as layout data too. The emitter only ever builds
from values plus layout; there are no special cases per file.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Sequence

from ..errors import TabFormatError
from ..sheet.fields import (
    AMOUNT_FIELDS,
    FUNDING_FIELDS,
    FUNDING_NAMES,
    HEADER_FIELDS,
    TABLE_HEADER,
    TAIL_FIELDS,
    TITLE,
)
from ..sheet.model import (
    INDICATOR_NAMES,
    FileLayout,
    Funding,
    Indicator,
    Sheet,
    SheetLayout,
    layout_excess,
)
from . import tabcodec
from .tabcodec import Line

_LABEL_FIELDS = HEADER_FIELDS + TAIL_FIELDS + FUNDING_FIELDS
_FIELD_OF_LABEL = {label: name for name, label in _LABEL_FIELDS}
_MIN_INDICATOR_CELLS = 9  # through 本年权重; an exporter may drop an empty 备注


def standard_positions(funding_column: int) -> dict[str, tuple[int, int]]:
    """Where each header label sits (header row, column) on the official form."""
    f = funding_column
    return {
        "unit": (0, 0),
        "project": (0, 2),
        "function": (0, 10),
        "department": (1, 0),
        "manager": (1, 2),
        "total": (1, 10),
        "exec_weight": (2, 0),
        "manager_phone": (2, 2),
        "fiscal": (2, 10),
        "goal": (3, 0),
        "special": (3, f),
        "unit_funds": (4, f),
        "social": (5, f),
        "loan": (6, f),
    }


def label_text(name: str, layout: SheetLayout) -> str:
    """The label cell for a header field, e.g. '项目总额:' or '其中：财政资金：'."""
    if name in layout.labels:
        return layout.labels[name]
    c = layout.colon
    label = _label_of(name)
    if name == "fiscal":
        return f"其中{c} {label}{c}" if c == ":" else f"其中{c}{label}{c}"
    return label + c


def _label_of(name: str) -> str:
    for n, label in _LABEL_FIELDS:
        if n == name:
            return label
    raise KeyError(name)


def _normalize_label(cell: str) -> str | None:
    t = cell.replace(" ", "").replace("\u3000", "").replace(":", "").replace("：", "")
    if t.startswith("其中"):
        t = t[2:]
    return _FIELD_OF_LABEL.get(t)


def field_of_label(cell: str) -> str | None:
    """The header field a label cell names ('其中：财政资金：' -> 'fiscal'), or None; the
    one reading of labels, for text and workbooks alike."""
    return _normalize_label(cell)


# ---------------------------------------------------------------------------- parsing


def parse(data: bytes, name: str) -> tuple[list[Sheet], FileLayout]:
    """All sheets of one exported file, and the file's own layout facts.

    Raises TabFormatError (one sentence naming the file, sheet and line) for anything that
    is not a sheet, or that could not be reproduced exactly.
    """
    decoded = tabcodec.decode(data, name)
    text = decoded.text
    if not text.strip("\r\n\t \ufeff"):
        raise TabFormatError(f"{name}: 文件是空的；应为标题为“{TITLE}”的表")
    newline = tabcodec.detect_newline(text, name)
    lines = tabcodec.split_lines(text, newline, name)
    file = FileLayout(
        encoding=decoded.encoding,
        bom=decoded.bom,
        newline=newline,
        final_newline=text.endswith(newline),
        leading_blank_lines=0,
    )
    i = 0
    while i < len(lines) and lines[i].cells == [""] and not lines[i].quoted[0]:
        i += 1
    file.leading_blank_lines = i
    if i == len(lines) or lines[i].cells[0] != TITLE:
        where = lines[i].number if i < len(lines) else len(lines)
        found = lines[i].cells[0][:20] if i < len(lines) else ""
        raise TabFormatError(
            f"{name}:{where}: 应为标题“{TITLE}”，实际是 {found!r}；这不是导出的绩效目标批复表文件"
        )
    starts = [j for j in range(i, len(lines)) if lines[j].cells[0] == TITLE]
    sheets: list[Sheet] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        sheet, trailing = _parse_sheet(lines[start:end], k + 1, name)
        if k + 1 < len(starts):
            sheet.layout.gap = trailing
        else:
            file.trailing_blank_lines = trailing
        sheet.layout.file = file
        excess = layout_excess(sheet.layout, [i.trivia for i in sheet.indicators])
        if excess is not None:
            raise TabFormatError(
                f"{name}:{lines[start].number}: 第 {k + 1} 张表的版式超出 jixiao 能保存的"
                f"范围（{excess}）"
            )
        sheets.append(sheet)
    _verify(data, sheets, file, name)
    return sheets, file


def _parse_sheet(lines: list[Line], number: int, name: str) -> tuple[Sheet, int]:
    where = f"{name}:{lines[0].number}: 第 {number} 张表"
    layout = SheetLayout()
    i = 1
    while i < len(lines) and lines[i].is_blank():
        i += 1
    layout.title_gap = i - 1
    header_start = i
    while i < len(lines) and lines[i].cells[0].strip() != TABLE_HEADER[0]:
        if lines[i].is_blank():
            break
        i += 1
    if i >= len(lines) or lines[i].cells[0].strip() != TABLE_HEADER[0]:
        at = lines[min(i, len(lines) - 1)].number
        raise TabFormatError(
            f"{where}在第 {at} 行就结束了，没有指标表表头"
            f"（{TABLE_HEADER[0]} {TABLE_HEADER[1]} …）；文件是否不完整？"
        )
    table_header = i
    layout.header_rows = table_header - header_start
    header = lines[header_start:table_header]

    found: dict[str, tuple[int, int]] = {}
    labels: dict[str, str] = {}
    values: dict[str, str] = {}
    for r, line in enumerate(header):
        c = 0
        while c < len(line.cells):
            field = _normalize_label(line.cells[c]) if line.cells[c] else None
            if field is not None and field not in found:
                found[field] = (r, c)
                labels[field] = line.cells[c]
                values[field] = line.cells[c + 1] if c + 1 < len(line.cells) else ""
                c += 2
            else:
                c += 1
    missing = [label for field, label in _LABEL_FIELDS if field not in found]
    if missing:
        raise TabFormatError(
            f"{where}的表头没有“{missing[0]}”栏；应为{TITLE}的 7 行表头（单位信息 … 银行贷款）"
        )

    indicators_at = table_header + 1
    j = indicators_at
    while j < len(lines) and not lines[j].is_blank():
        if len(lines[j].cells) < _MIN_INDICATOR_CELLS:
            raise TabFormatError(
                f"{name}:{lines[j].number}: 指标行至少应有 {_MIN_INDICATOR_CELLS} 个单元格"
                f"（{TABLE_HEADER[0]} … {TABLE_HEADER[8]}），实际只有 "
                f"{len(lines[j].cells)} 个；文件是否不完整？"
            )
        j += 1
    if j == indicators_at:
        raise TabFormatError(
            f"{where}的指标表在第 {lines[table_header].number} 行表头之后没有指标行；"
            "文件是否不完整？"
        )
    rows = lines[indicators_at:j]
    trailing = lines[j:]
    for line in trailing:
        if not line.is_blank():
            raise TabFormatError(
                f"{name}:{line.number}: 指标表之后应为空行或下一张表的标题“{TITLE}”"
            )

    # Layout facts that have names.
    colon_label = labels["unit"]
    layout.colon = colon_label[-1] if colon_label[-1:] in (":", "：") else ""
    widths = Counter(len(line.cells) for line in header + [lines[table_header]] + rows)
    layout.columns = widths.most_common(1)[0][0]
    layout.funding_column = found["special"][1]
    std = standard_positions(layout.funding_column)
    layout.positions = {f: rc for f, rc in found.items() if std[f] != rc}
    layout.labels = {f: text for f, text in labels.items() if label_text(f, layout) != text}
    layout.grouping = _detect_grouping([values[f] for f in AMOUNT_FIELDS])

    sheet = Sheet(
        **{f: values[f] for f, _ in HEADER_FIELDS + TAIL_FIELDS},
        funding=Funding(**{f: values[f] for f in FUNDING_NAMES}),
        indicators=[_parse_indicator(line, layout.columns) for line in rows],
        layout=layout,
    )

    # Whatever the named facts do not explain becomes layout data too.
    actual = lines[:indicators_at] + trailing
    expected = _frame_cells(sheet, gap=len(trailing))
    for idx, (got, want) in enumerate(zip(actual, expected, strict=True)):
        if len(got.cells) != len(want):
            layout.widths[idx] = len(got.cells)
        for c, text in enumerate(got.cells):
            if c >= len(want) or want[c] != text:
                layout.cells[(idx, c)] = text
            if got.quoted[c] != tabcodec.needs_quotes(text):
                layout.quoted.add((idx, c))
    return sheet, len(trailing)


def _parse_indicator(line: Line, columns: int) -> Indicator:
    cells = line.cells
    padded = cells + [""] * (len(INDICATOR_NAMES) - len(cells))
    ind = Indicator(**dict(zip(INDICATOR_NAMES, padded, strict=False)))
    trivia = ind.trivia
    if len(cells) != columns:
        trivia.width = len(cells)
    for c in range(len(INDICATOR_NAMES), len(cells)):
        if cells[c]:
            trivia.cells[c] = cells[c]
    for c, (text, was_quoted) in enumerate(zip(cells, line.quoted, strict=True)):
        if was_quoted != tabcodec.needs_quotes(text):
            trivia.quoted.add(c)
    return ind


def _detect_grouping(amounts: Sequence[str]) -> bool:
    plain = False
    for text in amounts:
        t = text.strip().lstrip("+-")
        if "," in t:
            return True
        if t.isdigit() and len(t) > 3:
            plain = True
    return not plain


def _verify(data: bytes, sheets: list[Sheet], file: FileLayout, name: str) -> None:
    """The safety net: never accept a file we would not give back byte for byte."""
    out = emit(sheets, file)
    if out == data:
        return
    text_in = tabcodec.decode(data, name).text
    text_out = tabcodec.decode(out, name).text
    line = 1
    for a, b in zip(text_in, text_out, strict=False):
        if a != b:
            break
        line += a == "\n"
    raise TabFormatError(
        f"{name}:{line}: jixiao 无法逐字节还原这一行，因此不导入此文件；请附上此文件报告这个问题"
    )


# ---------------------------------------------------------------------------- emitting


def _frame_cells(sheet: Sheet, gap: int) -> list[list[str]]:
    """The sheet's non-indicator lines (title … table header, then `gap` blank lines) from
    values and named layout facts only."""
    layout = sheet.layout
    out: list[list[str]] = [[TITLE]]
    out += [[""] for _ in range(layout.title_gap)]
    rows: list[list[str]] = [[""] * layout.columns for _ in range(layout.header_rows)]
    std = standard_positions(layout.funding_column)
    for name, _ in _LABEL_FIELDS:
        r, c = layout.positions.get(name) or std[name]
        if r >= len(rows):
            continue
        row = rows[r]
        if len(row) < c + 2:
            row.extend([""] * (c + 2 - len(row)))
        row[c] = label_text(name, layout)
        row[c + 1] = _value(sheet, name)
    out += rows
    table = list(TABLE_HEADER) + [""] * (layout.columns - len(TABLE_HEADER))
    out.append(table)
    out += [[""] for _ in range(gap)]
    return out


def _value(sheet: Sheet, name: str) -> str:
    if name in FUNDING_NAMES:
        return getattr(sheet.funding, name)
    return getattr(sheet, name)


def _apply(cells: list[str], width: int | None, extra: dict[int, str]) -> list[str]:
    for c, text in extra.items():
        if c >= len(cells):
            cells.extend([""] * (c + 1 - len(cells)))
        cells[c] = text
    if width is not None:
        if len(cells) > width and not any(cells[width:]):
            del cells[width:]
        elif len(cells) < width:
            cells.extend([""] * (width - len(cells)))
    return cells


def sheet_lines(sheet: Sheet, gap: int) -> list[str]:
    """The text lines of one sheet followed by `gap` blank lines (no line terminators)."""
    layout = sheet.layout
    frame = _frame_cells(sheet, gap)
    n_head = 1 + layout.title_gap + layout.header_rows + 1
    by_line: dict[int, dict[int, str]] = {}
    for (idx, c), text in layout.cells.items():
        by_line.setdefault(idx, {})[c] = text
    flips: dict[int, set[int]] = {}
    for idx, c in layout.quoted:
        flips.setdefault(idx, set()).add(c)

    def frame_line(idx: int) -> str:
        cells = _apply(frame[idx], layout.widths.get(idx), by_line.get(idx, {}))
        return tabcodec.join_cells(cells, flips.get(idx))

    out = [frame_line(idx) for idx in range(n_head)]
    for ind in sheet.indicators:
        cells = list(ind.values()) + [""] * (layout.columns - len(INDICATOR_NAMES))
        t = ind.trivia
        width = t.width
        if width is not None and width < len(INDICATOR_NAMES) and any(cells[width:]):
            width = None  # an edit filled a cell the source row did not have
        cells = _apply(cells, width, t.cells)
        out.append(tabcodec.join_cells(cells, t.quoted))
    out += [frame_line(idx) for idx in range(n_head, n_head + gap)]
    return out


def emit(sheets: Sequence[Sheet], file: FileLayout) -> bytes:
    """The exported file holding `sheets` in order, written with `file`'s layout."""
    lines: list[str] = [""] * file.leading_blank_lines
    for k, sheet in enumerate(sheets):
        last = k == len(sheets) - 1
        gap = file.trailing_blank_lines if last else sheet.layout.gap
        lines += sheet_lines(sheet, gap)
    text = file.newline.join(lines)
    if file.final_newline:
        text += file.newline
    return tabcodec.encode(text, file.encoding, file.bom)


def emit_text(sheets: Sequence[Sheet], file: FileLayout | None = None) -> str:
    """Like emit, as str (for showing or diffing)."""
    f = copy.copy(file or FileLayout())
    return emit(sheets, f).decode(f.encoding).lstrip("\ufeff")
